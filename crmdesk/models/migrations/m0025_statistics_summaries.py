"""Schema 25: the statistics' summary rows (crmdesk.models.summaries).

Creates the contact tally, the level changes, the archives' milestones and their monthly and
per-level tallies, and indexes the columns of the protection rule, from which the lapses to the
pool are counted. The summaries are filled, and their triggers made, once every step has run
(``refresh_summaries``): they read the card as the latest schema has it.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

VERSION = 25
TABLES = (
    "CREATE TABLE IF NOT EXISTS contact_tally (day DATE NOT NULL, staff_key INTEGER NOT NULL, "
    "level_key INTEGER NOT NULL, contacts INTEGER NOT NULL, "
    "PRIMARY KEY (day, staff_key, level_key))",
    "CREATE TABLE IF NOT EXISTS level_change (communication_id INTEGER NOT NULL PRIMARY KEY, "
    "customer_id INTEGER NOT NULL, contacted_at {moment} NOT NULL, recorded_by_id INTEGER, "
    "level_id INTEGER NOT NULL, before_level_id INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS level_change_customer_id ON level_change (customer_id)",
    "CREATE INDEX IF NOT EXISTS level_change_contacted_at_recorded_by_id_customer_id "
    "ON level_change (contacted_at, recorded_by_id, customer_id)",
    "CREATE TABLE IF NOT EXISTS milestone (customer_id INTEGER NOT NULL PRIMARY KEY, "
    "created_day DATE NOT NULL, first_day DATE NOT NULL, owner_id INTEGER, source TEXT NOT NULL, "
    "level_id INTEGER, complete INTEGER NOT NULL, deal_day DATE)",
    "CREATE INDEX IF NOT EXISTS milestone_created_day_owner_id_source_complete "
    "ON milestone (created_day, owner_id, source, complete)",
    "CREATE INDEX IF NOT EXISTS milestone_first_day_owner_id_source_level_id_deal_day "
    "ON milestone (first_day, owner_id, source, level_id, deal_day)",
    "CREATE TABLE IF NOT EXISTS growth_tally (month DATE NOT NULL, owner_key INTEGER NOT NULL, "
    "source TEXT NOT NULL, complete INTEGER NOT NULL, archives INTEGER NOT NULL, "
    "PRIMARY KEY (month, owner_key, source, complete))",
    "CREATE TABLE IF NOT EXISTS start_tally (month DATE NOT NULL, owner_key INTEGER NOT NULL, "
    "source TEXT NOT NULL, level_key INTEGER NOT NULL, archives INTEGER NOT NULL, "
    "won INTEGER NOT NULL, days INTEGER NOT NULL, "
    "PRIMARY KEY (month, owner_key, source, level_key))",
    "CREATE TABLE IF NOT EXISTS class_tally (owner_key INTEGER NOT NULL, "
    "level_key INTEGER NOT NULL, archives INTEGER NOT NULL, PRIMARY KEY (owner_key, level_key))",
    "CREATE INDEX IF NOT EXISTS customer_protection ON customer "
    "(owner_id, created_at, level_id, status, last_contact_at)",
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the summary tables and the protection index (filled after the last step)."""
    moment = "TIMESTAMP" if isinstance(db, peewee.PostgresqlDatabase) else "DATETIME"
    for statement in TABLES:
        db.execute_sql(statement.format(moment=moment))
