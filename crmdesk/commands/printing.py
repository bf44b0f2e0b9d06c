"""``crmdesk print``: archive cards and registers as PDF files.

``print card NO [NO ...]``, ``print roster [--query TEXT]``, ``print log NO``,
``print overdue`` and ``print visits [--date D | --from D --to D]``, each with ``-o FILE``.
An unknown archive number stops the command with exit code 1, naming it, before anything is
written.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from crmdesk.cli import UsageError
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import add_force, day, shown
from crmdesk.commands.frontdesk import add_period_options, period_of
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``print`` and its printouts (card, roster, log, overdue, visits) to the command
    line."""
    parser = commands.add_parser("print", help=_("print archive cards and registers as PDF"))
    printouts = parser.add_subparsers(dest="printout", metavar="PRINTOUT", required=True)

    card = printouts.add_parser("card", help=_("archive cards, front and back, one PDF"))
    card.add_argument("archive_nos", nargs="+", metavar="NO", help=_("archive number"))
    _output(card)
    card.set_defaults(handler=run_card)

    roster = printouts.add_parser("roster", help=_("the customer roster"))
    roster.add_argument("--query", default="", metavar="TEXT",
                        help=_("only customers the search box finds for TEXT"))
    _output(roster)
    roster.set_defaults(handler=run_roster)

    log = printouts.add_parser("log", help=_("one customer's communication log"))
    log.add_argument("archive_no", metavar="NO", help=_("archive number"))
    _output(log)
    log.set_defaults(handler=run_log)

    overdue = printouts.add_parser("overdue", help=_("the overdue follow-up list by owner"))
    overdue.add_argument("--as-of", metavar="DATE", type=day,
                         help=_("the day to count from (default today)"))
    overdue.add_argument("--owner", metavar="NAME", help=_("only this salesperson's customers"))
    _output(overdue)
    overdue.set_defaults(handler=run_overdue)

    visits = printouts.add_parser("visits", help=_("the visitor and caller register"))
    add_period_options(visits)
    _output(visits)
    visits.set_defaults(handler=run_visits)

    lent = printouts.add_parser("loans", help=_("the lending register of printed cards"))
    lent.add_argument("--open", action="store_true", help=_("only loans still out"))
    _output(lent)
    lent.set_defaults(handler=run_loans)


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help=_("the PDF file to write"))
    add_force(parser)


def _write(args: argparse.Namespace, make: Callable[[], bytes]) -> Path:
    """Check the output folder, then let ``make`` render the PDF and write it there."""
    from crmdesk.output_files import check_output, writing
    from crmdesk.printing.render import write_pdf

    target = check_output(args.output, replace=args.force)
    data = make()
    with writing(target):
        write_pdf(data, target)
    print(_("Written: {path}").format(path=target))
    return target


def run_card(args: argparse.Namespace) -> int:
    """Print the named archive cards into one PDF."""
    from crmdesk.services import documents, printouts

    actor = actor_from(args)
    ids = printouts.customer_ids(args.archive_nos)
    _write(args, lambda: documents.cards_pdf(ids, actor))
    return 0


def run_roster(args: argparse.Namespace) -> int:
    """Print the customer roster, as the list shows it for ``--query``."""
    from crmdesk.services import documents
    from crmdesk.services.search import ListQuery

    actor = actor_from(args)
    _write(args, lambda: documents.roster_pdf(ListQuery(text=args.query), actor))
    return 0


def run_log(args: argparse.Namespace) -> int:
    """Print one customer's communication log."""
    from crmdesk.services import documents, printouts

    actor = actor_from(args)
    (customer_id,) = printouts.customer_ids([args.archive_no])
    _write(args, lambda: documents.log_pdf(customer_id, actor))
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    """Print the overdue follow-up list grouped by owner, as the overdue page shows it."""
    from crmdesk.services import documents, followup
    from crmdesk.services.staff import find_staff

    actor = actor_from(args)
    as_of = args.as_of or followup.today()
    owner_id = None
    if args.owner:
        staff = find_staff(args.owner)
        if staff is None:
            raise UsageError(_("no member of staff called {name}").format(
                name=shown(args.owner)))
        owner_id = staff.id
    _write(args, lambda: documents.overdue_pdf(actor, as_of, owner_id))
    return 0


def run_visits(args: argparse.Namespace) -> int:
    """Print the visitor and caller register of ``--date`` or ``--from``/``--to`` (today by
    default)."""
    from crmdesk.services import documents

    start, end = period_of(args)
    actor = actor_from(args)
    _write(args, lambda: documents.visits_pdf(start, end, actor))
    return 0


def run_loans(args: argparse.Namespace) -> int:
    """Print the lending register (the keeper's whole register, a borrower's own loans)."""
    from crmdesk.services import documents

    actor = actor_from(args)
    _write(args, lambda: documents.loans_pdf(actor, args.open))
    return 0
