"""``crmdesk stats NAME`` (also ``crmdesk report NAME``): the manager's statistics.

``--period day|week|month|quarter|year`` around ``--date`` (today by default), or
``--from D --to D``; ``--by`` groups the rows; ``--owner`` narrows to one salesperson (a
salesperson always sees their own); ``--json`` prints the report with what each figure
counts (its report, figure and group), not the ids behind it, which the window lists when the
number is clicked; ``-o F.pdf`` prints it and ``-o F.xlsx`` writes a workbook with charts.
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from crmdesk.cli import UsageError, print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import add_force, day, shown
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``stats`` (alias ``report``) to the command line."""
    from crmdesk.services.statistics import REPORTS
    from crmdesk.services.statistics.periods import BUCKETS, PERIOD_KINDS

    parser = commands.add_parser("stats", aliases=["report"],
                                 help=_("the manager's statistics for a period"))
    parser.add_argument("name", choices=list(REPORTS), metavar="NAME",
                        help=_("one of: {names}").format(names=", ".join(REPORTS)))
    parser.add_argument("--period", choices=PERIOD_KINDS, default="month",
                        help=_("the period around --date (default month)"))
    parser.add_argument("--date", metavar="D", type=day,
                        help=_("a day of the period (default today)"))
    parser.add_argument("--from", dest="start", metavar="D", type=day,
                        help=_("first day of a range"))
    parser.add_argument("--to", dest="end", metavar="D", type=day, help=_("last day of a range"))
    parser.add_argument("--by", choices=BUCKETS, help=_("group the rows by"))
    parser.add_argument("--owner", metavar="NAME", help=_("only this salesperson"))
    parser.add_argument("--json", action="store_true", help=_(
        "print the report as JSON: each number with what it counts (report, figure, group), "
        "not the ids behind it; click the number in the window to list them"))
    parser.add_argument("-o", "--output", metavar="FILE", help=_("write F.pdf or F.xlsx"))
    add_force(parser)
    parser.set_defaults(handler=run_stats)
    upkeep = commands.add_parser("summaries", help=_(
        "check the statistics' summary rows against the records, or work them out again"))
    actions = upkeep.add_subparsers(dest="summaries_command", required=True, metavar="ACTION")
    actions.add_parser("check", help=_("list the summaries that differ (exit 1 if any)")
                       ).set_defaults(handler=run_summaries_check)
    actions.add_parser("rebuild", help=_("work every summary out again from the records")
                       ).set_defaults(handler=run_summaries_rebuild)


def period_from(args: argparse.Namespace) -> object:
    """The period the options name."""
    from crmdesk.services.statistics.periods import Period, period_of

    start, end = args.start, args.end
    if start or end:
        if args.date:
            raise UsageError(_("give --date, or --from and --to, not both"))
        if not (start and end):
            raise UsageError(_("give both --from and --to"))
        if end < start:
            raise UsageError(_("--to comes before --from"))
        return Period(start, end)
    return period_of(args.period, args.date or dt.date.today())


def run_stats(args: argparse.Namespace) -> int:
    """Make the report; print it, or write it as PDF or workbook."""
    from crmdesk.services import statistics
    from crmdesk.services.staff import find_staff

    actor = actor_from(args)
    staff_id = None
    if args.owner:
        staff = find_staff(args.owner)
        if staff is None:
            raise UsageError(_("no member of staff called {name}").format(
                name=shown(args.owner)))
        staff_id = staff.id
    target = None
    if args.output:
        from crmdesk.output_files import check_output

        if Path(args.output).suffix.lower() not in (".pdf", ".xlsx"):
            raise UsageError(_("-o: the file must end in .pdf or .xlsx"))
        target = check_output(args.output, replace=args.force)
    report = statistics.run(args.name, period_from(args), actor, args.by, staff_id)
    if target is not None:
        from crmdesk.services.statistics.documents import write_report

        write_report(report, target, actor)
        print(_("Written: {path}").format(path=target))
    elif args.json:
        print_json(report.plain())
    else:
        _print_text(report)
    return 0


def _print_text(report: object) -> None:
    print(f"{report.title}  {report.period.text()}  {report.scope}")  # type: ignore[attr-defined]
    for section in report.sections:  # type: ignore[attr-defined]
        print()
        print(section.title)
        print("\t".join(section.columns))
        for row in section.rows:
            print("\t".join(f.text() for f in row))


def run_summaries_check(args: argparse.Namespace) -> int:
    """Print the summaries that differ from the records; exit 1 if any does."""
    from crmdesk.services.statistics.upkeep import check_summaries

    problems = check_summaries(actor_from(args))
    for line in problems:
        print(line)
    if not problems:
        print(_("The statistics' summaries agree with the records."))
    return 1 if problems else 0


def run_summaries_rebuild(args: argparse.Namespace) -> int:
    """Work the summaries out again from the records."""
    from crmdesk.services.statistics.upkeep import rebuild_summaries

    rebuild_summaries(actor_from(args))
    print(_("The statistics' summaries were worked out again from the records."))
    return 0
