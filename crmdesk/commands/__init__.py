"""Subcommands of the ``crmdesk`` command line, one module per group of commands."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from crmdesk.cli import UsageError
from crmdesk.commands.arguments import check_text_arguments, shown
from crmdesk.i18n import _
from crmdesk.services.context import Actor


def register_all(commands: argparse._SubParsersAction) -> None:
    """Add every subcommand to the parser."""
    from crmdesk.commands import (
        appointments,
        audit,
        backup,
        card_reviews,
        card_templates,
        complaints,
        confidentiality,
        customer_value,
        customers,
        database,
        demo,
        duplicates,
        encryption,
        excel,
        followup,
        frontdesk,
        office_fields,
        printing,
        retention,
        sales_by_year,
        staff,
        statistics,
        watch,
    )

    for module in (demo, staff, customers, followup, printing, audit, excel, retention,
                   frontdesk, backup, database, watch, complaints, statistics, appointments,
                   duplicates, customer_value, confidentiality,
                   card_reviews, encryption, sales_by_year, card_templates, office_fields):
        module.register(commands)
    for parser in commands.choices.values():
        check_text_arguments(parser)


def actor_from(args: argparse.Namespace) -> Actor | None:
    """Who runs this command, logged in once per run.

    --user is a user name, never a display name. While the archive has no accounts (being
    set up) it only names who acts. Once it has, every command needs --user (or CRMDESK_USER)
    and the password from CRMDESK_PASSWORD or, at a terminal, a prompt. A command that sets
    ``user_may_be_in_backup`` (restoring into an empty PostgreSQL database) lets --user name
    an account of the backup instead.

    Raises:
        LoginError: missing, wrong or locked credentials.
    """
    if hasattr(args, "actor"):
        return args.actor
    from crmdesk.models.db import is_sqlite
    from crmdesk.services.accounts import accounts_exist, log_in
    from crmdesk.services.staff import staff_by_username

    # --user names the account by its user name only: display names are not unique, and a
    # colleague could take someone else's display name as their user name.
    name = user_name(args)
    if not accounts_exist():
        staff = staff_by_username(name) if name else None
        in_backup = getattr(args, "user_may_be_in_backup", False) and not is_sqlite()
        if name and staff is None and not in_backup:
            raise UsageError(_("no member of staff with the user name {name}").format(
                name=shown(name)))
        args.actor = Actor.of(staff) if staff else None
        return args.actor
    password = getattr(args, "typed_password", None) or password_for(name)
    args.actor = log_in(name, password)
    args.typed_password = password  # a restore may need it again, asked once
    return args.actor


def named_actor(args: argparse.Namespace) -> Actor:
    """``actor_from``, for commands that need to know who asks even while the archive is being
    set up (a request, a list of one's own).

    Raises:
        UsageError: nobody named with --user.
    """
    actor = actor_from(args)
    if actor is None:
        raise UsageError(_("name who asks with --user"))
    return actor


def unlock_archive(args: argparse.Namespace) -> None:
    """Unlock the data folder's encrypted archive file before it is opened: with the recovery
    key in CRMDESK_RECOVERY_KEY, else with --user's password (asked once: logging in uses it
    again). Nothing for a plain archive, one still being set up, or a database URL.

    Raises:
        LoginError: no user name, or no password and no terminal to ask at.
        ArchiveLockedError: the password or recovery key does not open the key file.
    """
    from crmdesk import paths
    from crmdesk.cli import archive_url
    from crmdesk.services import archive_keys

    if archive_url(args):
        return
    archive = paths.archive_path(paths.data_dir(args.data_dir))
    if not archive_keys.needs_unlocking(archive):
        return
    recovery_key = os.environ.get("CRMDESK_RECOVERY_KEY")
    if recovery_key:
        archive_keys.unlock_with_recovery_key(archive, recovery_key)
        return
    name = user_name(args)
    password = password_for(name)
    archive_keys.unlock(archive, name or "", password)
    args.typed_password = password


def user_name(args: argparse.Namespace) -> str | None:
    """Who the command line says acts: --user, else CRMDESK_USER."""
    return args.user or os.environ.get("CRMDESK_USER") or None


def password_for(name: str | None) -> str:
    """The password of ``name``: CRMDESK_PASSWORD, else asked for at a terminal.

    Raises:
        LoginError: no name, or no password and no terminal to ask at.
    """
    from crmdesk.services.accounts import LoginError

    if not name:
        raise LoginError(_("log in with --user NAME (password from CRMDESK_PASSWORD or the "
                           "prompt)"))
    password = os.environ.get("CRMDESK_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise LoginError(_("no password: set CRMDESK_PASSWORD or run at a terminal"))
        password = getpass.getpass(_("Password for {name}: ").format(name=shown(name)))
    return password
