"""Choosing a report's period: a day, the week (from Monday), month, quarter or year holding a
day, or any range from one day to another."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from crmdesk.i18n import _
from crmdesk.services.statistics.periods import Period, period_of

RANGE = "range"


def period_kinds() -> tuple[tuple[str, str], ...]:
    """(key, label) of every kind of period, the range last."""
    return (("day", _("A day")), ("week", _("A week")), ("month", _("A month")),
            ("quarter", _("A quarter")), ("year", _("A year")), (RANGE, _("From … to …")))


def _date_edit(day: dt.date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class PeriodPicker(QWidget):
    """The kind of period and its day (or first and last day); ``changed`` on every change."""

    changed = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox(self)
        self.kind.setObjectName("periodKind")
        for key, label in period_kinds():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData("month"))
        self.day = _date_edit(today, self)
        self.day.setToolTip(_("Any day of the period"))
        self.first = _date_edit(today.replace(day=1), self)
        self.to_label = QLabel(_("to"), self)
        self.last = _date_edit(today, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.day, self.first, self.to_label, self.last):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for edit in (self.day, self.first, self.last):
            edit.dateChanged.connect(self.changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        ranged = self.kind.currentData() == RANGE
        self.day.setVisible(not ranged)
        for widget in (self.first, self.to_label, self.last):
            widget.setVisible(ranged)
        self.changed.emit()

    def choose(self, kind: str, day: dt.date) -> None:
        """Show the ``kind`` of period holding ``day``."""
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def choose_range(self, first: dt.date, last: dt.date) -> None:
        """Show the range from ``first`` to ``last``."""
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))
        self.kind.setCurrentIndex(self.kind.findData(RANGE))

    def period(self) -> Period:
        """The period chosen.

        Raises:
            ValueError: a range whose last day comes before its first (the message says so).
        """
        if self.kind.currentData() != RANGE:
            return period_of(self.kind.currentData(), self.day.date().toPython())
        first, last = self.first.date().toPython(), self.last.date().toPython()
        if last < first:
            raise ValueError(_("The period's last day ({last}) comes before its first "
                               "({first}).").format(last=last.isoformat(),
                                                    first=first.isoformat()))
        return Period(first, last)
