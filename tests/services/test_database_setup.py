"""Least privilege on a shared PostgreSQL archive: the owner sets up, desks only use it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import peewee
import pytest

from crmdesk import i18n
from crmdesk.errors import (
    ArchiveConnectionError,
    ArchiveNotSetUpError,
    ArchiveTooOldError,
    DatabaseSetupError,
)
from crmdesk.models import AuditEntry, Customer, Staff, Visit, roles
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.migrations import LATEST, applied_versions
from crmdesk.services import audit, contacts, customers, retention
from crmdesk.services.audit import AuditFilter
from crmdesk.services.context import Actor
from crmdesk.services.database_setup import init_database, upgrade_database
from crmdesk.services.frontdesk import VisitDraft, register_visit
from tests.shared_archive import SharedDatabase, owned_database

PASSWORD = "desk-pass-8613"
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@pytest.fixture
def shared(pg_server) -> Iterator[SharedDatabase]:
    """An empty database owned by a role that is no superuser."""
    with owned_database(pg_server) as database_:
        yield database_
        close_database()


@pytest.fixture
def initialised(shared) -> SharedDatabase:
    """The database after ``crmdesk db init``."""
    init_database(shared.owner_url, shared.desk_role, PASSWORD)
    return shared


def _privileges(shared: SharedDatabase, table: str) -> set[str]:
    """What the desk role may do to ``table``."""
    held = shared.execute(
        f"SELECT p FROM unnest(ARRAY{list(TABLE_PRIVILEGES)}) AS p "
        f"WHERE has_table_privilege('{shared.desk_role}', '{table}', p)")
    return {p for (p,) in held}


def _step_8_undone(shared: SharedDatabase) -> None:
    """Make the archive one from before step 8 (consent method), as the owner would find it."""
    shared.execute("ALTER TABLE customer DROP COLUMN consent_how; "
                   "DELETE FROM schema_migration WHERE version = 8", shared.owner)


def _columns(shared: SharedDatabase, table: str) -> set[str]:
    return {name for (name,) in shared.execute(
        f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'")}


def test_init_creates_the_archive_and_a_plain_login_role(shared):
    report = init_database(shared.owner_url, shared.desk_role, PASSWORD)

    assert (report.role_created, report.from_version, report.to_version) == (True, 0, LATEST)
    assert report.owner == shared.owner
    assert "pg_trgm" in report.extensions
    [(login, superuser, create_db, create_role)] = shared.execute(
        "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles "
        f"WHERE rolname = '{shared.desk_role}'")
    assert (login, superuser, create_db, create_role) == (True, False, False, False)
    [(usage, create)] = shared.execute(
        f"SELECT has_schema_privilege('{shared.desk_role}', 'public', 'USAGE'), "
        f"has_schema_privilege('{shared.desk_role}', 'public', 'CREATE')")
    assert (usage, create) == (True, False)
    assert _privileges(shared, "customer") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert _privileges(shared, "audit_entry") == {"SELECT", "INSERT"}
    assert _privileges(shared, "schema_migration") == {"SELECT"}
    assert shared.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
    [(function_owner, definer, settings)] = shared.execute(
        "SELECT proowner::regrole::text, prosecdef, proconfig FROM pg_proc "
        f"WHERE proname = '{roles.REDACT_FUNCTION}'")
    assert (function_owner, definer) == (shared.owner, True)
    assert any(s.startswith("search_path=") for s in settings)
    [(may_run, public_may_run)] = shared.execute(
        f"SELECT has_function_privilege('{shared.desk_role}', "
        f"'public.{roles.REDACT_FUNCTION}(text)', 'EXECUTE'), "
        f"EXISTS (SELECT 1 FROM pg_proc p, aclexplode(p.proacl) a "
        f"WHERE p.proname = '{roles.REDACT_FUNCTION}' AND a.grantee = 0)")
    assert (may_run, public_may_run) == (True, False)


def test_a_desk_on_the_desk_role_does_the_days_work(initialised):
    open_database(url=initialised.desk_url)
    front = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    seller = Actor.of(Staff.create(name="王强", username="wq", roles="sales"))
    manager = Actor.of(Staff.create(name="赵经理", username="boss", roles="manager,sales"))

    visit = register_visit(VisitDraft("张三", "138 0013 8000", "看车"), front)
    card = customers.open_card(visit.customer_id, seller)
    card.values["notes"] = "家住幸福路 9 号"
    customers.save_card(card, seller, accept_incomplete=True)
    contacts.log_contact(visit.customer_id, contacts.Contact(
        dt.datetime.now().replace(microsecond=0), "phone", "电话回访"), seller)
    trail = audit.entries(manager, AuditFilter(archive_no=visit.archive_no))
    assert [row["action"] for row in trail] == [
        "log_contact", "update", "open_card", "register_visit", "create"][: len(trail)]

    number = retention.destroy(manager, visit.customer_id, "客户要求删除")

    assert not Customer.select().where(Customer.archive_no == number).exists()
    assert Visit.select().count() == 0
    earlier = AuditEntry.select().where((AuditEntry.archive_no == number)
                                        & (AuditEntry.action != "destroy"))
    assert earlier.count() >= 2
    assert {entry.details for entry in earlier} == {audit.REDACTED}
    assert "幸福路" not in "".join(e.details for e in AuditEntry.select())
    assert audit.verify() == []


@pytest.mark.parametrize("statement", [
    "CREATE TABLE notes (id integer)",
    "DROP TABLE customer",
    "ALTER TABLE customer ADD COLUMN extra text",
    "UPDATE audit_entry SET details = '{}'",
    "DELETE FROM audit_entry",
    "DELETE FROM schema_migration",
])
def test_the_desk_role_may_not_change_the_schema_or_the_history(initialised, statement):
    open_database(url=initialised.desk_url)
    manager = Actor.of(Staff.create(name="赵经理", username="boss", roles="manager,sales"))
    card = customers.new_card(manager)
    card.values["name"] = "张三"
    customers.save_card(card, manager, accept_incomplete=True)

    with pytest.raises(peewee.ProgrammingError, match=r"permission denied|must be owner"):
        database.execute_sql(statement)


def test_the_redaction_function_refuses_an_archive_that_is_not_destroyed(initialised):
    open_database(url=initialised.desk_url)
    manager = Actor.of(Staff.create(name="赵经理", username="boss", roles="manager,sales"))
    card = customers.new_card(manager)
    card.values.update(name="张三", notes="家住幸福路 9 号")
    number = customers.save_card(card, manager, accept_incomplete=True).archive_no

    with pytest.raises(peewee.ProgrammingError, match="not destroyed"):
        roles.redact_audit(database, number)
    assert audit.REDACTED not in {e.details for e in AuditEntry.select()}


def test_init_again_reapplies_the_grants_and_keeps_the_role(initialised):
    initialised.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_entry TO "
                        f"{initialised.desk_role}", initialised.owner)

    report = init_database(initialised.owner_url, initialised.desk_role)

    assert (report.role_created, report.password_changed) == (False, False)
    assert (report.from_version, report.to_version) == (LATEST, LATEST)
    assert report.was_initialised
    assert _privileges(initialised, "audit_entry") == {"SELECT", "INSERT"}
    [(count,)] = initialised.execute(
        f"SELECT count(*) FROM pg_roles WHERE rolname = '{initialised.desk_role}'")
    assert count == 1


def test_a_desk_role_on_an_older_schema_is_told_to_ask_for_db_upgrade(initialised):
    _step_8_undone(initialised)

    with pytest.raises(ArchiveTooOldError) as refused:
        open_database(url=initialised.desk_url)

    assert "crmdesk db upgrade OWNER_URL" in str(refused.value)
    assert "旧" in str(refused.value)
    i18n.set_language("en")
    with pytest.raises(ArchiveTooOldError, match=r"older \(version 7\).*crmdesk db upgrade"):
        open_database(url=initialised.desk_url)
    assert "consent_how" not in _columns(initialised, "customer")


def test_db_upgrade_as_owner_brings_the_schema_and_the_desks_up_to_date(initialised):
    _step_8_undone(initialised)
    # Grants drifted by hand, and a table the desks were never given.
    initialised.execute(f"GRANT UPDATE ON audit_entry TO {initialised.desk_role}; "
                        "CREATE TABLE office_note (id serial PRIMARY KEY, text text)",
                        initialised.owner)
    initialised.execute(f"REVOKE ALL ON office_note FROM {initialised.desk_role}")

    report = upgrade_database(initialised.owner_url)

    assert (report.from_version, report.to_version) == (7, LATEST)
    assert report.steps == ["8 consent method"]
    assert report.desk_roles == [initialised.desk_role]
    assert "consent_how" in _columns(initialised, "customer")
    assert _privileges(initialised, "audit_entry") == {"SELECT", "INSERT"}
    assert _privileges(initialised, "office_note") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    db = open_database(url=initialised.desk_url)
    assert 8 in applied_versions(db)
    front = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    Staff.create(name="王强", username="wq", roles="sales")
    register_visit(VisitDraft("张三", "138 0013 8000", "看车"), front)
    assert Visit.select().count() == 1


def test_tables_the_owner_adds_later_are_the_desks_to_use(initialised):
    initialised.execute("CREATE TABLE office_note (id serial PRIMARY KEY, text text)",
                        initialised.owner)

    initialised.execute("INSERT INTO office_note (text) VALUES ('ok')", initialised.desk_role)

    assert _privileges(initialised, "office_note") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


def test_a_desk_role_on_an_empty_database_is_told_to_ask_for_db_init(shared):
    shared.execute(f"CREATE ROLE {shared.desk_role} LOGIN")

    with pytest.raises(ArchiveNotSetUpError, match="crmdesk db init OWNER_URL"):
        open_database(url=shared.desk_url)

    assert shared.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []


def test_a_desk_role_without_grants_is_told_to_ask_for_db_init(shared):
    open_database(url=shared.owner_url)
    close_database()
    shared.execute(f"CREATE ROLE {shared.desk_role} LOGIN")

    with pytest.raises(ArchiveConnectionError, match="crmdesk db init"):
        open_database(url=shared.desk_url)


def test_db_upgrade_of_an_empty_database_points_at_db_init(shared):
    with pytest.raises(DatabaseSetupError, match="crmdesk db init"):
        upgrade_database(shared.owner_url)


def test_a_desk_role_may_not_run_db_init(initialised):
    with pytest.raises(DatabaseSetupError, match=initialised.desk_role):
        init_database(initialised.desk_url, "crmdesk_other_desk", PASSWORD)
