"""The staff page: the administrator's accounts, roles, passwords and deactivation, and the
manager's duty list (who takes turns at reception today, in which order, who is out)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
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
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import N_, _
from crmdesk.models.staff import ROLES
from crmdesk.services import accounts, rotation
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.errors import attempt
from crmdesk.ui.operations import Operations
from crmdesk.ui.pages.duty_view import DutyView

ACCOUNTS_REFUSAL = N_("Only an administrator can change accounts.")
DUTY_REFUSAL = N_("The duty list is run by a manager.")


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
    """The staff list; administrators manage accounts, managers run the duty list (the
    other's buttons are shown disabled, with who may use them in the tooltip)."""

    def __init__(self, actor: Actor | None, tasks: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("staffList")
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("User name"), _("Roles"), _("Active"), _("Locked out"),
             _("On today's duty list")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        admin = may(actor, Duty.STAFF_ADMIN)
        self.runs_duty = may(actor, Duty.REGISTER_VISITS) and (
            actor is None or "manager" in actor.roles)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot, allowed, why in (
                ("add", _("Add…"), self.add, admin, ACCOUNTS_REFUSAL),
                ("roles", _("Roles…"), self.change_roles, admin, ACCOUNTS_REFUSAL),
                ("password", _("Set password…"), self.reset_password, admin, ACCOUNTS_REFUSAL),
                ("deactivate", _("Deactivate"), self.deactivate, admin, ACCOUNTS_REFUSAL),
                ("on_duty", _("Put on today's duty list"), lambda: self.put_on_duty(True),
                 self.runs_duty, DUTY_REFUSAL),
                ("off_duty", _("Take off today's duty list"), lambda: self.put_on_duty(False),
                 self.runs_duty, DUTY_REFUSAL)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setEnabled(allowed)
            if not allowed:
                button.setToolTip(_(why))
            self.buttons[name] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        self.duty: DutyView | None = None
        if self.runs_duty:
            splitter = QSplitter(Qt.Orientation.Vertical, self)
            splitter.addWidget(self.table)
            self.duty = DutyView(actor, tasks, splitter)
            splitter.addWidget(self.duty)
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(self.table, 1)
        self._ids: list[int] = []
        self._on_duty: list[int] = []
        self.reload()

    def reload(self) -> None:
        """Read the staff and today's duty list again."""
        rows = accounts.staff_accounts()
        self._ids = [r["id"] for r in rows]
        self._on_duty = [m.staff_id for m in rotation.duty_list(dt.date.today())]
        self.table.setRowCount(len(rows))
        for row, r in enumerate(rows):
            roles = "、".join(role_label(x) for x in r["roles"].split(",") if x in ROLES)
            turn = self._on_duty.index(r["id"]) + 1 if r["id"] in self._on_duty else None
            values = (r["name"], r["username"], roles, _("Yes") if r["active"] else _("No"),
                      _("Yes") if r["locked"] else "",
                      _("No. {n}").format(n=turn) if turn else "")
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def put_on_duty(self, on: bool) -> None:
        """Put the chosen salesperson at the end of today's duty list, or take them off."""
        staff_id = self._chosen()
        if staff_id is None:
            return
        order = [i for i in self._on_duty if i != staff_id] + ([staff_id] if on else [])
        self._run(lambda: rotation.set_duty_list(dt.date.today(), order, self._actor))
        if self.duty is not None:
            self.duty.reload()

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
    """Add the staff page for administrators and managers."""
    actor = window.actor  # type: ignore[attr-defined]
    if may(actor, Duty.STAFF_ADMIN) or may(actor, Duty.REASSIGN):
        window.add_page(StaffPage(actor, window.tasks, window), _("Staff"))  # type: ignore[attr-defined]
