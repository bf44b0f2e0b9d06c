"""Customer levels and their follow-up cadence (客户分级 / 追踪频率)."""
from __future__ import annotations

import peewee

from crmdesk.i18n import N_
from crmdesk.models.db import BaseModel


class Level(BaseModel):
    """One level of the scheme; ``interval_days`` is None when the level needs no follow-up."""

    code = peewee.TextField(unique=True)
    name = peewee.TextField()
    description = peewee.TextField(default="")
    interval_days = peewee.IntegerField(null=True)
    sort_order = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)


# The showroom scheme from the office handbook is the default (code, name, days, description),
# in words that fit any trade. Names and descriptions are stored as these message ids and shown
# translated (crmdesk.services.levels.shown), so the default scheme reads in the interface's
# language; a name the office types itself is shown as typed.
DEFAULT_SCHEME = (
    ("O", N_("O won, awaiting delivery"), None, N_("Ordered, not yet delivered: follow up as "
                                                    "needed")),
    ("H", N_("H level"), 2, N_("Likely to order within 7 days: follow up every 2 days")),
    ("A", N_("A level"), 3, N_("Likely to order in 7-15 days: follow up every 3 days")),
    ("B", N_("B level"), 5, N_("Likely to order in 15-30 days: follow up every 5 days")),
    ("C", N_("C level"), 7, N_("Likely to order in 31-90 days: follow up every 7 days")),
    ("战败", N_("Lost"), None, N_("Ordered from a competitor: no more follow-up")),
)
