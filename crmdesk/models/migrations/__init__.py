"""Schema versions of the archive and the steps that bring an older archive up to date.

A new archive is created at the latest version straight from the models. An older archive
runs each step it has not recorded yet, in order, each inside ``migration_context()`` (one
transaction where the database allows, foreign keys off during SQLite table rebuilds), and
each step is recorded in ``schema_migration``. An archive written by a newer crmdesk is
refused rather than damaged.

On a shared PostgreSQL archive desks may connect as a role that cannot change the schema (set up
by ``crmdesk db init``). Such a desk never tries DDL: an archive needing a step, or an empty
database, is refused with a message telling IT which command to run as the owner.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.errors import ArchiveNotSetUpError, ArchiveTooNewError, ArchiveTooOldError
from crmdesk.i18n import _
from crmdesk.models import roles
from crmdesk.models.birthday_index import create_birthday_indexes
from crmdesk.models.count_indexes import create_count_indexes
from crmdesk.models.follow_up_tally import create_follow_up_tally
from crmdesk.models.migrations import (
    m0002_search_keys,
    m0003_followup_index,
    m0004_imports,
    m0005_speed_indexes,
    m0006_frontdesk,
    m0007_accounts,
    m0008_consent_how,
    m0009_postgresql_indexes,
    m0010_live_desks,
    m0011_audit_seals_every_column,
    m0012_complaints_and_deals,
    m0014_duplicates,
    m0016_daily_notices,
    m0018_appointments,
    m0019_confidentiality_registers,
    m0020_statistics_indexes,
    m0022_covering_follow_up_indexes,
    m0024_office_fields,
    m0025_statistics_summaries,
    m0026_search_pieces,
    m0027_follow_up_tally,
    m0028_seed_items,
    m0029_home_page_indexes,
    m0030_complete_cards,
    m0031_owner_list_indexes,
)
from crmdesk.models.search_index import create_search_index
from crmdesk.models.search_pieces import create_search_pieces
from crmdesk.models.summaries import install_triggers, refresh_summaries

log = logging.getLogger(__name__)


class SchemaMigration(peewee.Model):
    """One applied step: its version number, name and when it ran."""

    version = peewee.IntegerField(primary_key=True)
    name = peewee.TextField()
    applied_at = peewee.DateTimeField()

    class Meta:
        table_name = "schema_migration"


@dataclass(frozen=True)
class Step:
    """A numbered schema change; ``run`` is None for the initial layout."""

    version: int
    name: str
    run: Callable[[SchemaMigrator, peewee.Database], None] | None


STEPS: tuple[Step, ...] = (
    Step(1, "initial", None),
    Step(2, "search keys", m0002_search_keys.run),
    Step(3, "follow-up index", m0003_followup_index.run),
    Step(4, "imports", m0004_imports.run),
    Step(5, "speed indexes", m0005_speed_indexes.run),
    Step(6, "front desk", m0006_frontdesk.run),
    Step(7, "accounts and sealed audit", m0007_accounts.run),
    Step(8, "consent method", m0008_consent_how.run),
    Step(9, "postgresql search and count indexes", m0009_postgresql_indexes.run),
    Step(10, "live desks", m0010_live_desks.run),
    Step(11, "audit seals every column", m0011_audit_seals_every_column.run),
    Step(12, "complaints and deals", m0012_complaints_and_deals.run),
    Step(14, "duplicates and merges", m0014_duplicates.run),
    Step(16, "daily notices", m0016_daily_notices.run),
    Step(18, "appointments", m0018_appointments.run),
    Step(19, "confidentiality registers and households", m0019_confidentiality_registers.run),
    Step(20, "statistics indexes", m0020_statistics_indexes.run),
    Step(22, "covering follow-up indexes", m0022_covering_follow_up_indexes.run),
    Step(24, "office fields", m0024_office_fields.run),
    Step(25, "statistics summaries", m0025_statistics_summaries.run),
    Step(26, "search pieces", m0026_search_pieces.run),
    Step(27, "follow-up tally", m0027_follow_up_tally.run),
    Step(28, "seed items and yearly sales", m0028_seed_items.run),
    Step(29, "home page indexes", m0029_home_page_indexes.run),
    Step(30, "complete cards count the office's important fields", m0030_complete_cards.run),
    Step(31, "owner list indexes", m0031_owner_list_indexes.run),
)
LATEST = STEPS[-1].version


def applied_versions(db: peewee.Database) -> set[int]:
    """The steps recorded in the archive; empty for an empty database."""
    if "schema_migration" not in db.get_tables():
        return set()
    with db.bind_ctx([SchemaMigration]):
        return {row[0] for row in SchemaMigration.select(SchemaMigration.version).tuples()}


def current_version(db: peewee.Database) -> int:
    """The archive's schema version (its highest recorded step); 0 for an empty database."""
    return max(applied_versions(db), default=0)


