"""The demo is loaded without the summaries' triggers and its summaries worked out once."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Communication, summaries
from crmdesk.models.db import database
from crmdesk.services.demo import build_demo


def test_a_demo_leaves_summaries_that_agree_with_the_log_and_keep_up_after(archive):
    build_demo(40, seed=3, today=dt.date(2026, 12, 6))
    assert summaries.drift(database.obj) == []

    graded = Communication.select().where(Communication.level.is_null(False)).first()
    Communication.delete().where(Communication.id == graded.id).execute()
    assert summaries.drift(database.obj) == []  # the triggers are back in place
