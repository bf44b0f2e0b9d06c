"""PostgreSQL roles of a shared archive: the owner changes the schema, desks only use it.

The owner role (the one that owns the database) creates and upgrades the tables. Desks connect
as a login role that reads and writes rows but never changes the layout: USAGE on the schema
without CREATE, SELECT/INSERT/UPDATE/DELETE on the ordinary tables, only SELECT on the schema
version table, and only INSERT and SELECT on the sealed audit trail, so no desk can rewrite
history. Destroying an archive must still blank the old values in its audit entries; desks do
that through one SECURITY DEFINER function owned by the owner, which blanks the entries of an
archive only once it is gone and its destruction is on record.

Every statement here is pure schema and privilege SQL; services decide when to run it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import peewee

from crmdesk.models.audit import REDACTED_DETAILS, AuditEntry
from crmdesk.models.customer import Customer

DESK_ROLE = "crmdesk_desk"
VERSION_TABLE = "schema_migration"
AUDIT_TABLE: str = AuditEntry._meta.table_name
REDACT_FUNCTION = "crmdesk_redact_audit"
# Extensions the schema's steps use; created by the owner before any step runs.
EXTENSIONS = ("pg_trgm",)

ROW_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    VERSION_TABLE: ("SELECT",),
    AUDIT_TABLE: ("SELECT", "INSERT"),
}
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT", "UPDATE")

_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
# A stored password verifier (SCRAM-SHA-256$... or md5...): safe to write as a literal.
_VERIFIER = re.compile(r"[A-Za-z0-9+/=$:-]+")


@dataclass(frozen=True)
class RoleInfo:
    """A server role and the powers that matter for a desk."""

    name: str
    can_login: bool
    superuser: bool
    create_db: bool
    create_role: bool
    replication: bool
    bypass_rls: bool


@dataclass(frozen=True)
class Grant:
    """Privileges given to the desk role on objects of one kind (database, schema, table, ...)."""

    privileges: tuple[str, ...]
    kind: str
    names: tuple[str, ...]


def is_valid_role_name(name: str) -> bool:
    """True for a plain lower-case role name: a letter, then letters, digits, underscores."""
    return bool(_ROLE_NAME.fullmatch(name))


def quote_identifier(name: str) -> str:
    """``name`` quoted as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(db: peewee.Database, sql: str, params: tuple = ()) -> object:
    row = db.execute_sql(sql, params).fetchone()
    return row[0] if row else None


def current_role(db: peewee.Database) -> str:
    """The role this connection acts as."""
    return str(_value(db, "SELECT current_user"))


def database_name(db: peewee.Database) -> str:
    """The name of the connected database."""
    return str(_value(db, "SELECT current_database()"))


def archive_schema(db: peewee.Database) -> str | None:
    """The schema the archive's tables are created in and read from (None: no usable schema)."""
    schema = _value(db, "SELECT current_schema()")
    return str(schema) if schema is not None else None


