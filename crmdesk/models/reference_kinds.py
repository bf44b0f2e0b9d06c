"""The kinds of field that name another record: a member of staff, a level, a customer."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import peewee

from crmdesk.i18n import _
from crmdesk.models import cell_values
from crmdesk.models.cell_values import cell_text, empty_cell
from crmdesk.models.field_kind import CellNames, Choices, FieldKind
from crmdesk.models.level import Level
from crmdesk.models.parsers import ValueProblem
from crmdesk.models.staff import Staff


class ReferenceKind(FieldKind):
    """The id of an entry of a list the archive keeps; the form picks it, a cell names it."""

    model: ClassVar[type[peewee.Model]]

    def accept(self, value: Any, choices: Choices = (), limit: int | None = None) -> Any:
        if empty_cell(value):
            return None
        if not self.model.select().where(self.model.id == value).exists():
            raise ValueProblem(_("no such entry"))
        return int(value)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        text = cell_text(value)
        found = self.entries(names).get(cell_values.normalized(text))
        if found is None:
            raise ValueProblem(self.unknown(text, names))
        return found

    def entries(self, names: CellNames) -> Mapping[str, int]:
        """The ids of the list's entries by every name a sheet may use for them."""
        raise NotImplementedError

    def unknown(self, text: str, names: CellNames) -> str:
        """Why a cell naming no entry (``text``) is refused."""
        raise NotImplementedError


class StaffKind(ReferenceKind):
    """A member of staff (the salesperson, who registered the card)."""

    model = Staff

    def column(self, name: str) -> peewee.Field:
        return peewee.ForeignKeyField(Staff, null=True, backref=f"customers_as_{name}",
                                      on_delete="SET NULL")

    def entries(self, names: CellNames) -> Mapping[str, int]:
        return names.staff

    def unknown(self, text: str, names: CellNames) -> str:
        return _("no member of staff called {name}").format(name=text)


class LevelKind(ReferenceKind):
    """One of the office's customer levels."""

    model = Level

    def column(self, name: str) -> peewee.Field:
        return peewee.ForeignKeyField(Level, null=True, backref="customers",
                                      on_delete="RESTRICT")

    def entries(self, names: CellNames) -> Mapping[str, int]:
        return names.levels

    def unknown(self, text: str, names: CellNames) -> str:
        return _("no level {code}; the levels are {codes}").format(
            code=text, codes="、".join(names.level_codes))


class CustomerKind(FieldKind):
    """Another customer (who referred this one), written by archive number."""

    def column(self, name: str) -> peewee.Field:
        return peewee.ForeignKeyField("self", null=True, backref="referred",
                                      on_delete="SET NULL")

    def accept(self, value: Any, choices: Choices = (), limit: int | None = None) -> Any:
        from crmdesk.models.customer import Customer  # the Customer table is built from kinds

        if empty_cell(value):
            return None
        if isinstance(value, str) and not value.strip().isdigit():
            # Referrers are written by archive number (KH2026000123) on forms and in workbooks.
            found = Customer.get_or_none(Customer.archive_no == value.strip().upper())
            if found is None:
                raise ValueProblem(_("no archive numbered {no}").format(no=value.strip()))
            return found.id
        if not Customer.select().where(Customer.id == value).exists():
            raise ValueProblem(_("no such entry"))
        return int(value)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        # The import pipeline finds the customer, who may be in the same file.
        return cell_text(value)
