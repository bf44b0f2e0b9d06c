"""Setting up and upgrading a shared PostgreSQL archive with least privilege (IT's commands).

``init_database`` runs once, connected as the role that owns the database: it creates the
extensions and the schema at the latest version, a login role for the desks, and gives that
role only what a desk needs (see models/roles.py). ``upgrade_database`` runs the pending schema
steps as the owner and applies the desks' grants again, so tables a step added are covered.
Both can run again at any time: they repair rather than fail.

Passwords are never shown, logged or sent as text: the desk role's password reaches the
server only as a verifier made on this computer.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import peewee

from crmdesk.errors import DatabaseSetupError
from crmdesk.i18n import _
from crmdesk.models import roles
from crmdesk.models.db import database, shown_location, url_database
from crmdesk.models.migrations import (
    STEPS,
    applied_versions,
    current_version,
    may_change_schema,
    upgrade,
)
from crmdesk.models.roles import Grant

DEFAULT_DESK_ROLE = roles.DESK_ROLE
PASSWORD_PLACEHOLDER = "<password>"
_CREDENTIALS = {"user", "password"}


@dataclass(frozen=True)
class SetupReport:
    """What ``init_database`` found and did."""

    database: str
    schema: str
    owner: str
    desk_role: str
    role_created: bool
    password_changed: bool
    role_changes: list[str]
    from_version: int
    to_version: int
    extensions: list[str]
    missing_extensions: list[str]
    grants: list[Grant]
    desk_url: str

    @property
    def was_initialised(self) -> bool:
        """True when the database already held an archive (this run re-applied the grants)."""
        return self.from_version > 0


@dataclass(frozen=True)
class UpgradeReport:
    """What ``upgrade_database`` found and did."""

    database: str
    from_version: int
    to_version: int
    steps: list[str]
    desk_roles: list[str]


def desk_url(owner_url: str, role: str) -> str:
    """The address desks use: the owner's server and database, the desk role, no password."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rpartition("@")[2]
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query,
                                                                keep_blank_values=True)
                       if key not in _CREDENTIALS], safe="/")
    netloc = f"{quote(role, safe='')}:{PASSWORD_PLACEHOLDER}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _not_postgresql() -> DatabaseSetupError:
    return DatabaseSetupError(
        _("crmdesk db needs the address of a PostgreSQL database, such as "
          "postgresql://OWNER@SERVER/DATABASE. A SQLite archive needs no setting up: crmdesk "
          "creates and upgrades it itself when it opens it."))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@contextmanager
def _owner_connection(owner_url: str) -> Iterator[peewee.Database]:
    """Connect as the owner and bind the models to that connection for the duration."""
    scheme = urlsplit(owner_url).scheme.lower()
    if not scheme.startswith(("postgres", "psycopg")):
        raise _not_postgresql()
    db = url_database(owner_url)
    if not isinstance(db, peewee.PostgresqlDatabase):
        raise _not_postgresql()
    try:
        db.connect()
    except peewee.DatabaseError as exc:
        raise DatabaseSetupError(_("Cannot connect to {url}: {error}").format(
            url=shown_location(owner_url), error=_first_line(exc))) from exc
    previous = database.obj
    database.initialize(db)
    try:
        yield db
    except peewee.DatabaseError as exc:
        raise DatabaseSetupError(_("The database server refused: {error}").format(
            error=_first_line(exc))) from exc
    finally:
        db.close()
        database.initialize(previous)


def _require_owner(db: peewee.Database, owner: str) -> None:
    if not may_change_schema(db):
        raise DatabaseSetupError(
            _("The role {role} may not change the archive's tables in {database}. Connect as "
              "the role that owns the database.").format(role=owner,
                                                         database=roles.database_name(db)))


def _archive_schema(db: peewee.Database) -> str:
    schema = roles.archive_schema(db)
    if schema is None:
        raise DatabaseSetupError(
            _("The database {database} has no schema to hold the archive (check the role's "
              "search_path).").format(database=roles.database_name(db)))
    return schema


