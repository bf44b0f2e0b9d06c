"""The customer list (客户一览): on screen, and printed as the customer roster.

Its rows are sequences of display texts in column order: what ``services.search.list_rows``
gives, followed by the texts of the office fields the office shows in the list.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from crmdesk.i18n import N_
from crmdesk.models.lists import kinds
from crmdesk.models.lists.columns import ColumnList, ListColumn, field_label, says
from crmdesk.models.office_fields import OfficeField

CUSTOMER_LIST = ColumnList("customers", (
    ListColumn("archive_no", says(N_("Archive no.")), kinds.ARCHIVE_NO),
    ListColumn("name", field_label("name"), kinds.NAME),
    ListColumn("mobile", field_label("mobile"), kinds.PHONE),
    ListColumn("company", says(N_("Company")), kinds.COMPANY),
    ListColumn("level", says(N_("Level")), kinds.CODE),
    ListColumn("status", field_label("status"), kinds.SHORT),
    ListColumn("owner", field_label("owner"), kinds.PERSON),
    ListColumn("last_contact", says(N_("Last contact")), kinds.DAY),
    ListColumn("next_follow_up", says(N_("Next follow-up")), kinds.DAY),
)).positional()
# The company column gives up room on paper to the office fields shown, down to this.
COMPANY_LEAST = 14


def office_column(field: OfficeField) -> ListColumn:
    """The column of an office field shown in the list: as wide as its kind's columns."""
    kind = kinds.ColumnKind(field.kind.width, field.kind.weight)
    return ListColumn(field.name, lambda: field.label, kind)


def with_office_fields(fields: Sequence[OfficeField]) -> ColumnList:
    """The customer list with the columns of ``fields`` after its own; on paper the company
    column narrows to make room for them."""
    extra = [office_column(f) for f in fields]
    room = sum(c.kind.weight for c in extra)
    company = replace(kinds.COMPANY, weight=max(COMPANY_LEAST, kinds.COMPANY.weight - room))
    own = [replace(c, kind=company) if c.key == "company" and extra else c
           for c in CUSTOMER_LIST]
    return ColumnList(CUSTOMER_LIST.name, (*own, *extra)).positional()
