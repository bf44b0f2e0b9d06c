"""``crmdesk db init`` and ``crmdesk db upgrade``: IT sets up and upgrades a shared archive.

Both act on the PostgreSQL server as the role that owns the database, not as a member of
staff: they need no crmdesk login and do not work on the desk's own archive.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from crmdesk.errors import DatabaseSetupError
from crmdesk.i18n import N_, _

PASSWORD_VARIABLE = "CRMDESK_DESK_PASSWORD"

_KINDS = {
    "database": N_("database"),
    "schema": N_("schema"),
    "table": N_("tables"),
    "sequence": N_("sequences"),
    "function": N_("function"),
}


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``db init`` and ``db upgrade`` to the command line."""
    from crmdesk.services.database_setup import DEFAULT_DESK_ROLE

    parser = commands.add_parser(
        "db", help=_("set up or upgrade a shared PostgreSQL archive (for IT, as its owner)"))
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help=_("create the archive and a least-privilege role for the desks"))
    init.add_argument("owner_url", metavar="OWNER_URL",
                      help=_("the database's address as its owner, e.g. "
                             "postgresql://owner@server/crmdesk"))
    init.add_argument("--desk-role", default=DEFAULT_DESK_ROLE, metavar="NAME",
                      help=_("the role desks connect as (default: {name})").format(
                          name=DEFAULT_DESK_ROLE))
    init.add_argument("--desk-password", metavar="PASSWORD",
                      help=_("the desk role's password; better set {variable} or answer the "
                             "prompt, as other users of this computer can read a command "
                             "line").format(variable=PASSWORD_VARIABLE))
    init.set_defaults(handler=run_init)
    upgrade = actions.add_parser(
        "upgrade", help=_("bring the archive's schema up to date, as the database's owner"))
    upgrade.add_argument("owner_url", metavar="OWNER_URL",
                         help=_("the database's address as its owner"))
    upgrade.set_defaults(handler=run_upgrade)
    # These commands talk to the server as its owner: no desk archive, no staff login.
    for action in (init, upgrade):
        action.set_defaults(opens_archive=False, actor=None)


def _ask_password(role: str) -> str | None:
    """Ask twice at the terminal for the new role's password; None when left empty."""
    first = getpass.getpass(_("Password for the new desk role {role}: ").format(role=role))
    if not first:
        return None
    if getpass.getpass(_("The same password again: ")) != first:
        raise DatabaseSetupError(_("The two passwords differ."))
    return first


def run_init(args: argparse.Namespace) -> int:
    """Set the database up and print what was created and granted (never the password)."""
    from crmdesk.services.database_setup import PASSWORD_PLACEHOLDER, init_database

    password = args.desk_password or os.environ.get(PASSWORD_VARIABLE) or None
    ask = (lambda: _ask_password(args.desk_role)) if sys.stdin.isatty() else None
    report = init_database(args.owner_url, args.desk_role, password, ask)
    if report.was_initialised:
        print(_("The database {database} already holds an archive (schema {version}); the "
                "desks' grants were applied again.").format(database=report.database,
                                                            version=report.from_version))
        if report.to_version != report.from_version:
            print(_("Schema upgraded from version {old} to {new}.").format(
                old=report.from_version, new=report.to_version))
    else:
        print(_("Archive created in the database {database} (schema {schema}) at version "
                "{version}.").format(database=report.database, schema=report.schema,
                                     version=report.to_version))
    if report.extensions:
        print(_("Extensions: {names}").format(names=", ".join(report.extensions)))
    if report.missing_extensions:
        print(_("Not available on this server (search scans the table instead): {names}")
              .format(names=", ".join(report.missing_extensions)))
    if report.role_created:
        print(_("Desk role {role} created: it may log in; it is no superuser and may not "
                "create databases or roles.").format(role=report.desk_role))
    else:
        print(_("Desk role {role} already exists and was kept.").format(role=report.desk_role))
        if report.role_changes:
            print(_("Changed on it: {attributes}").format(
                attributes=" ".join(report.role_changes)))
        if report.password_changed:
            print(_("Its password was changed."))
    print(_("Granted to {role} (earlier grants to it were replaced):").format(
        role=report.desk_role))
    for grant in report.grants:
        print("  " + _("{privileges} on {kind}: {names}").format(
            privileges=", ".join(grant.privileges), kind=_(_KINDS[grant.kind]),
            names=", ".join(grant.names)))
    print(_("Not granted: CREATE on the schema (no table can be added, altered or dropped), "
            "UPDATE or DELETE on the audit trail, changes to the schema version table."))
    print(_("Desks connect with this address, the desk role's password in place of "
            "{placeholder}:").format(placeholder=PASSWORD_PLACEHOLDER))
    print(f"  {report.desk_url}")
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    """Run the pending schema steps as the owner and print the versions before and after."""
    from crmdesk.services.database_setup import upgrade_database

    report = upgrade_database(args.owner_url)
    if not report.steps:
        print(_("The archive in {database} is up to date (schema version {version}).").format(
            database=report.database, version=report.to_version))
    else:
        print(_("The archive in {database} was upgraded from schema version {old} to {new}.")
              .format(database=report.database, old=report.from_version,
                      new=report.to_version))
        print(_("Steps run: {steps}").format(steps="; ".join(report.steps)))
    if report.desk_roles:
        print(_("Grants applied again for the desk roles: {roles}").format(
            roles=", ".join(report.desk_roles)))
    return 0
