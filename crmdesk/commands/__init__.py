"""Subcommands of the ``crmdesk`` command line, one module per group of commands."""
from __future__ import annotations

import argparse
import os

from crmdesk.cli import UsageError
from crmdesk.i18n import _
from crmdesk.services.context import Actor


def register_all(commands: argparse._SubParsersAction) -> None:
    """Add every subcommand to the parser."""
    from crmdesk.commands import customers, demo, followup, staff

    for module in (demo, staff, customers, followup):
        module.register(commands)


def actor_from(args: argparse.Namespace) -> Actor | None:
    """The member of staff named by --user or CRMDESK_USER, or None when nobody is named."""
    from crmdesk.services.staff import find_staff

    name = args.user or os.environ.get("CRMDESK_USER")
    if not name:
        return None
    staff = find_staff(name)
    if staff is None:
        raise UsageError(_("no member of staff called {name}").format(name=name))
    return Actor.of(staff)
