"""Schema 16 on an archive whose notices predate it: the columns and the daily key are added."""
from __future__ import annotations

import datetime as dt

import peewee
import pytest
from playhouse.migrate import SchemaMigrator

from crmdesk.models import Notice, Staff
from crmdesk.models.db import database
from crmdesk.models.migrations import m0016_daily_notices


def test_schema_16_adds_the_daily_notice_columns_and_key(archive):
    db = database.obj
    index = next(i.name for i in db.get_indexes("notice") if "day" in i.columns)
    db.execute_sql(f'DROP INDEX "{index}"')
    for column in ("day", "count", "note"):
        db.execute_sql(f'ALTER TABLE notice DROP COLUMN "{column}"')

    with db.atomic():
        m0016_daily_notices.run(SchemaMigrator.from_database(db), db)

    assert {"day", "count", "note"} <= {c.name for c in db.get_columns("notice")}
    staff = Staff.create(name="王强", username="sales", roles="sales")
    fields = {"created_at": dt.datetime(2026, 2, 27, 9), "recipient": staff, "kind": "lapsing",
              "day": dt.date(2026, 2, 27), "count": 3}
    Notice.create(**fields)
    with pytest.raises(peewee.IntegrityError), db.atomic():
        Notice.create(**fields)
