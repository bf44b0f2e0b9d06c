"""The customer list's columns and rows: the declared columns, then the office fields the
office shows in the list (a manager's choice, shared by every desk).

Rows are the search's list rows with the texts of those fields after them; a card the reader
may not read shows its office fields empty, as it shows its other details.
"""
from __future__ import annotations

from collections.abc import Sequence

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer
from crmdesk.models.db import database
from crmdesk.models.lists.columns import ColumnList
from crmdesk.models.lists.customers import with_office_fields
from crmdesk.models.office_fields import OfficeField, office_fields
from crmdesk.services import audit, office_values, settings
from crmdesk.services.context import Actor
from crmdesk.services.search import list_rows
from crmdesk.services.visibility import Duty, readable_ids, require

SETTING = "list_office_fields"


def listed_fields() -> list[OfficeField]:
    """The office fields shown in the list, in the order chosen (hidden ones left out)."""
    shown = {f.key: f for f in office_fields()}
    return [shown[key] for key in settings.get(SETTING) if key in shown]


def list_columns(fields: Sequence[OfficeField] | None = None) -> ColumnList:
    """The customer list's columns: the declared ones, then ``fields`` (default: those the
    office shows in the list)."""
    return with_office_fields(list(listed_fields() if fields is None else fields))


def columns_of(keys: Sequence[str]) -> ColumnList:
    """The list's columns named by ``keys`` (as ``list_columns`` gave them), in that order.

    Raises:
        KeyError: a key names no column of the list (an office field since hidden).
    """
    office = {f.name: f for f in office_fields(include_hidden=True)}
    return list_columns([office[k] for k in keys if k in office]).only(keys).positional()


def set_listed_fields(keys: Sequence[str], actor: Actor | None) -> list[OfficeField]:
    """Show the office fields ``keys`` (in this order) as columns of the customer list.

    Raises:
        PermissionDenied: the actor is not a manager or administrator.
        ValidationError: a key names no shown office field.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    shown = {f.key for f in office_fields()}
    unknown = [key for key in keys if key not in shown]
    if unknown:
        raise ValidationError([Problem("columns", _("List columns"), _(
            "no shown office field has the key {keys}").format(keys=", ".join(unknown)))])
    chosen = list(dict.fromkeys(keys))
    with database.atomic():
        settings.put(SETTING, chosen)
        audit.record(actor, "list_columns", None, office_fields=chosen)
    return listed_fields()


def rows(ids: list[int], actor: Actor | None,
         fields: Sequence[OfficeField] | None = None) -> dict[int, tuple[str, ...]]:
    """The list's rows (see ``list_columns``) of the customers ``ids``, by id."""
    return with_office_cells(list_rows(ids, actor), actor, fields)


def with_office_cells(found: dict[int, tuple[str, ...]], actor: Actor | None,
                      fields: Sequence[OfficeField] | None = None
                      ) -> dict[int, tuple[str, ...]]:
    """The search's list rows ``found`` (by id) with the texts of ``fields`` (default: those
    the office shows in the list) after them; empty where ``actor`` may not read the card."""
    fields = listed_fields() if fields is None else list(fields)
    if not fields or not found:
        return found
    values = office_values.values_of(_readable(list(found), actor))
    return {cid: (*row, *(f.display(values.get(cid, {}).get(f.key)) for f in fields))
            for cid, row in found.items()}


def _readable(ids: list[int], actor: Actor | None) -> list[int]:
    """Of ``ids``, the cards ``actor`` may read in full."""
    cards = Customer.select(Customer.id, Customer.owner, Customer.confidentiality).where(
        Customer.id.in_(ids)).tuples()
    return sorted(readable_ids(actor, list(cards)))
