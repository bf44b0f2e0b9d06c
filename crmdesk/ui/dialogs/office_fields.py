"""The office's card (字段配置): add, change, hide, order and remove the office's own fields, and
hide built-in fields the office does not use. For managers and administrators."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import N_, _
from crmdesk.models.card import FIELDS, Need
from crmdesk.models.office_fields import OfficeField
from crmdesk.models.office_kinds import KINDS
from crmdesk.services import office_fields
from crmdesk.services.context import Actor
from crmdesk.services.office_fields import GROUPS, FieldDraft
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.errors import attempt

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow
    from crmdesk.ui.operations import Operations

NEEDS = (("general", N_("Ordinary")), ("important", N_("Important")),
         ("required", N_("Required")))
APPLIES = (("both", N_("All customers")), ("individual", N_("Individuals")),
           ("organisation", N_("Organisations")))


def _combo(options: list[tuple[str, str]], current: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for key, label in options:
        combo.addItem(label, key)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def _labelled(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(key, _(title)) for key, title in pairs]


class FieldForm(QDialog):
    """One office field's definition; choices one a line as ``key, 中文, English``."""

    def __init__(self, field: OfficeField | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Office field"))
        self.key = QLineEdit(field.key if field else "", self)
        self.key.setEnabled(field is None)
        self.zh = QLineEdit(field.zh if field else "", self)
        self.en = QLineEdit(field.en if field else "", self)
        self.kind = _combo([(k.key, k.label) for k in KINDS.values()],
                           field.kind.key if field else "text", self)
        self.group = _combo([(k, g.label) for k, g in GROUPS.items()],
                            field.group if field else "profile", self)
        self.need = _combo(_labelled(NEEDS), field.need.value if field else "general", self)
        self.applies = _combo(_labelled(APPLIES), field.applies.value if field else "both", self)
        self.choices = QPlainTextEdit(self)
        self.choices.setPlaceholderText(_("one choice a line: key, 中文, English"))
        if field:
            self.choices.setPlainText("\n".join(f"{c.key}, {c.zh}, {c.en}"
                                                for c in field.choices))
        layout = QFormLayout(self)
        for label, widget in ((_("Key"), self.key), (_("Chinese label"), self.zh),
                              (_("English label"), self.en), (_("Kind"), self.kind),
                              (_("Group"), self.group), (_("Need"), self.need),
                              (_("For"), self.applies), (_("Choices"), self.choices)):
            layout.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def draft(self) -> FieldDraft:
        """The definition as filled in (checked by the service)."""
        choices = []
        for line in self.choices.toPlainText().splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if any(parts):
                key, zh, en = [*parts, "", "", ""][:3]
                choices.append((key, zh, en or zh))
        return FieldDraft(self.key.text().strip(), self.zh.text(), self.en.text(),
                          self.kind.currentData(), self.group.currentData(),
                          self.need.currentData(), self.applies.currentData(), tuple(choices))


class OfficeFieldsDialog(QDialog):
    """The office's fields and the built-in fields it hides. With the window's ``tasks`` each
    change runs as an operation: a field that starts or stops asking for an answer has every
    card's completeness counted again, seconds on a large archive, shown with progress rather
    than freezing the window."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None,
                 tasks: Operations | None = None) -> None:
        super().__init__(parent)
        self._actor, self._tasks = actor, tasks
        self._fields: list[OfficeField] = []
        self.setWindowTitle(_("Card fields of the office"))
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([_("Label"), _("Kind"), _("Group"), _("Need"),
                                              _("Shown")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.builtins = QListWidget(self)
        self.builtins.itemChanged.connect(self._builtin_toggled)
        buttons = QHBoxLayout()
        for text, slot, name in ((_("Add…"), self.add, "addField"),
                                 (_("Edit…"), self.edit, "editField"),
                                 (_("Hide / show"), self.toggle, "hideField"),
                                 (_("Up"), lambda: self.move(-1), "fieldUp"),
                                 (_("Down"), lambda: self.move(1), "fieldDown"),
                                 (_("Remove…"), self.remove, "removeField")):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The office's own fields"), self))
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_("Built-in fields shown on the card (required ones always "
                                  "are)"), self))
        layout.addWidget(self.builtins)
        self.reload()

    def reload(self) -> None:
        """Show the fields as stored now."""
        self._fields = office_fields.fields_of_office()
        self.table.setRowCount(len(self._fields))
        needs = dict(_labelled(NEEDS))
        for row, f in enumerate(self._fields):
            cells = (f.label, f.kind.label, GROUPS[f.group].label, needs[f.need.value],
                     _("No") if f.hidden else _("Yes"))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        hidden = office_fields.hidden_builtins()
        self.builtins.blockSignals(True)
        self.builtins.clear()
        for name, spec in FIELDS.items():
            if spec.need is Need.REQUIRED:
                continue
            item = QListWidgetItem(spec.label, self.builtins)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setCheckState(Qt.CheckState.Unchecked if name in hidden
                               else Qt.CheckState.Checked)
        self.builtins.blockSignals(False)

    def _current(self) -> OfficeField | None:
        row = self.table.currentRow()
        return self._fields[row] if 0 <= row < len(self._fields) else None

    def _attempt(self, action: Callable[[], object],
                 then: Callable[[], None] | None = None) -> None:
        """Make a change, then show the fields again (and do ``then``), refused or not."""
        def shown(_outcome: object = None) -> None:
            self.reload()
            if then is not None:
                then()

        tasks = self._tasks
        if tasks is None:
            attempt(self, self.windowTitle(), action)
            shown()
            return

        def refused(error: Exception) -> None:
            tasks.fail(error, self.windowTitle(), self)
            shown()

        tasks.start(_("Saving the office's card…"), lambda _job: action(), shown,
                    on_error=refused, title=self.windowTitle(), parent=self)

    def add(self) -> None:
        form = FieldForm(None, self)
        if form.exec():
            self._attempt(lambda: office_fields.add_field(form.draft(), self._actor))

    def edit(self) -> None:
        field = self._current()
        if field is None:
            return
        form = FieldForm(field, self)
        if form.exec():
            self._attempt(lambda: office_fields.change_field(field.id, form.draft(),
                                                             self._actor))

    def toggle(self) -> None:
        field = self._current()
        if field is not None:
            self._attempt(lambda: office_fields.set_hidden(field.id, not field.hidden,
                                                           self._actor))

    def remove(self) -> None:
        """Remove the chosen field after asking; the question says how many cards hold a
        value of it (kept in the audit trail)."""
        field = self._current()
        if field is None:
            return
        held = office_fields.values_held(field.id)
        question = (str(office_fields.FieldHoldsValues(field.label, held)) if held
                    else _("No card holds a value of {label}.").format(label=field.label))
        answer = QMessageBox.question(
            self, _("Remove field"), question + "\n\n" + _("Remove the field {label}?").format(
                label=field.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._attempt(lambda: office_fields.remove_field(field.key, self._actor,
                                                             confirmed=True))

    def move(self, step: int) -> None:
        """Move the chosen field up or down among the fields of its group."""
        field = self._current()
        if field is None:
            return
        keys = [f.key for f in self._fields if f.group == field.group]
        at = keys.index(field.key)
        if not 0 <= at + step < len(keys):
            return
        keys[at], keys[at + step] = keys[at + step], keys[at]
        self._attempt(lambda: office_fields.reorder(field.group, keys, self._actor),
                      lambda: self.table.selectRow(next(
                          i for i, f in enumerate(self._fields) if f.key == field.key)))

    def _builtin_toggled(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        hidden = item.checkState() is not Qt.CheckState.Checked
        self._attempt(lambda: office_fields.hide_builtin(name, hidden, self._actor))


def install(window: MainWindow) -> None:
    """Offer the office's card fields to managers and administrators in the archive menu."""
    if not may(window.actor, Duty.BUSINESS_SETTINGS):
        return

    def open_fields() -> None:
        OfficeFieldsDialog(window.actor, window, window.tasks).exec()

    window.add_archive_entries([window.action(_("Card fields…"), open_fields,
                                              name="officeFields")])
