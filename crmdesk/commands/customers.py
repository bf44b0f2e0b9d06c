"""``crmdesk customers``: search the archive as the list's search box does, filtered by an
office field's value as the list's filter is, with the office fields the list shows."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from crmdesk.cli import print_json
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int, command_line_text
from crmdesk.i18n import _

if TYPE_CHECKING:
    from crmdesk.services.list_filters import OfficeValueFilter


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("customers", help=_("search customers"))
    parser.add_argument("query", nargs="?", default="",
                        help=_("name, pinyin, mobile or its last 4 digits, archive no., company"))
    parser.add_argument("--field", type=office_value, metavar="KEY=VALUE",
                        help=_("only customers whose office field KEY holds VALUE (the keys: "
                               "crmdesk fields list)"))
    parser.add_argument("--limit", type=bounded_int("--limit", 0, LIMIT_MAX), default=50,
                        help=_("at most this many (default 50)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def office_value(text: str) -> OfficeValueFilter:
    """An argparse type: ``KEY=VALUE``, the list's filter on an office field's value (the
    services judge the key and the value)."""
    from crmdesk.services.list_filters import OfficeValueFilter

    key, equals, value = command_line_text("--field")(text).partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(_("write --field KEY=VALUE, such as club=golf"))
    return OfficeValueFilter(key.strip(), value.strip())


def run(args: argparse.Namespace) -> int:
    from crmdesk.commands import actor_from
    from crmdesk.services import customer_list
    from crmdesk.services.search import ListQuery, find_ids

    actor = actor_from(args)
    ids = find_ids(ListQuery(text=args.query, office_value=args.field), actor)[: args.limit]
    fields = customer_list.listed_fields()
    keys = customer_list.list_columns(fields).keys
    rows = customer_list.rows(ids, actor, fields)
    ordered = [dict(zip(keys, rows[i], strict=True)) for i in ids]
    if args.json:
        print_json(ordered)
    else:
        for row in ordered:
            print("\t".join(row.values()))
        print(_("{n} shown").format(n=len(ordered)))
    return 0
