"""The shape of each tab of the 保密登记 page: a register read as an operation into a table,
with the buttons that act on the chosen line (each act an operation, the register read again
after it)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from crmdesk.ui.operations import Operation
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class RegisterTab(QWidget):
    """One register: subclasses say how to read it (``read``) and show a line (``cells``)."""

    title = ""

    def __init__(self, window: MainWindow, headers: Sequence[str], empty: str) -> None:
        super().__init__(window)
        self._window, self._actor = window, window.actor
        self.rows: list[Any] = []
        self.table = RowsTable(headers, self, empty=empty)
        self.table.itemSelectionChanged.connect(self.enable)
        self.buttons = QHBoxLayout()
        self.top = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def add_filter(self, text: str) -> QCheckBox:
        """A box above the register that narrows it (only what is still open); ticking it
        reads the register again."""
        box = QCheckBox(text, self)
        box.toggled.connect(self.reload)
        self.top.addWidget(box)
        self.top.addStretch(1)
        return box

    def add_decisions(self, approve: tuple[str, Callable[[], object], str],
                      refuse: tuple[str, Callable[[], object], str],
                      shown: bool) -> tuple[QPushButton, QPushButton]:
        """The approve and refuse buttons (text, slot, object name), shown only to those who
        decide."""
        buttons = (self.add_button(*approve), self.add_button(*refuse))
        self.buttons.addStretch(1)
        for button in buttons:
            button.setVisible(shown)
        return buttons

    def add_button(self, text: str, slot: Callable[[], object], name: str) -> QPushButton:
        """A button under the register."""
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def read(self) -> Callable[[], list[Any]]:
        """The service call that reads the register."""
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        """One line of the register as the table shows it."""
        raise NotImplementedError

    def warn(self, _row: Any) -> bool:
        """True for lines drawn in red."""
        return False

    def key(self, row: Any) -> Any:
        return row.id

    def reload(self) -> Operation:
        """Read the register again."""
        return self._window.tasks.run(self.read(), self._show, channel=f"register-{id(self)}",
                                      title=self.title)

    def _show(self, rows: list[Any]) -> None:
        chosen = self.table.current_key()
        self.rows = rows
        self.table.set_rows([(self.key(row), self.cells(row)) for row in rows],
                            warn=[self.warn(row) for row in rows])
        if chosen is not None:
            self.table.select_key(chosen)
        self.enable()

    def chosen(self) -> Any:
        """The line selected, or None."""
        key = self.table.current_key()
        return next((row for row in self.rows if self.key(row) == key), None)

    def enable(self) -> None:
        """Enable the buttons that fit the chosen line (subclasses)."""

    def act(self, work: Callable[[], object], title: str) -> Operation:
        """Run one service call on the chosen line, then read the register again."""
        return self._window.tasks.run(work, lambda _result: self.reload(), title=title,
                                      parent=self)

    def opened(self, dialog: Any) -> bool:
        """Run a form; read the register again when it did something."""
        done = bool(dialog.exec())
        if done:
            self.reload()
        return done
