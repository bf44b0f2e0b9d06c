"""The confidentiality procedures: ``crmdesk loan`` / ``loans`` (the lending register),
``crmdesk access`` (requests to read a card) and ``crmdesk leak``."""
from __future__ import annotations

import argparse

from crmdesk.cli import UsageError, print_rows
from crmdesk.commands import actor_from, named_actor
from crmdesk.commands.arguments import ID_MAX, bounded_int, day, moment
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("loan", help=_("lend a printed card, or close a loan"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    lending = actions.add_parser("add", help=_("record a printed card or copy lent out"))
    lending.add_argument("number", metavar="NO", help=_("archive number"))
    lending.add_argument("--to", required=True, metavar="USERNAME", help=_("the borrower"))
    lending.add_argument("--copies", type=bounded_int("--copies", 1, 99), default=1, metavar="N")
    lending.add_argument("--purpose", required=True, metavar="TEXT")
    lending.add_argument("--due", metavar="DATE", type=day,
                         help=_("due back (default: in three days)"))
    lending.set_defaults(handler=run_lend)
    for action, state, text in (("return", "returned", _("the card is back with the keeper")),
                                ("cancel", "cancelled", _("the loan was recorded by mistake"))):
        closing = actions.add_parser(action, help=text)
        closing.add_argument("id", type=bounded_int("ID", 1, ID_MAX), metavar="ID")
        closing.set_defaults(handler=run_close, state=state)

    parser = commands.add_parser("loans", help=_("the lending register of printed cards"))
    parser.add_argument("--open", action="store_true", help=_("only loans still out"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_loans)

    parser = commands.add_parser("access", help=_("ask to read a card, or answer such requests"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    asking = actions.add_parser("request", help=_("ask a manager to let you read a card"))
    asking.add_argument("number", metavar="NO", help=_("archive number"))
    asking.add_argument("--purpose", required=True, metavar="TEXT")
    asking.add_argument("--reason", required=True, metavar="TEXT")
    asking.set_defaults(handler=run_request)
    approving = actions.add_parser("approve", help=_("let the requester read the card until a "
                                                     "day (managers)"))
    approving.add_argument("id", type=bounded_int("ID", 1, ID_MAX), metavar="ID")
    approving.add_argument("--until", required=True, metavar="DATE", type=day)
    approving.set_defaults(handler=run_decide, approve=True)
    refusing = actions.add_parser("refuse", help=_("refuse a request (managers)"))
    refusing.add_argument("id", type=bounded_int("ID", 1, ID_MAX), metavar="ID")
    refusing.set_defaults(handler=run_decide, approve=False, until=None)
    listing = actions.add_parser("list", help=_("requests: all for a manager, your own "
                                                "otherwise"))
    listing.add_argument("--pending", action="store_true", help=_("only those waiting"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_requests)

    parser = commands.add_parser("leak", help=_(
        "report a suspected leak of customer information (every manager is told at once)"))
    parser.add_argument("--what", required=True, metavar="TEXT")
    parser.add_argument("--noticed", required=True, metavar="TEXT",
                        help=_("how it was noticed"))
    parser.add_argument("--at", metavar="TIME", type=moment,
                        help=_("when it happened, if known"))
    parser.add_argument("--archive", metavar="NO", help=_("the archive concerned, if one"))
    parser.set_defaults(handler=run_leak)


def _staff_id(username: str) -> int:
    from crmdesk.services.staff import staff_by_username

    staff = staff_by_username(username)
    if staff is None:
        raise UsageError(_("--to: no account named {name}").format(name=username))
    return staff.id


def run_lend(args: argparse.Namespace) -> int:
    from crmdesk.services.confidentiality import lend
    from crmdesk.services.ownership import customer_id_of

    loan_id = lend(customer_id_of(args.number), _staff_id(args.to), args.copies, args.purpose,
                   actor_from(args), due=args.due)
    print(_("Loan {id} recorded.").format(id=loan_id))
    return 0


def run_close(args: argparse.Namespace) -> int:
    from crmdesk.services.confidentiality import close_loan

    close_loan(args.id, args.state, actor_from(args))
    print(_("Loan {id} closed.").format(id=args.id))
    return 0


def run_loans(args: argparse.Namespace) -> int:
    from crmdesk.services.confidentiality import loans

    rows = loans(actor_from(args), open_only=args.open)
    return print_rows(rows, args.json, lambda r: (
        str(r.id), r.archive_no, r.name, r.borrower, str(r.copies), r.purpose,
        r.lent_at.strftime("%Y-%m-%d %H:%M"), r.due.isoformat(), r.state_label))


def run_request(args: argparse.Namespace) -> int:
    from crmdesk.services.access_requests import request
    from crmdesk.services.ownership import customer_id_of

    actor = named_actor(args)
    request_id = request(customer_id_of(args.number), args.purpose, args.reason, actor)
    print(_("Request {id} sent to the managers.").format(id=request_id))
    return 0


def run_decide(args: argparse.Namespace) -> int:
    from crmdesk.services.access_requests import decide

    decide(args.id, args.approve, actor_from(args), until=args.until)
    print(_("Request {id} answered.").format(id=args.id))
    return 0


def run_requests(args: argparse.Namespace) -> int:
    from crmdesk.services.access_requests import requests

    actor = named_actor(args)
    rows = requests(actor, pending_only=args.pending)
    return print_rows(rows, args.json, lambda r: (
        str(r.id), r.archive_no, r.requester, r.purpose, r.reason,
        r.requested_at.strftime("%Y-%m-%d %H:%M"), r.state_label,
        r.until.isoformat() if r.until else ""))


def run_leak(args: argparse.Namespace) -> int:
    from crmdesk.services.confidentiality import report_leak
    from crmdesk.services.ownership import customer_id_of

    report_id = report_leak(args.what, args.noticed, actor_from(args), happened_at=args.at,
                            customer_id=customer_id_of(args.archive) if args.archive else None)
    print(_("Leak report {id} recorded; the managers have been told.").format(id=report_id))
    return 0
