"""``crmdesk staff``: list and add members of staff.

Adding goes through the accounts service: only an administrator may, and it is audited. A
member added here cannot log in until an administrator sets their password in the window.
"""
from __future__ import annotations

import argparse

from crmdesk.cli import print_json
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("staff", help=_("list or add staff"))
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("list staff"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_staff)
    adding = actions.add_parser("add", help=_("add a member of staff (administrators only)"))
    adding.add_argument("name")
    adding.add_argument("--username", required=True)
    adding.add_argument("--roles", default="sales",
                        help=_("comma-separated: frontdesk, sales, manager, admin"))
    adding.add_argument("--json", action="store_true")
    adding.set_defaults(handler=add_staff)


_COLUMNS = ("id", "name", "username", "roles", "active")


def list_staff(args: argparse.Namespace) -> int:
    from crmdesk.services.accounts import staff_accounts

    rows = [{key: account[key] for key in _COLUMNS} for account in staff_accounts()]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['id']}\t{r['username']}\t{r['name']}\t{r['roles']}\t"
                  f"{'' if r['active'] else _('inactive')}")
    return 0


def add_staff(args: argparse.Namespace) -> int:
    """Add a member of staff as the logged-in administrator; the change is audited."""
    from crmdesk.commands import actor_from
    from crmdesk.services.accounts import add_account

    roles = tuple(r.strip() for r in args.roles.split(","))
    staff_id = add_account(actor_from(args), args.name, args.username, roles)
    if args.json:
        print_json({"staff": 1})
    else:
        print(_("Added {name} (id {id}).").format(name=args.name.strip(), id=staff_id))
    return 0
