"""The communication log (沟通记录): a card's back on screen, on paper (``PRINTED_LOG``, the
card's back and one customer's log register) and the export of the logs of the cards a list
shows (after ``CARD_OF_CONTACT``). Its rows are the entries of
``services.customers.communication_log`` (level codes and recorders' names resolved); the
export's rows carry their card's archive number and name besides."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.i18n import N_
from crmdesk.models.card import COMMUNICATION_COLUMNS
from crmdesk.models.lists import kinds
from crmdesk.models.lists.columns import ColumnList, Heading, ListColumn, field_label, says

_LABELS = {c.name: c for c in COMMUNICATION_COLUMNS}
_KINDS = {
    "seq": kinds.COUNT,
    "contacted_at": kinds.MOMENT,
    "method": kinds.choices(_LABELS["method"].choices, 8, 12),
    "person": kinds.PERSON,
    "person_role": kinds.PERSON,
    "level": kinds.CODE,
    "record": kinds.RECORD,
    "conclusion": kinds.ColumnKind(16, 23),
    "next_follow_up": kinds.DAY,
    "recorded_by": kinds.PERSON,
}


def _heading(name: str) -> Heading:
    return lambda: _LABELS[name].label


COMMUNICATION_LOG = ColumnList("communications", tuple(
    ListColumn(c.name, _heading(c.name), _KINDS[c.name]) for c in COMMUNICATION_COLUMNS))


def _person_heading() -> str:
    return f"{_LABELS['person'].label}/{_LABELS['person_role'].label}"


def _person(entry: Mapping[str, Any]) -> str:
    """The person contacted and their role, as one column."""
    return "/".join(str(entry[k]) for k in ("person", "person_role") if entry.get(k))


# On paper the role shares the person's column (it is a word or two), leaving the record room.
PRINTED_LOG = ColumnList("communications", tuple(
    ListColumn("person", _person_heading, kinds.ColumnKind(14, 20), _person)
    if c.key == "person" else c for c in COMMUNICATION_LOG if c.key != "person_role"))
# The cards a log export spans: each row names its card first.
CARD_OF_CONTACT = ColumnList("card", (
    ListColumn("archive_no", says(N_("Archive no.")), kinds.ARCHIVE_NO),
    ListColumn("name", field_label("name"), kinds.NAME),
))