def _record(db: peewee.Database, steps: tuple[Step, ...]) -> None:
    now = dt.datetime.now()
    with db.bind_ctx([SchemaMigration]):
        for step in steps:
            SchemaMigration.create(version=step.version, name=step.name, applied_at=now)


def create_archive(db: peewee.Database) -> None:
    """Create every table of a new archive at the latest version, with its default settings."""
    from crmdesk.models import ALL_MODELS
    from crmdesk.models.seed import seed_defaults

    with db.atomic():
        with db.bind_ctx([SchemaMigration]):
            db.create_tables([SchemaMigration])
        db.create_tables(ALL_MODELS)
        create_search_index(db)
        create_search_pieces(db)
        create_count_indexes(db)
        create_follow_up_tally(db)
        create_birthday_indexes(db)
        install_triggers(db)
        seed_defaults()
        _record(db, STEPS)


def may_change_schema(db: peewee.Database) -> bool:
    """True when this connection may create the archive or run its steps.

    Always on SQLite. On PostgreSQL: an empty database needs CREATE on the schema; an existing
    archive needs its tables to belong to this role (or a role it acts as).
    """
    if not isinstance(db, peewee.PostgresqlDatabase):
        return True
    if "schema_migration" not in db.get_tables():
        return roles.may_create_tables(db)
    from crmdesk.models import ALL_MODELS

    tables = ["schema_migration", *(model._meta.table_name for model in ALL_MODELS)]
    return roles.may_alter_tables(db, tables)


def _check_schema_rights(db: peewee.Database, found: int) -> None:
    """Refuse plainly, before any DDL, when this desk's role may not change the schema."""
    if may_change_schema(db):
        return
    role = roles.current_role(db)
    if not found:
        raise ArchiveNotSetUpError(
            _("The database {database} holds no archive yet, and this desk's database role "
              "{role} may not create one. IT sets the shared archive up once, as the "
              "database's owner: crmdesk db init OWNER_URL").format(
                database=roles.database_name(db), role=role))
    raise ArchiveTooOldError(
        _("This archive's schema is older (version {found}) than this crmdesk (version "
          "{latest}), and this desk's database role {role} may not change it. Ask IT to bring "
          "the archive up to date once, as the database's owner: crmdesk db upgrade OWNER_URL"
          ).format(found=found, latest=LATEST, role=role))


def upgrade(db: peewee.Database) -> int:
    """Bring the archive to the latest schema; return the version it was at.

    Raises:
        ArchiveTooNewError: the archive comes from a newer crmdesk.
        ArchiveTooOldError: the archive needs a step and this desk's role may not run it.
        ArchiveNotSetUpError: an empty database this desk's role may not set up.
    """
    applied = applied_versions(db)
    found = max(applied, default=0)
    if not applied:
        _check_schema_rights(db, found)
        create_archive(db)
        return 0
    if applied - {step.version for step in STEPS}:
        raise ArchiveTooNewError(
            _("This archive was written by a newer crmdesk (schema {found}, this one knows "
              "{latest}). Update crmdesk before opening it.").format(found=found, latest=LATEST)
        )
    pending = [step.version for step in STEPS if step.version not in applied]
    if pending:
        # The archive is as good as the last version before its first missing step.
        _check_schema_rights(db, pending[0] - 1)
    migrator = SchemaMigrator.from_database(db)
    for step in STEPS:
        if step.version in applied:
            continue
        log.info("migrating archive to schema %s (%s)", step.version, step.name)
        with migrator.migration_context():
            if step.run:
                step.run(migrator, db)
            _record(db, (step,))
    if pending:
        with db.atomic():
            # The statistics' summaries read the card as the steps left it: filled once the
            # schema is complete, their triggers renewed after any step.
            refresh_summaries(db, fill=m0025_statistics_summaries.VERSION in pending)
    return found
