"""``crmdesk value``: customers by value (主力/一般/零散), and the office's bars for it."""
from __future__ import annotations

import argparse
import dataclasses

from crmdesk.cli import print_json, print_rows
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("value", help=_(
        "customers by value (key, regular, occasional) from their purchases"))
    parser.add_argument("--grade", choices=("main", "general", "scattered"),
                        help=_("list the customers of this grade instead of the counts"))
    parser.add_argument("--limit", type=bounded_int("--limit", 1, LIMIT_MAX), default=500,
                        metavar="N")
    parser.add_argument("--set", nargs=4, metavar=("KEY_ORDERS", "KEY_AMOUNT", "REGULAR_ORDERS",
                                                   "REGULAR_AMOUNT"),
                        help=_("set the bars: a key customer has more orders and more amount "
                               "than the first two, a regular one than the last two"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_value)


def run_value(args: argparse.Namespace) -> int:
    from crmdesk.services import customer_value as value

    actor = actor_from(args)
    if args.set:
        value.set_bars({"main": value.parse_bar(args.set[0], args.set[1], "main"),
                        "general": value.parse_bar(args.set[2], args.set[3], "general")}, actor)
    if args.grade:
        return print_rows(value.customers_of_grade(args.grade, actor, args.limit), args.json,
                          lambda r: (r.archive_no, r.name, r.owner, str(r.orders),
                                     f"{r.amount:.2f}"))
    counts = value.summary(actor)
    if args.json:
        print_json([dataclasses.asdict(c) | {"grade_label": c.grade_label} for c in counts])
        return 0
    bars = value.bars()
    for c in counts:
        bar = bars.get(c.grade)
        rule = _("more than {orders} orders and {amount} yuan").format(
            orders=bar.orders, amount=bar.amount) if bar else ""
        print("\t".join((c.grade_label, str(c.customers), f"{c.amount:.2f}", rule)))
    return 0
