"""Subcommands of the ``crmdesk`` command line, one module per group of commands."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from crmdesk.cli import UsageError
from crmdesk.i18n import _
from crmdesk.services.context import Actor


def register_all(commands: argparse._SubParsersAction) -> None:
    """Add every subcommand to the parser."""
    from crmdesk.commands import (
        audit,
        backup,
        customers,
        demo,
        excel,
        followup,
        frontdesk,
        printing,
        retention,
        staff,
    )

    for module in (demo, staff, customers, followup, printing, audit, excel, retention,
                   frontdesk, backup):
        module.register(commands)


def actor_from(args: argparse.Namespace) -> Actor | None:
    """Who runs this command, logged in once per run.

    While the archive has no accounts (being set up) --user only names who acts. Once it has,
    every command needs --user (or CRMDESK_USER) and the password from CRMDESK_PASSWORD or,
    at a terminal, a prompt.

    Raises:
        LoginError: missing, wrong or locked credentials.
    """
    if hasattr(args, "actor"):
        return args.actor
    from crmdesk.services.accounts import LoginError, accounts_exist, log_in
    from crmdesk.services.staff import find_staff

    name = args.user or os.environ.get("CRMDESK_USER")
    if not accounts_exist():
        staff = find_staff(name) if name else None
        if name and staff is None:
            raise UsageError(_("no member of staff called {name}").format(name=name))
        args.actor = Actor.of(staff) if staff else None
        return args.actor
    if not name:
        raise LoginError(_("log in with --user NAME (password from CRMDESK_PASSWORD or the "
                           "prompt)"))
    password = os.environ.get("CRMDESK_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise LoginError(_("no password: set CRMDESK_PASSWORD or run at a terminal"))
        password = getpass.getpass(_("Password for {name}: ").format(name=name))
    staff = find_staff(name)
    args.actor = log_in(staff.username if staff else name, password)
    return args.actor
