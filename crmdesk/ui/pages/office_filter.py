"""The customer list's filter on an office field's value, and (for managers and
administrators) the choice of the office fields shown as the list's columns."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QToolButton, QWidget

from crmdesk.i18n import _
from crmdesk.models.office_fields import OfficeField
from crmdesk.services import customer_list, office_fields
from crmdesk.services.context import Actor
from crmdesk.services.list_filters import OfficeValueFilter
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.operations import Operations


class OfficeFilter(QWidget):
    """An office field, the value to find in it, and the list-columns menu. ``changed`` fires
    when the filter changes, ``columns_changed`` when other office fields are shown as columns.
    Hidden while the office has no fields of its own."""

    changed = Signal()
    columns_changed = Signal()

    def __init__(self, tasks: Operations, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks, self._actor = tasks, actor
        self._fields: list[OfficeField] = []
        self._shown: OfficeValueFilter | None = None  # the filter the list was last told of
        self.field = QComboBox(self)
        self.field.setObjectName("officeField")
        self.field.setToolTip(_("Find the customers by the value of one of the office's fields"))
        self.field.currentIndexChanged.connect(self._field_chosen)
        self.value = QComboBox(self)
        self.value.setObjectName("officeValue")
        self.value.setEditable(True)
        self.value.setMinimumContentsLength(8)
        self.value.lineEdit().setPlaceholderText(_("Value"))
        self.value.lineEdit().editingFinished.connect(self._maybe_changed)
        self.value.activated.connect(self._maybe_changed)
        self.columns = QToolButton(self)
        self.columns.setObjectName("listColumns")
        self.columns.setText(_("Columns"))
        self.columns.setToolTip(_("The office fields shown as columns of the list"))
        self.columns.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns.setMenu(QMenu(self.columns))
        self.columns.setVisible(may(actor, Duty.BUSINESS_SETTINGS))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.value, self.columns):
            layout.addWidget(widget)
        self.setVisible(False)
        self.load()

    def wanted(self) -> OfficeValueFilter | None:
        """The filter chosen, or None (no field, or no value typed)."""
        key, text = self.field.currentData(), self.value.currentText().strip()
        if key is None or not text:
            return None
        return OfficeValueFilter(key, text)

    def load(self) -> None:
        """Read the office's fields and those shown as columns (as an operation)."""
        def read() -> tuple[list[OfficeField], list[str]]:
            return (office_fields.fields_of_office(include_hidden=False),
                    [f.key for f in customer_list.listed_fields()])

        self._tasks.run(read, self._loaded, title=_("Office fields"))

    def _loaded(self, found: tuple[list[OfficeField], list[str]]) -> None:
        self._fields, listed = found
        chosen = self.field.currentData()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(_("Any office field"), None)
        for field in self._fields:
            self.field.addItem(field.label, field.key)
        self.field.setCurrentIndex(max(self.field.findData(chosen), 0))
        self.field.blockSignals(False)
        self._field_chosen()
        menu = self.columns.menu()
        menu.clear()
        for field in self._fields:
            action = menu.addAction(field.label)
            action.setCheckable(True)
            action.setChecked(field.key in listed)
            action.setData(field.key)
            action.toggled.connect(self._columns_toggled)
        self.setVisible(bool(self._fields))

    def _field_chosen(self) -> None:
        key = self.field.currentData()
        field = next((f for f in self._fields if f.key == key), None)
        self.value.clear()
        self.value.setEnabled(field is not None)
        for choice in field.choices if field else ():
            self.value.addItem(choice.label)
        self.value.setCurrentIndex(-1)
        self.value.setEditText("")
        self._maybe_changed()

    def _maybe_changed(self) -> None:
        if self.wanted() != self._shown:
            self._shown = self.wanted()
            self.changed.emit()

    def _columns_toggled(self) -> None:
        keys = [a.data() for a in self.columns.menu().actions() if a.isChecked()]
        actor = self._actor
        self._tasks.run(lambda: customer_list.set_listed_fields(keys, actor),
                        lambda _shown: self.columns_changed.emit(), title=_("List columns"))
