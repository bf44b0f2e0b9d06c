"""``crmdesk import-sales``: our sales by year onto organisation cards, from a workbook.

The export is ``crmdesk export sales_by_year OUT.xlsx``; its sheet imports back as it is.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``import-sales`` to the command line."""
    parser = commands.add_parser("import-sales", help=_(
        "import our sales by year onto organisation cards (archive no., year, amount)"))
    parser.add_argument("file", help=_("the spreadsheet to import"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_import_sales)


def run_import_sales(args: argparse.Namespace) -> int:
    """Keep the file's years on the cards, or print every problem and keep nothing."""
    from crmdesk.services.imports.sales_by_year import import_sales_by_year

    result = import_sales_by_year(Path(args.file), actor_from(args))
    if args.json:
        print_json({"cards": result.cards, "years": result.years})
    else:
        print(_("{years} years written on {cards} cards.").format(years=result.years,
                                                                  cards=result.cards))
    return 0
