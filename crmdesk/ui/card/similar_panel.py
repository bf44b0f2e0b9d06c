"""Archives that may be the same customer, shown beside the card while it is typed (as at F2),
and the question a save refused by the duplicate rule asks: open that archive, or keep a
second one and say why."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _, ngettext
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import (
    IDENTITY_FIELDS,
    DuplicateArchiveError,
    Similar,
    similar_while_typing,
)
from crmdesk.ui.operations import Operations

# Wait this long after the last key before looking (as the front desk's check does).
TYPING_PAUSE_MS = 300
CHANNEL = "card-similar"


class SimilarPanel(QWidget):
    """The matches of the card being typed; double-click one to open it (``chosen``)."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget, actor: Actor | None, operations: Operations,
                 read_values: Callable[[], tuple[dict[str, Any], int | None]]) -> None:
        super().__init__(parent)
        self.setObjectName("similarPanel")
        self._actor, self._operations, self._read_values = actor, operations, read_values
        self._last: tuple | None = None
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(110)
        self.list.itemDoubleClicked.connect(
            lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.look)
        self.setVisible(False)

    def schedule(self) -> None:
        """Look again once typing pauses."""
        self._timer.start()

    def look(self) -> None:
        """Ask for the matches of the card's identity fields as they are now."""
        values, customer_id = self._read_values()
        key = (customer_id, *(str(values.get(f) or "") for f in IDENTITY_FIELDS))
        if key == self._last:
            return
        self._last = key
        actor = self._actor
        self._operations.run(lambda: similar_while_typing(values, actor, customer_id),
                             self.show_matches, channel=CHANNEL,
                             on_error=lambda _error: None)

    def show_matches(self, found: tuple[list[Similar], int]) -> None:
        """Show ``similar_while_typing``'s answer (hidden when there is none)."""
        shown, hidden = found
        self.list.clear()
        for match in shown:
            g = match.glance
            mark = _("very likely the same customer") if match.strong else _("possibly")
            item = QListWidgetItem(f"{g.archive_no}  {g.name}  {g.phone}  {g.owner}  —  "
                                   f"{match.why}（{mark}）")
            item.setData(Qt.ItemDataRole.UserRole, g.customer_id)
            self.list.addItem(item)
        lines = []
        if shown:
            lines.append(ngettext("{n} archive may be this customer's: open it rather than "
                                  "keep a second one.",
                                  "{n} archives may be this customer's: open one rather than "
                                  "keep a second one.", len(shown)).format(n=len(shown)))
        if hidden:
            lines.append(_("An archive you may not see matches too: ask the manager."))
        self.heading.setText("<b>" + "<br>".join(lines) + "</b>" if lines else "")
        self.list.setVisible(bool(shown))
        self.setVisible(bool(shown or hidden))

    def forget(self) -> None:
        """Start afresh (another card was loaded)."""
        self._last = None
        self._timer.stop()
        self.show_matches(([], 0))


class SecondArchiveDialog(QDialog):
    """Asks why a second archive is kept for a customer who very likely has one."""

    def __init__(self, error: DuplicateArchiveError, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("This customer may already have an archive"))
        text = QLabel(str(error), self)
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_("e.g. father and son with the same name"))
        buttons = QDialogButtonBox(self)
        self.keep = buttons.addButton(_("Keep a second archive"),
                                      QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.keep.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.keep.setEnabled(bool(t.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel(_("Why is this a different customer? (kept in the audit "
                                  "trail)"), self))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)


def ask_second_archive(parent: QWidget, error: DuplicateArchiveError) -> str | None:
    """The reason a person gave for keeping a second archive, or None when they did not."""
    dialog = SecondArchiveDialog(error, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.text().strip() or None
