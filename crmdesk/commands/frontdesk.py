"""The front desk from scripts: the register, registering visits, a phone's history, the pool.

``visit add`` refuses a phone that already has an archive (or another strong match of the
duplicate rule) unless told --link NO (a return visit) or --confirm-new REASON; ``register``
links such a visit to the phone's earliest archive and says so.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any

from crmdesk.cli import UsageError, print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int, day, moment, shown
from crmdesk.errors import NotFoundError
from crmdesk.i18n import _
from crmdesk.services.frontdesk import PARTY_MAX

CHANNELS = {"visit": "visit", "walk-in": "visit", "call": "call"}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("visits", help=_("list the visitor and caller register"))
    add_period_options(parser)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_visits)

    parser = commands.add_parser("visit", help=_("register a visitor or caller"))
    actions = parser.add_subparsers(dest="visit_command", required=True, metavar="ACTION")
    adding = actions.add_parser("add", help=_("register a visit; refuses a phone that has an "
                                              "archive unless --link or --confirm-new"))
    _visit_options(adding)
    adding.add_argument("--link", metavar="NO", help=_("a return visit of this archive"))
    adding.add_argument("--confirm-new", nargs="?", const="", metavar="REASON",
                        help=_("create a new archive although the phone (or name and company) "
                               "has one; say why this is a different customer (required then, "
                               "kept in the audit trail)"))
    adding.set_defaults(handler=run_add, link_known=False)
    parser = commands.add_parser("register", help=_("register a visit; a known phone links to "
                                                    "its archive"))
    _visit_options(parser)
    parser.set_defaults(handler=run_add, link_known=True, link=None, confirm_new=None)

    parser = commands.add_parser("history", help=_("every registration and visit of a phone"))
    parser.add_argument("phone")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_history)

    parser = commands.add_parser("transfer", help=_("hand customers to another salesperson"))
    parser.add_argument("numbers", nargs="*", metavar="NO", help=_("archive numbers"))
    parser.add_argument("--all-of", metavar="NAME", help=_("every customer of this salesperson"))
    parser.add_argument("--to", required=True, metavar="NAME", action="append",
                        help=_("the new salesperson; repeat it to share --all-of among several"))
    parser.add_argument("--split", choices=("evenly", "draw"), default="evenly",
                        help=_("how --all-of is shared among several: in turn, or by random "
                               "draw (each gets an equal share)"))
    parser.add_argument("--reason", required=True, metavar="TEXT")
    parser.set_defaults(handler=run_transfer)

    parser = commands.add_parser("pool", help=_("list the public pool (customers whose "
                                                "protection lapsed)"))
    parser.add_argument("--due", action="store_true",
                        help=_("instead, your customers due to lapse within a week"))
    parser.add_argument("--limit", type=bounded_int("--limit", 0, LIMIT_MAX), default=500,
                        metavar="N")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_pool)

    parser = commands.add_parser("claim", help=_("claim a customer from the public pool"))
    parser.add_argument("number", metavar="NO")
    parser.set_defaults(handler=run_claim)


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """``--date D``, or ``--from D --to D``: the days of the register (read by ``period_of``)."""
    parser.add_argument("--date", metavar="D", type=day, help=_("one day (default today)"))
    parser.add_argument("--from", dest="start", metavar="D", type=day,
                        help=_("first day of a range"))
    parser.add_argument("--to", dest="end", metavar="D", type=day, help=_("last day of a range"))


def period_of(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    """The first and last day given by ``add_period_options``: today by default, and from
    ``--from`` alone up to today.

    Raises:
        UsageError: both --date and a range, or --to before --from.
    """
    if args.date and (args.start or args.end):
        raise UsageError(_("give --date, or --from and --to, not both"))
    today = dt.date.today()
    start = args.date or args.start or today
    end = args.date or args.end or max(start, today)
    if end < start:
        raise UsageError(_("--to comes before --from"))
    return start, end


def _visit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", required=True)
    parser.add_argument("--phone", required=True)
    parser.add_argument("--purpose", default="")
    parser.add_argument("--channel", choices=tuple(CHANNELS), default="visit")
    parser.add_argument("--company", default="")
    parser.add_argument("--party", type=bounded_int("--party", 1, PARTY_MAX), default=1,
                        metavar="N", help=_("party size"))
    parser.add_argument("--source", metavar="KEY", help=_("visit, call, referral, exhibition, "
                                                          "internet, advert, old_brings_new, "
                                                          "other"))
    parser.add_argument("--referred-by", metavar="NO",
                        help=_("the archive number of the old customer who brought this one "
                               "(with --source old_brings_new they go to that customer's "
                               "salesperson)"))
    parser.add_argument("--household-of", metavar="NO",
                        help=_("the archive number of a member of the same household who came "
                               "first (the visitor goes to that one's salesperson)"))
    parser.add_argument("--salesperson", metavar="NAME",
                        help=_("who receives the visitor (default: the owner or the rotation)"))
    parser.add_argument("--reason", default="",
                        help=_("why, when --salesperson overrides the one proposed"))
    parser.add_argument("--at", metavar="TIME", type=moment,
                        help=_("arrival, e.g. 2026-03-02 09:30"))
    parser.add_argument("--json", action="store_true")


def _staff_id(name: str) -> int:
    from crmdesk.services.staff import find_staff

    staff = find_staff(name)
    if staff is None:
        raise NotFoundError(_("no member of staff called {name}").format(name=shown(name)))
    return staff.id


def _rows(items: list[Any]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(item) for item in items]


def run_visits(args: argparse.Namespace) -> int:
    from crmdesk.services.visit_register import (
        channel_label,
        count_register,
        source_label,
        visits_between,
    )

    start, end = period_of(args)
    rows = visits_between(start, end, actor_from(args))
    if args.json:
        print_json(_rows(rows))
        return 0
    for r in rows:
        print("\t".join((r.arrived_at.strftime("%Y-%m-%d %H:%M"), channel_label(r.channel),
                         r.name, r.phone, r.purpose, source_label(r.source), r.receptionist,
                         r.salesperson, r.archive_no,
                         _("return visit") if r.returning else _("first visit"),
                         r.departed_at.strftime("%H:%M") if r.departed_at else "")))
    counts = count_register(rows)
    channels = ", ".join(f"{channel_label(k)} {v}" for k, v in counts.by_channel.items())
    print(_("{n} in all ({channels}); {first} first visits, {inside} still in the building")
          .format(n=counts.total, channels=channels or "-", first=counts.first_visits,
                  inside=counts.in_building))
    return 0


def run_add(args: argparse.Namespace) -> int:
    from crmdesk.services import frontdesk
    from crmdesk.services.ownership import customer_id_of
    from crmdesk.services.staff import staff_names

    actor = actor_from(args)
    draft = frontdesk.VisitDraft(
        name=args.name, phone=args.phone, purpose=args.purpose, channel=CHANNELS[args.channel],
        company=args.company, party_size=args.party, source=args.source,
        arrived_at=args.at,
        customer_id=customer_id_of(args.link) if args.link else None,
        referrer_id=customer_id_of(args.referred_by) if args.referred_by else None,
        household_of=customer_id_of(args.household_of) if args.household_of else None,
        salesperson_id=_staff_id(args.salesperson) if args.salesperson else None,
        override_reason=args.reason, confirm_new=args.confirm_new is not None,
        confirm_reason=args.confirm_new or "",
    )
    linked = False
    try:
        result = frontdesk.register_visit(draft, actor)
    except frontdesk.DuplicatePhoneError as exc:
        if not args.link_known:
            raise
        # 客户首访原则: the earliest archive of the number is the customer's.
        earliest = min(m.customer_id for m in exc.matches if m.matched_on == "phone")
        result = frontdesk.register_visit(dataclasses.replace(draft, customer_id=earliest), actor)
        linked = True
    salesperson = staff_names().get(result.salesperson_id, "")
    if args.json:
        print_json(dataclasses.asdict(result) | {"salesperson": salesperson, "linked": linked})
        return 0
    if linked:
        print(_("The phone already has archive {no}: the visit is linked to it.").format(
            no=result.archive_no))
    print(_("Registered: {name} to {salesperson}, archive {no} ({what}).").format(
        name=args.name, salesperson=salesperson, no=result.archive_no,
        what=_("new") if result.created else _("return visit")))
    return 0


def run_history(args: argparse.Namespace) -> int:
    from crmdesk.services.visit_register import phone_history

    entries = phone_history(args.phone, actor_from(args))
    if args.json:
        print_json([dataclasses.asdict(e) | {"event": e.event} for e in entries])
        return 0
    for e in entries:
        print("\t".join((e.at.strftime("%Y-%m-%d %H:%M"), e.event, e.archive_no, e.name,
                         e.receptionist, e.salesperson, e.details)))
    print(_("{n} shown").format(n=len(entries)))
    return 0


def run_transfer(args: argparse.Namespace) -> int:
    from crmdesk.services.ownership import customer_id_of, customers_of, hand_over, transfer

    receivers = [_staff_id(name) for name in args.to]
    if len(receivers) > 1:
        if args.numbers or not args.all_of:
            raise UsageError(_("several --to share the customers of --all-of NAME only"))
        moved = hand_over(_staff_id(args.all_of), receivers, args.split, args.reason,
                          actor_from(args))
        print(_("{n} customers shared among {names}.").format(n=moved, names="、".join(args.to)))
        return 0
    ids = [customer_id_of(no) for no in args.numbers]
    if args.all_of:
        ids += customers_of(_staff_id(args.all_of))
    if not ids:
        raise UsageError(_("name the archives to transfer, or --all-of NAME"))
    moved = transfer(ids, receivers[0], args.reason, actor_from(args))
    print(_("{n} customers transferred to {name}.").format(n=moved, name=args.to[0]))
    return 0


def run_pool(args: argparse.Namespace) -> int:
    from crmdesk.services.pool import due_to_lapse, pool

    actor = actor_from(args)
    if args.due:
        if actor is None:
            raise UsageError(_("--due lists your customers: name yourself with --user"))
        rows = due_to_lapse(actor.staff_id, actor)
        total = len(rows)
    else:
        page = pool(actor, limit=args.limit)
        rows, total = page.rows, page.total
    if args.json:
        print_json(_rows(rows))
        return 0
    for r in rows:
        print("\t".join((r.archive_no, r.name, r.phone, r.level, r.status, r.owner,
                         r.last_contact.isoformat() if r.last_contact else "",
                         r.lapses_on.isoformat() if r.lapses_on else "")))
    print(_("{n} shown of {total}").format(n=len(rows), total=total))
    return 0


def run_claim(args: argparse.Namespace) -> int:
    from crmdesk.services.ownership import claim, customer_id_of

    claim(customer_id_of(args.number), actor_from(args))
    print(_("{no} is now yours.").format(no=args.number.upper()))
    return 0
