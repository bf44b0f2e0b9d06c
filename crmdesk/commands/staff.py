"""``crmdesk staff``: list and add members of staff."""
from __future__ import annotations

import argparse
import dataclasses

from crmdesk.cli import print_json
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("staff", help=_("list or add staff"))
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("list staff"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_staff)
    adding = actions.add_parser("add", help=_("add a member of staff"))
    adding.add_argument("name")
    adding.add_argument("--username", required=True)
    adding.add_argument("--roles", default="sales",
                        help=_("comma-separated: frontdesk, sales, manager, admin"))
    adding.add_argument("--json", action="store_true")
    adding.set_defaults(handler=add_staff)


@dataclasses.dataclass(frozen=True)
class _Row:
    id: int
    name: str
    username: str
    roles: str
    active: bool


def list_staff(args: argparse.Namespace) -> int:
    from crmdesk.models import Staff

    rows = [_Row(s.id, s.name, s.username, s.roles, s.active)
            for s in Staff.select().order_by(Staff.id)]
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.id}\t{r.username}\t{r.name}\t{r.roles}\t{'' if r.active else _('inactive')}")
    return 0


def add_staff(args: argparse.Namespace) -> int:
    from crmdesk.services.staff import add_staff as add

    staff_id = add(args.name, args.username, tuple(r.strip() for r in args.roles.split(",")))
    if args.json:
        print_json({"staff": 1})
    else:
        print(_("Added {name} (id {id}).").format(name=args.name, id=staff_id))
    return 0
