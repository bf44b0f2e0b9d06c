"""Schema 6: an archive from before the front desk gains its tables, and nothing else changes."""
from __future__ import annotations

from crmdesk.models import Customer, Visit
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.migrations import applied_versions
from crmdesk.services import customers


def test_an_archive_without_the_front_desk_step_gets_its_tables_and_indexes(archive, salesperson):
    card = customers.new_card(salesperson)
    card.values.update(name="张三", mobile="13800138000")
    customers.save_card(card, salesperson, accept_incomplete=True)
    with database.atomic():
        # The live desks' tables (schema 10) and appointments (schema 18) refer to visits: an
        # archive from before schema 6 has none of them.
        for table in ("notice", "change_event", "appointment", "visit", "ownership_change",
                      "duty_entry"):
            database.execute_sql(f"DROP TABLE {table}")
        database.execute_sql("DELETE FROM schema_migration WHERE version IN (6, 10, 18)")
    close_database()

    db = open_database(archive)

    assert 6 in applied_versions(db)
    assert {"visit", "ownership_change", "duty_entry"} <= set(db.get_tables())
    indexed = {tuple(i.columns) for i in db.get_indexes("visit")}
    assert ("phone",) in indexed
    assert ("arrived_at",) in indexed
    assert Customer.select().count() == 1
    assert Visit.select().count() == 0
