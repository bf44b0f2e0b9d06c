"""The administrator's staff page: accounts, roles, passwords, deactivation."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.staff import ROLES
from crmdesk.services import accounts
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.errors import attempt


def role_label(role: str) -> str:
    """A role's name in the current language."""
    return {"frontdesk": _("Front desk"), "sales": _("Salesperson"), "manager": _("Manager"),
            "admin": _("Administrator")}[role]


class RolesBox(QWidget):
    """One tick box per role."""

    def __init__(self, chosen: str = "sales", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {role: QCheckBox(role_label(role), self) for role in ROLES}
        for role, box in self.boxes.items():
            box.setChecked(role in chosen.split(","))
            layout.addWidget(box)

    def roles(self) -> tuple[str, ...]:
        return tuple(role for role, box in self.boxes.items() if box.isChecked())


class AccountDialog(QDialog):
    """Name, user name, roles and first password of a new member of staff."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a member of staff"))
        self.name, self.username = QLineEdit(self), QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.roles = RolesBox(parent=self)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Roles"), self.roles)
        form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class StaffPage(QWidget):
    """The staff list with the administrator's actions."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("User name"), _("Roles"), _("Active"), _("Locked out")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        buttons = QHBoxLayout()
        for text, slot in ((_("Add…"), self.add), (_("Roles…"), self.change_roles),
                           (_("Set password…"), self.reset_password),
                           (_("Deactivate"), self.deactivate)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._ids: list[int] = []
        self.reload()

    def reload(self) -> None:
        rows = accounts.staff_accounts()
        self._ids = [r["id"] for r in rows]
        self.table.setRowCount(len(rows))
        for row, r in enumerate(rows):
            roles = "、".join(role_label(x) for x in r["roles"].split(",") if x in ROLES)
            values = (r["name"], r["username"], roles, _("Yes") if r["active"] else _("No"),
                      _("Yes") if r["locked"] else "")
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _chosen(self) -> int | None:
        row = self.table.currentRow()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def _run(self, action: Callable[[], object]) -> None:
        attempt(self, _("Staff"), action)
        self.reload()

    def add(self) -> None:
        dialog = AccountDialog(self)
        if dialog.exec():
            self._run(lambda: accounts.add_account(
                self._actor, dialog.name.text().strip(), dialog.username.text().strip(),
                dialog.roles.roles(), dialog.password.text()))

    def change_roles(self) -> None:
        staff_id = self._chosen()
        if staff_id is None:
            return
        current = next(r["roles"] for r in accounts.staff_accounts() if r["id"] == staff_id)
        dialog = QDialog(self)
        box = RolesBox(current, dialog)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(box)
        layout.addWidget(buttons)
        if dialog.exec():
            self._run(lambda: accounts.set_roles(self._actor, staff_id, box.roles()))

    def reset_password(self) -> None:
        staff_id = self._chosen()
        if staff_id is None:
            return
        password, ok = QInputDialog.getText(self, _("Set password"), _("New password:"),
                                            QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda: accounts.set_password(self._actor, staff_id, password))

    def deactivate(self) -> None:
        staff_id = self._chosen()
        if staff_id is None:
            return

        def act() -> None:
            owned = accounts.deactivate(self._actor, staff_id)
            if owned:
                QMessageBox.information(self, _("Staff"), _(
                    "They still own {n} customers: a manager should hand them over.").format(
                    n=owned))

        self._run(act)


def install(window: object) -> None:
    """Add the staff page for administrators."""
    if may(window.actor, Duty.STAFF_ADMIN):  # type: ignore[attr-defined]
        window.add_page(StaffPage(window.actor, window), _("Staff"))  # type: ignore[attr-defined]
