"""``crmdesk staff``: list and add members of staff.

Adding goes through the accounts service: only an administrator may, and it is audited. A
member added here cannot log in until an administrator sets their password in the window.
"""
from __future__ import annotations

import argparse

from crmdesk.cli import print_json
from crmdesk.commands.card_templates import TEMPLATE_KEYS
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
    adding.add_argument("--with-password", action="store_true",
                        help=_("give a password now (CRMDESK_NEW_PASSWORD or the prompt)"))
    adding.add_argument("--json", action="store_true")
    adding.set_defaults(handler=add_staff)
    first = actions.add_parser(
        "first-admin", help=_("create a new archive's administrator (password from "
                              "CRMDESK_NEW_PASSWORD or the prompt)"))
    first.add_argument("name")
    first.add_argument("--username", default="admin")
    first.add_argument("--card-template", choices=TEMPLATE_KEYS, default=TEMPLATE_KEYS[0],
                       help=_("the office's ready-made card and levels (default: {key}; "
                              "crmdesk card-template list)").format(key=TEMPLATE_KEYS[0]))
    first.set_defaults(handler=add_first_admin)
    password = actions.add_parser(
        "password", help=_("set a password: your own, or anyone's as an administrator "
                           "(CRMDESK_NEW_PASSWORD or the prompt)"))
    password.add_argument("username", metavar="USER")
    password.set_defaults(handler=set_staff_password)


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
    from crmdesk.commands.encryption import new_password
    from crmdesk.services.accounts import add_account

    roles = tuple(r.strip() for r in args.roles.split(","))
    password = new_password(args.username) if args.with_password else None
    staff_id = add_account(actor_from(args), args.name, args.username, roles, password)
    if args.json:
        print_json({"staff": 1})
    else:
        print(_("Added {name} (id {id}).").format(name=args.name.strip(), id=staff_id))
    return 0


def add_first_admin(args: argparse.Namespace) -> int:
    """Create the administrator of an archive still being set up; shows the recovery key of
    an encrypted archive, to print."""
    from crmdesk.commands.encryption import new_password, print_recovery_key
    from crmdesk.services.accounts import create_first_admin
    from crmdesk.services.archive_keys import take_recovery_key
    from crmdesk.services.card_templates import TEMPLATES, apply_template

    actor = create_first_admin(args.name.strip(), args.username.strip(),
                               new_password(args.username))
    apply_template(args.card_template, actor)
    print(_("{name} is the administrator; from now on every command logs in.").format(
        name=args.name.strip()))
    print(_("Card template: {name}.").format(name=TEMPLATES[args.card_template].label))
    recovery_key = take_recovery_key()
    if recovery_key:
        print_recovery_key(recovery_key)
    return 0


def set_staff_password(args: argparse.Namespace) -> int:
    """Set USER's password (one's own, or anyone's as an administrator), audited."""
    from crmdesk.cli import UsageError
    from crmdesk.commands import actor_from
    from crmdesk.commands.arguments import shown
    from crmdesk.commands.encryption import new_password
    from crmdesk.services.accounts import set_password
    from crmdesk.services.staff import staff_by_username

    actor = actor_from(args)
    staff = staff_by_username(args.username)
    if staff is None:
        raise UsageError(_("no member of staff with the user name {name}").format(
            name=shown(args.username)))
    set_password(actor, staff.id, new_password(args.username))
    print(_("The password of {name} is set.").format(name=staff.name))
    return 0