def role_info(db: peewee.Database, name: str) -> RoleInfo | None:
    """The role called ``name``, or None when the server has none."""
    row = db.execute_sql(
        "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
        "rolbypassrls FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    return RoleInfo(*row) if row else None


def is_member(db: peewee.Database, role: str, of: str) -> bool:
    """True when ``role`` holds the privileges of ``of`` (is it, inherits it, or is superuser)."""
    return bool(_value(db, "SELECT pg_has_role(%s, %s, 'USAGE')", (role, of)))


def may_create_tables(db: peewee.Database, role: str | None = None) -> bool:
    """True when ``role`` (default: this connection's) may create tables in the archive schema."""
    if role is None:
        return bool(_value(
            db, "SELECT coalesce(has_schema_privilege(current_schema(), 'CREATE'), false)"))
    return bool(_value(
        db, "SELECT coalesce(has_schema_privilege(%s, current_schema(), 'CREATE'), false)",
        (role,)))


def may_alter_tables(db: peewee.Database, tables: list[str]) -> bool:
    """True when this connection's role owns (or acts as the owner of) every one of ``tables``."""
    return bool(_value(
        db, "SELECT coalesce(bool_and(pg_has_role(c.relowner, 'USAGE')), true) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
        (list(tables),)))


def table_owner(db: peewee.Database, schema: str, table: str) -> str | None:
    """The role owning ``schema.table``, or None when there is no such table."""
    owner = _value(db, "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                   (schema, table))
    return str(owner) if owner is not None else None


def create_extensions(db: peewee.Database) -> tuple[list[str], list[str]]:
    """Create the extensions the schema uses; return those present and those the server lacks."""
    present, missing = [], []
    for name in EXTENSIONS:
        if _value(db, "SELECT 1 FROM pg_available_extensions WHERE name = %s", (name,)):
            db.execute_sql(f"CREATE EXTENSION IF NOT EXISTS {quote_identifier(name)}")
            present.append(name)
        else:
            missing.append(name)
    return present, missing


def _password_verifier(db: peewee.Database, role: str, password: str) -> str:
    """The server's stored form of ``password`` (SCRAM or md5, as the server is set), made here.

    Only the verifier travels to the server, so the password is in no statement, log or
    server activity view.
    """
    connection = db.connection()
    pgconn = getattr(connection, "pgconn", None)
    if pgconn is not None:  # psycopg 3
        verifier = pgconn.encrypt_password(password.encode(), role.encode()).decode()
    else:
        from psycopg2.extensions import encrypt_password

        verifier = encrypt_password(password, role, connection)
    if not _VERIFIER.fullmatch(verifier):
        raise ValueError("unexpected password verifier from the driver")
    return verifier


def _execute_unlogged(db: peewee.Database, sql: str) -> None:
    """Run ``sql`` on the open transaction without peewee's SQL log (it holds a verifier)."""
    cursor = db.connection().cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def create_desk_role(db: peewee.Database, role: str, password: str) -> None:
    """Create ``role`` as a login role without any power over the server."""
    verifier = _password_verifier(db, role, password)
    _execute_unlogged(db, f"CREATE ROLE {quote_identifier(role)} LOGIN NOSUPERUSER NOCREATEDB "
                          f"NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {_literal(verifier)}")


def set_password(db: peewee.Database, role: str, password: str) -> None:
    """Give ``role`` a new password."""
    verifier = _password_verifier(db, role, password)
    _execute_unlogged(db, f"ALTER ROLE {quote_identifier(role)} PASSWORD {_literal(verifier)}")


def restrict_role(db: peewee.Database, role: RoleInfo) -> list[str]:
    """Let an existing desk role log in and take away any power over the server it has.

    Returns the attributes changed (empty when it already was a plain login role).
    """
    wanted = [
        ("LOGIN", not role.can_login), ("NOSUPERUSER", role.superuser),
        ("NOCREATEDB", role.create_db), ("NOCREATEROLE", role.create_role),
        ("NOREPLICATION", role.replication), ("NOBYPASSRLS", role.bypass_rls),
    ]
    changes = [attribute for attribute, needed in wanted if needed]
    if changes:
        db.execute_sql(f"ALTER ROLE {quote_identifier(role.name)} {' '.join(changes)}")
    return changes


def _relations(db: peewee.Database, schema: str, kinds: tuple[str, ...]) -> list[str]:
    rows = db.execute_sql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = ANY(%s) ORDER BY c.relname",
        (schema, list(kinds))).fetchall()
    return [name for (name,) in rows]


def grant_desk_privileges(db: peewee.Database, role: str, schema: str,
                          owner: str) -> list[Grant]:
    """Give ``role`` exactly what a desk needs in ``schema``; return what it now holds.

    Earlier grants to the role are revoked first, so running it again repairs a role that was
    given more by hand. Tables and sequences ``owner`` creates later (an upgrade) are granted
    by default privileges too; ``db upgrade`` applies the exact grants again afterwards.
    """
    desk, space = quote_identifier(role), quote_identifier(schema)
    database = database_name(db)
    db.execute_sql(f"GRANT CONNECT ON DATABASE {quote_identifier(database)} TO {desk}")
    grants = [Grant(("CONNECT",), "database", (database,))]
    # No CREATE for the desk, nor for PUBLIC (every role), which a desk belongs to as well.
    db.execute_sql(f"REVOKE ALL ON SCHEMA {space} FROM {desk}")
    db.execute_sql(f"REVOKE CREATE ON SCHEMA {space} FROM PUBLIC")
    db.execute_sql(f"GRANT USAGE ON SCHEMA {space} TO {desk}")
    grants.append(Grant(("USAGE",), "schema", (schema,)))

    tables_by_privileges: dict[tuple[str, ...], list[str]] = {}
    for table in _relations(db, schema, ("r", "p")):
        privileges = TABLE_PRIVILEGES.get(table, ROW_PRIVILEGES)
        qualified = f"{space}.{quote_identifier(table)}"
        db.execute_sql(f"REVOKE ALL ON TABLE {qualified} FROM {desk}")
        db.execute_sql(f"GRANT {', '.join(privileges)} ON TABLE {qualified} TO {desk}")
        tables_by_privileges.setdefault(privileges, []).append(table)
    grants += [Grant(privileges, "table", tuple(tables)) for privileges, tables in
               sorted(tables_by_privileges.items(), key=lambda item: -len(item[0]))]

    db.execute_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {space} FROM {desk}")
    db.execute_sql(f"GRANT {', '.join(SEQUENCE_PRIVILEGES)} ON ALL SEQUENCES IN SCHEMA {space} "
                   f"TO {desk}")
    grants.append(Grant(SEQUENCE_PRIVILEGES, "sequence", tuple(_relations(db, schema, ("S",)))))

    defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote_identifier(owner)} IN SCHEMA {space}"
    db.execute_sql(f"{defaults} GRANT {', '.join(ROW_PRIVILEGES)} ON TABLES TO {desk}")
    db.execute_sql(f"{defaults} GRANT {', '.join(SEQUENCE_PRIVILEGES)} ON SEQUENCES TO {desk}")
    return grants


