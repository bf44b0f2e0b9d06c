"""The merge dialog: which archive stays, and field by field whose value the survivor keeps."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.context import Actor
from crmdesk.services.merges import MergePlan, merge, plan_merge
from crmdesk.ui.operations import Operations


class MergeDialog(QDialog):
    """Merge two archives; ``merged`` holds the merge's id once done."""

    def __init__(self, first_id: int, second_id: int, actor: Actor | None,
                 operations: Operations, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Merge two archives"))
        self.resize(760, 560)
        self._actor, self._operations = actor, operations
        self._ids = (first_id, second_id)
        self.plan: MergePlan | None = None
        self.merged: int | None = None
        self.survivor = QButtonGroup(self)
        self.keep_first, self.keep_second = QRadioButton(self), QRadioButton(self)
        for button in (self.keep_first, self.keep_second):
            self.survivor.addButton(button)
        self.keep_first.setChecked(True)
        self.survivor.buttonClicked.connect(lambda _b: self._load())
        self.fields = QTableWidget(0, 3, self)
        self.fields.setHorizontalHeaderLabels([_("Field"), _("Archive that stays"),
                                               _("Archive merged into it")])
        self.fields.verticalHeader().setVisible(False)
        self.fields.horizontalHeader().setStretchLastSection(True)
        self._choices: dict[str, QButtonGroup] = {}
        note = QLabel(_("Contacts, decision people, purchases, visits, complaints and the "
                        "ownership history of both archives stay with the one that remains. "
                        "The other archive number keeps finding it. A merge can be undone "
                        "until the archive is changed again."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._merge)
        buttons.rejected.connect(self.reject)
        keep = QHBoxLayout()
        keep.addWidget(QLabel(_("Archive that stays:"), self))
        keep.addWidget(self.keep_first)
        keep.addWidget(self.keep_second)
        keep.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(keep)
        layout.addWidget(self.fields, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._load()

    def _kept_and_other(self) -> tuple[int, int]:
        first, second = self._ids
        return (first, second) if self.keep_first.isChecked() else (second, first)

    def _load(self) -> None:
        kept, other = self._kept_and_other()
        actor = self._actor
        self._operations.run(lambda: plan_merge(kept, other, actor), self.show_plan,
                             title=_("Merge two archives"), parent=self)

    def show_plan(self, plan: MergePlan) -> None:
        """Show the fields on which the archives differ, each with its default choice."""
        self.plan = plan
        first_is_kept = plan.kept_id == self._ids[0]
        kept_text = f"{plan.kept_no} {plan.kept_name}"
        other_text = f"{plan.other_no} {plan.other_name}"
        self.keep_first.setText(kept_text if first_is_kept else other_text)
        self.keep_second.setText(other_text if first_is_kept else kept_text)
        self.fields.setRowCount(len(plan.fields))
        self._choices.clear()
        for row, field in enumerate(plan.fields):
            self.fields.setCellWidget(row, 0, QLabel(field.label))
            group = QButtonGroup(self.fields)
            for column, (text, is_other) in enumerate(((field.kept_text, False),
                                                       (field.other_text, True)), start=1):
                button = QRadioButton(text or _("(empty)"))
                button.setProperty("takes_other", is_other)
                button.setChecked(field.take_other == is_other)
                group.addButton(button)
                self.fields.setCellWidget(row, column, button)
            self._choices[field.name] = group
        self.fields.resizeColumnsToContents()

    def takes(self) -> dict[str, int]:
        """The chosen source of every differing field: field -> archive id."""
        if self.plan is None:
            return {}
        return {name: self.plan.other_id if group.checkedButton().property("takes_other")
                else self.plan.kept_id for name, group in self._choices.items()}

    def _merge(self) -> None:
        if self.plan is None:
            return
        kept, other, take, actor = self.plan.kept_id, self.plan.other_id, self.takes(), \
            self._actor

        def done(merge_id: int) -> None:
            self.merged = merge_id
            self.accept()

        self._operations.run(lambda: merge(kept, other, actor, take), done,
                             title=_("Merge two archives"), parent=self)
