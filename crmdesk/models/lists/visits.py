"""The visitor and caller register (来人来电登记表): on the front desk's register page,
exported, and printed. Its rows are ``services.visit_register.VisitRow``."""
from __future__ import annotations

from typing import Any

from crmdesk.i18n import N_, _
from crmdesk.models.card import SOURCES
from crmdesk.models.lists import kinds
from crmdesk.models.lists.columns import ColumnList, ListColumn, says

# The register's channels (来访 / 来电).
CHANNEL_TITLES = {"visit": N_("Walk-in"), "call": N_("Call")}
# How the salesperson of a visit was chosen.
ASSIGNMENT_TITLES = {"owner": N_("Owner"), "referral": N_("Old customer's salesperson"),
                     "household": N_("Household's first receiver"), "rotation": N_("Rotation"),
                     "make_up": N_("Make-up turn"), "manual": N_("Chosen by the desk")}


def channel_label(channel: str) -> str:
    """The channel as the register shows it (来访 / 来电)."""
    return _(CHANNEL_TITLES.get(channel, channel))


def assignment_label(row: Any) -> str:
    """How the visit's salesperson was chosen, with the reason of an override."""
    if row.assignment == "override":
        return _("Override: {reason}").format(reason=row.override_reason)
    title = ASSIGNMENT_TITLES.get(row.assignment)
    return _(title) if title else row.assignment


def _returning(returning: bool) -> str:
    return _("Return") if returning else _("First visit")


# Narrower than elsewhere, so that a range's register keeps its archive numbers, phones and
# moments on one line across an A4 page.
_VISITOR = kinds.ColumnKind(10, 16)
_PURPOSE = kinds.ColumnKind(30, 22)
_DESK = kinds.ColumnKind(8, 12)

VISIT_REGISTER = ColumnList("visits", (
    ListColumn("arrived_at", says(N_("Arrival")), kinds.MOMENT),
    ListColumn("channel", says(N_("Channel")), kinds.labels(channel_label, 6, 8.5)),
    ListColumn("name", says(N_("Visitor")), _VISITOR),
    ListColumn("phone", says(N_("Phone")), kinds.PHONE),
    ListColumn("party_size", says(N_("Party")), kinds.COUNT),
    ListColumn("purpose", says(N_("Purpose")), _PURPOSE),
    ListColumn("source", says(N_("Source")), kinds.choices(SOURCES, 8, 12)),
    ListColumn("receptionist", says(N_("Received at desk by")), _DESK),
    ListColumn("salesperson", says(N_("Salesperson")), _DESK),
    ListColumn("assignment", says(N_("How assigned")), kinds.ColumnKind(8, 10),
               assignment_label),
    ListColumn("archive_no", says(N_("Archive no.")), kinds.ARCHIVE_NO),
    ListColumn("returning", says(N_("First or return")), kinds.labels(_returning, 6, 9)),
    ListColumn("departed_at", says(N_("Departure")), kinds.TIME),
))
