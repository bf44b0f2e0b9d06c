"""Archives made before imports were recorded gain the import tables when opened."""
from __future__ import annotations

from crmdesk.models import ImportBatch
from crmdesk.models.db import close_database, database, open_database


def test_an_archive_without_the_import_tables_gets_them(tmp_path):
    path = tmp_path / "old.sqlite3"
    open_database(path)
    database.execute_sql("DROP TABLE import_item")
    database.execute_sql("DROP TABLE import_batch")
    database.execute_sql("DELETE FROM schema_migration WHERE version = 4")
    close_database()
    open_database(path)
    try:
        assert {"import_batch", "import_item"} <= set(database.get_tables())
        assert ImportBatch.select().count() == 0
        recorded = database.execute_sql("SELECT name FROM schema_migration WHERE version = 4")
        assert recorded.fetchone() == ("imports",)
    finally:
        close_database()
