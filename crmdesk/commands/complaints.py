"""``crmdesk complaints add|list|step|assign|close|overdue|print`` and ``crmdesk deal``.

Complaints are numbered by the archive; a card is named by its archive number.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

from crmdesk.cli import UsageError, print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import ID_MAX, bounded_int, day, moment, money, shown
from crmdesk.i18n import _
from crmdesk.models.card import SATISFACTION
from crmdesk.models.complaints import CATEGORIES, CHANNELS, SEVERITIES


def _keys(choices: tuple) -> list[str]:
    return [c.key for c in choices]


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``complaints`` (with its actions) and ``deal`` to the command line."""
    parser = commands.add_parser("complaints", help=_("customer complaints and their handling"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    number = bounded_int("ID", 1, ID_MAX)

    add = actions.add_parser("add", help=_("record a complaint about a customer"))
    add.add_argument("archive_no", metavar="NO", help=_("archive number"))
    add.add_argument("--content", required=True, help=_("what the customer complains of"))
    add.add_argument("--category", required=True, choices=_keys(CATEGORIES))
    add.add_argument("--channel", default="call", choices=_keys(CHANNELS))
    add.add_argument("--severity", default="general", choices=_keys(SEVERITIES))
    add.add_argument("--handler", dest="handled_by", metavar="NAME", help=_("who handles it"))
    add.add_argument("--received", metavar="DATETIME", type=moment, help=_("when (default now)"))
    add.add_argument("--due", metavar="D", type=day, help=_("answer due (default by severity)"))
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help=_("a card's complaints"))
    listing.add_argument("archive_no", metavar="NO", help=_("archive number"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    overdue = actions.add_parser("overdue", help=_("open complaints past their due date"))
    overdue.add_argument("--as-of", metavar="D", type=day,
                         help=_("the day to count from (default today)"))
    overdue.add_argument("--notify", action="store_true",
                         help=_("also send each handler a notice (once a day)"))
    overdue.add_argument("--json", action="store_true")
    overdue.set_defaults(handler=run_overdue)

    step = actions.add_parser("step", help=_("add a handling step"))
    step.add_argument("complaint", type=number, metavar="ID")
    step.add_argument("--action", dest="what", required=True, help=_("what was done"))
    step.add_argument("--date", metavar="D", type=day, help=_("the day (default today)"))
    step.set_defaults(handler=run_step)

    assign = actions.add_parser("assign", help=_("hand a complaint to a handler"))
    assign.add_argument("complaint", type=number, metavar="ID")
    assign.add_argument("--to", dest="to", required=True, metavar="NAME")
    assign.add_argument("--due", metavar="D", type=day, help=_("a new due date"))
    assign.set_defaults(handler=run_assign)

    close = actions.add_parser("close", help=_("close a complaint with its result"))
    close.add_argument("complaint", type=number, metavar="ID")
    close.add_argument("--result", required=True)
    close.add_argument("--satisfaction", choices=_keys(SATISFACTION))
    close.add_argument("--date", metavar="D", type=day, help=_("the day (default today)"))
    close.set_defaults(handler=run_close)

    printed = actions.add_parser("print", help=_("the complaint handling form as PDF"))
    printed.add_argument("complaint", type=number, metavar="ID")
    printed.add_argument("-o", "--output", required=True, metavar="FILE")
    printed.add_argument("--force", action="store_true",
                         help=_("replace the output file if it exists"))
    printed.set_defaults(handler=run_print)

    deal = commands.add_parser("deal", help=_("record a deal (成交) on a card"))
    deal.add_argument("archive_no", metavar="NO", help=_("archive number"))
    deal.add_argument("--date", metavar="D", type=day,
                      help=_("the day of the deal (default today)"))
    deal.add_argument("--salesperson", metavar="NAME",
                      help=_("who is credited (default the card's owner)"))
    deal.add_argument("--amount", metavar="YUAN", type=money)
    deal.add_argument("--product", help=_("adds a line to the purchase history"))
    deal.add_argument("--quantity", type=bounded_int("--quantity", 1, 1_000_000), default=1)
    deal.set_defaults(handler=run_deal)


def _staff_id(name: str | None, option: str) -> int | None:
    from crmdesk.services.staff import find_staff

    if not name:
        return None
    staff = find_staff(name)
    if staff is None:
        raise UsageError(_("{option}: no member of staff called {name}").format(
            option=option, name=shown(name)))
    return staff.id


def _customer(archive_no: str) -> int:
    from crmdesk.services.printouts import customer_ids

    return customer_ids([archive_no])[0]


def run_add(args: argparse.Namespace) -> int:
    """Record a complaint and print its number."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    new = complaints.NewComplaint(
        received_at=args.received or dt.datetime.now().replace(microsecond=0),
        channel=args.channel, content=args.content,
        category=args.category, severity=args.severity,
        handler_id=_staff_id(args.handled_by, "--handler"), due_on=args.due)
    number = complaints.record_complaint(_customer(args.archive_no), new, actor)
    print(_("Complaint no. {number} recorded.").format(number=number))
    return 0


def _print_rows(rows: list, as_json: bool) -> None:
    if as_json:
        print_json([dataclasses.asdict(r) for r in rows])
        return
    from crmdesk.models.complaints import CATEGORIES as categories
    from crmdesk.services.complaints import label

    for r in rows:
        state = (_("closed {date}").format(date=r.closed_on) if r.closed_on
                 else _("due {date}").format(date=r.due_on))
        print(f"#{r.id}\t{r.received_at:%Y-%m-%d %H:%M}\t{r.archive_no}\t{r.customer_name}\t"
              f"{label(categories, r.category)}\t{r.handler or '-'}\t{state}")


def run_list(args: argparse.Namespace) -> int:
    """A card's complaints, newest first."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    _print_rows(complaints.complaints_of(_customer(args.archive_no), actor), args.json)
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    """Open complaints past their due date (and, with --notify, tell their handlers)."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    as_of = args.as_of or dt.date.today()
    if args.notify:
        complaints.notify_overdue(as_of, actor)
    _print_rows(complaints.overdue(as_of, actor), args.json)
    return 0


def run_step(args: argparse.Namespace) -> int:
    """Add a handling step."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    seq = complaints.add_step(args.complaint, args.date or dt.date.today(),
                              args.what, actor)
    print(_("Step {seq} added to complaint no. {number}.").format(seq=seq,
                                                                 number=args.complaint))
    return 0


def run_assign(args: argparse.Namespace) -> int:
    """Hand a complaint to a handler, who is sent a notice."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    handler = _staff_id(args.to, "--to")
    assert handler is not None
    complaints.assign(args.complaint, handler, actor, args.due)
    print(_("Complaint no. {number} handed to {name}.").format(number=args.complaint,
                                                               name=shown(args.to)))
    return 0


def run_close(args: argparse.Namespace) -> int:
    """Close a complaint with its result."""
    from crmdesk.services import complaints

    actor = actor_from(args)
    complaints.close(args.complaint, args.date or dt.date.today(),
                     args.result, args.satisfaction, actor)
    print(_("Complaint no. {number} closed.").format(number=args.complaint))
    return 0


def run_print(args: argparse.Namespace) -> int:
    """Print the handling form of a complaint."""
    from crmdesk.output_files import check_output, writing
    from crmdesk.printing.render import write_pdf
    from crmdesk.services.complaint_printout import complaint_pdf

    actor = actor_from(args)
    target = check_output(args.output, replace=args.force)
    data = complaint_pdf(args.complaint, actor)
    with writing(target):
        write_pdf(data, target)
    print(_("Written: {path}").format(path=target))
    return 0


def run_deal(args: argparse.Namespace) -> int:
    """Record a deal on a card."""
    from crmdesk.services import deals

    actor = actor_from(args)
    deal = deals.NewDeal(closed_on=args.date or dt.date.today(),
                         salesperson_id=_staff_id(args.salesperson, "--salesperson"),
                         amount=args.amount, product=args.product, quantity=args.quantity)
    deals.record_deal(_customer(args.archive_no), deal, actor)
    print(_("Deal recorded for {no}.").format(no=shown(args.archive_no)))
    return 0