def _function(schema: str) -> str:
    return f"{quote_identifier(schema)}.{REDACT_FUNCTION}(text)"


def create_redaction_function(db: peewee.Database, schema: str, owner: str,
                              role: str) -> Grant:
    """(Re)create the function that blanks a destroyed archive's audit details; ``role`` runs it.

    It runs with its owner's rights (SECURITY DEFINER) on a pinned search path, and refuses an
    archive that still exists or whose destruction is not recorded, so a desk cannot use it to
    blank anyone else's history.
    """
    space = quote_identifier(schema)
    audit = f"{space}.{quote_identifier(AUDIT_TABLE)}"
    customer = f"{space}.{quote_identifier(Customer._meta.table_name)}"
    function = _function(schema)
    db.execute_sql(f"""
CREATE OR REPLACE FUNCTION {space}.{REDACT_FUNCTION}(destroyed_archive_no text)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = {space}, pg_temp
AS $body$
DECLARE
    blanked integer;
BEGIN
    IF EXISTS (SELECT 1 FROM {customer} WHERE archive_no = destroyed_archive_no)
       OR NOT EXISTS (SELECT 1 FROM {audit}
                      WHERE archive_no = destroyed_archive_no AND action = 'destroy') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'archive ' || destroyed_archive_no || ' is not destroyed';
    END IF;
    UPDATE {audit} SET details = {_literal(REDACTED_DETAILS)}
     WHERE archive_no = destroyed_archive_no AND action <> 'destroy';
    GET DIAGNOSTICS blanked = ROW_COUNT;
    RETURN blanked;
END
$body$""")
    if owner != current_role(db):
        db.execute_sql(f"ALTER FUNCTION {function} OWNER TO {quote_identifier(owner)}")
    db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {quote_identifier(role)}")
    return Grant(("EXECUTE",), "function", (f"{schema}.{REDACT_FUNCTION}(text)",))


def desk_roles(db: peewee.Database, schema: str) -> list[str]:
    """The desk roles set up in ``schema``: those allowed to run the redaction function."""
    rows = db.execute_sql(
        "SELECT DISTINCT r.rolname FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "CROSS JOIN LATERAL aclexplode(p.proacl) AS a "
        "JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE n.nspname = %s AND p.proname = %s AND a.privilege_type = 'EXECUTE' "
        "AND a.grantee <> p.proowner ORDER BY 1", (schema, REDACT_FUNCTION)).fetchall()
    return [name for (name,) in rows]


def may_redact_audit(db: peewee.Database) -> bool:
    """True when the archive has the redaction function and this connection may run it."""
    return bool(_value(
        db, "SELECT bool_or(has_function_privilege(p.oid, 'EXECUTE')) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname = %s", (REDACT_FUNCTION,)))


def redact_audit(db: peewee.Database, archive_no: str) -> int:
    """Blank the details of a destroyed archive's earlier audit entries; return how many."""
    schema = quote_identifier(archive_schema(db) or "public")
    blanked = _value(db, f"SELECT {schema}.{REDACT_FUNCTION}(%s)", (archive_no,))
    return int(blanked or 0)
