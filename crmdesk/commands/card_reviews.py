"""``crmdesk signoff``: new cards put up for the manager's review, signed off, listed by month."""
from __future__ import annotations

import argparse
import datetime as dt

from crmdesk.cli import UsageError, print_rows
from crmdesk.commands import actor_from
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("signoff", help=_(
        "put a new card up for the manager's review, sign it off, or list a month's"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    putting = actions.add_parser("request", help=_("put the card up for review"))
    putting.add_argument("number", metavar="NO", help=_("archive number"))
    putting.set_defaults(handler=run_request)
    signing = actions.add_parser("sign", help=_("sign the card off as reviewed (managers)"))
    signing.add_argument("number", metavar="NO", help=_("archive number"))
    signing.add_argument("--remark", default="", metavar="TEXT")
    signing.set_defaults(handler=run_sign)
    listing = actions.add_parser("list", help=_("the month's check list (managers)"))
    listing.add_argument("--month", metavar="YYYY-MM", help=_("default: this month"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)


def run_request(args: argparse.Namespace) -> int:
    from crmdesk.services.card_reviews import put_up
    from crmdesk.services.ownership import customer_id_of

    put_up(customer_id_of(args.number), actor_from(args))
    print(_("{no} is up for review.").format(no=args.number.upper()))
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from crmdesk.services.card_reviews import sign_off
    from crmdesk.services.ownership import customer_id_of

    sign_off(customer_id_of(args.number), actor_from(args), args.remark)
    print(_("{no} signed off.").format(no=args.number.upper()))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from crmdesk.services.card_reviews import monthly_list

    month = dt.date.today()
    if args.month:
        try:
            month = dt.datetime.strptime(args.month.strip(), "%Y-%m").date()
        except ValueError as exc:
            raise UsageError(_("--month: write it as 2026-03")) from exc
    rows = monthly_list(month, actor_from(args))
    waiting = _("waiting")
    return print_rows(rows, args.json, lambda r: (
        r.archive_no, r.name, r.owner, r.marked_by, r.marked_at.strftime("%Y-%m-%d"),
        f"{r.signed_by} {r.signed_at:%Y-%m-%d}" if r.signed_at else waiting, r.remark))