def init_database(owner_url: str, desk_role: str = DEFAULT_DESK_ROLE,
                  password: str | None = None,
                  ask_password: Callable[[], str | None] | None = None) -> SetupReport:
    """Set a PostgreSQL database up as a shared archive, with a least-privilege desk role.

    Args:
        owner_url: address of the database, as the role owning it.
        desk_role: the login role desks connect as; created when the server has none.
        password: the desk role's password: required to create it, changes it when it exists.
        ask_password: asked for the password only when the role must be created and
            ``password`` is None.

    Raises:
        DatabaseSetupError: not PostgreSQL, no connection, not the owner, no password for a new
            role, or the server refused a step (nothing of that step is kept).
        ArchiveTooNewError: the database holds an archive of a newer crmdesk.
    """
    if not roles.is_valid_role_name(desk_role):
        raise DatabaseSetupError(
            _("{name} is not a usable role name: use lower-case letters, digits and "
              "underscores, starting with a letter.").format(name=desk_role))
    with _owner_connection(owner_url) as db:
        owner = roles.current_role(db)
        schema = _archive_schema(db)
        if desk_role == owner:
            raise DatabaseSetupError(
                _("The desks need a role of their own, not the owner {role}.").format(role=owner))
        _require_owner(db, owner)
        found = current_version(db)
        existing = roles.role_info(db, desk_role)
        secret = password or None
        if existing is None:
            owner_info = roles.role_info(db, owner)
            if owner_info is None or not (owner_info.create_role or owner_info.superuser):
                raise DatabaseSetupError(
                    _("The role {owner} may not create roles. Have the server's administrator "
                      "create the desk role once (CREATE ROLE {role} LOGIN PASSWORD '...'), or "
                      "give {owner} CREATEROLE, then run crmdesk db init again.").format(
                        owner=owner, role=desk_role))
            if secret is None and ask_password is not None:
                secret = ask_password() or None
            if secret is None:
                raise DatabaseSetupError(
                    _("The new role {role} needs a password: set CRMDESK_DESK_PASSWORD or run "
                      "the command at a terminal.").format(role=desk_role))

        with db.atomic():
            present, missing = roles.create_extensions(db)
        upgrade(db)
        tables_owner = roles.table_owner(db, schema, roles.VERSION_TABLE) or owner
        with db.atomic():
            changes: list[str] = []
            if existing is None:
                roles.create_desk_role(db, desk_role, secret or "")
            else:
                changes = roles.restrict_role(db, existing)
                if roles.is_member(db, desk_role, tables_owner):
                    raise DatabaseSetupError(
                        _("The role {role} acts as the archive's owner {owner} (it is a member "
                          "of it): choose another desk role.").format(role=desk_role,
                                                                     owner=tables_owner))
                if secret is not None:
                    roles.set_password(db, desk_role, secret)
            grants = roles.grant_desk_privileges(db, desk_role, schema, tables_owner)
            grants.append(roles.create_redaction_function(db, schema, tables_owner, desk_role))
            if roles.may_create_tables(db, desk_role):
                raise DatabaseSetupError(
                    _("The role {role} could still create tables in schema {schema}: the "
                      "server's administrator must revoke CREATE on it from PUBLIC (REVOKE "
                      "CREATE ON SCHEMA {schema} FROM PUBLIC).").format(role=desk_role,
                                                                       schema=schema))
        return SetupReport(
            database=roles.database_name(db), schema=schema, owner=tables_owner,
            desk_role=desk_role, role_created=existing is None,
            password_changed=existing is not None and secret is not None, role_changes=changes,
            from_version=found, to_version=current_version(db), extensions=present,
            missing_extensions=missing, grants=grants, desk_url=desk_url(owner_url, desk_role))


def upgrade_database(owner_url: str) -> UpgradeReport:
    """Run the pending schema steps as the owner; apply the desk roles' grants again.

    Raises:
        DatabaseSetupError: not PostgreSQL, no connection, no archive yet (run init), not the
            owner, or the server refused.
        ArchiveTooNewError: the archive comes from a newer crmdesk.
    """
    with _owner_connection(owner_url) as db:
        owner = roles.current_role(db)
        schema = _archive_schema(db)
        found = current_version(db)
        if not found:
            raise DatabaseSetupError(
                _("The database {database} holds no archive yet: set it up with crmdesk db "
                  "init OWNER_URL.").format(database=roles.database_name(db)))
        _require_owner(db, owner)
        applied = applied_versions(db)
        pending = [step for step in STEPS if step.version not in applied]
        if pending:
            # As good as the last version before its first missing step.
            found = pending[0].version - 1
        with db.atomic():
            roles.create_extensions(db)
        upgrade(db)
        tables_owner = roles.table_owner(db, schema, roles.VERSION_TABLE) or owner
        desks = roles.desk_roles(db, schema)
        with db.atomic():
            for role in desks:
                roles.grant_desk_privileges(db, role, schema, tables_owner)
                roles.create_redaction_function(db, schema, tables_owner, role)
        return UpgradeReport(
            database=roles.database_name(db), from_version=found, to_version=current_version(db),
            steps=[f"{step.version} {step.name}" for step in pending], desk_roles=desks)
