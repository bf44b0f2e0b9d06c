"""``crmdesk customers``: search the archive as the list's search box does."""
from __future__ import annotations

import argparse

from crmdesk.cli import print_json
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("customers", help=_("search customers"))
    parser.add_argument("query", nargs="?", default="",
                        help=_("name, pinyin, mobile or its last 4 digits, archive no., company"))
    parser.add_argument("--limit", type=bounded_int("--limit", 0, LIMIT_MAX), default=50,
                        help=_("at most this many (default 50)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.commands import actor_from
    from crmdesk.services.search import LIST_COLUMNS, ListQuery, find_ids, list_rows

    actor = actor_from(args)
    ids = find_ids(ListQuery(text=args.query), actor)[: args.limit]
    rows = list_rows(ids, actor)
    ordered = [dict(zip(LIST_COLUMNS, rows[i], strict=True)) for i in ids]
    if args.json:
        print_json(ordered)
    else:
        for row in ordered:
            print("\t".join(row.values()))
        print(_("{n} shown").format(n=len(ordered)))
    return 0
