"""``crmdesk appointment add / cancel`` and ``crmdesk appointments``: showroom invitations."""
from __future__ import annotations

import argparse
import datetime as dt

from crmdesk.cli import UsageError, print_rows
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import ID_MAX, bounded_int, day, moment
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("appointment", help=_("book or cancel an appointment"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    adding = actions.add_parser("add", help=_("invite a customer for a day and time"))
    adding.add_argument("number", metavar="NO", help=_("archive number"))
    adding.add_argument("--at", required=True, metavar="TIME", type=moment,
                        help=_("when, e.g. 2026-03-02 09:30"))
    adding.add_argument("--purpose", required=True, metavar="TEXT")
    adding.add_argument("--expected", default="", metavar="WHO",
                        help=_("who is expected to come"))
    adding.add_argument("--salesperson", metavar="USERNAME",
                        help=_("who receives them (default: the card's owner)"))
    adding.set_defaults(handler=run_add)
    cancelling = actions.add_parser("cancel", help=_("call off an expected appointment"))
    cancelling.add_argument("id", type=bounded_int("ID", 1, ID_MAX), metavar="ID")
    cancelling.set_defaults(handler=run_cancel)

    parser = commands.add_parser("appointments", help=_(
        "list the appointments of a day (default today), or the no-shows"))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--day", metavar="DATE", type=day, help=_("the day, e.g. 2026-03-02"))
    which.add_argument("--no-shows", action="store_true",
                       help=_("appointments whose day passed without the customer"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from crmdesk.services.appointments import book
    from crmdesk.services.ownership import customer_id_of
    from crmdesk.services.staff import staff_by_username

    salesperson_id = None
    if args.salesperson:
        staff = staff_by_username(args.salesperson)
        if staff is None:
            raise UsageError(_("--salesperson: no account named {name}").format(
                name=args.salesperson))
        salesperson_id = staff.id
    appointment_id = book(customer_id_of(args.number), args.at, args.purpose,
                          actor_from(args), expected=args.expected,
                          salesperson_id=salesperson_id)
    print(_("Appointment {id} booked.").format(id=appointment_id))
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    from crmdesk.services.appointments import cancel

    cancel(args.id, actor_from(args))
    print(_("Appointment {id} cancelled.").format(id=args.id))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from crmdesk.services.appointments import expected_on, no_shows

    actor = actor_from(args)
    if args.no_shows:
        rows = no_shows(actor)
    else:
        rows = expected_on(args.day or dt.date.today(), actor)
    return print_rows(rows, args.json, lambda r: (
        str(r.id), r.starts_at.strftime("%Y-%m-%d %H:%M"), r.archive_no, r.name, r.expected,
        r.purpose, r.salesperson, r.state_label))
