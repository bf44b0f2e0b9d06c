"""``crmdesk overdue``, ``crmdesk due`` and ``crmdesk levels``: the follow-up lists and the scheme.

``overdue`` runs the very query of the overdue page, so scripts and tests can check it.
"""
from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING

from crmdesk.cli import UsageError, print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int, day, shown
from crmdesk.i18n import _

if TYPE_CHECKING:
    from crmdesk.services.followup import FollowUpFilter, FollowUpRow


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("overdue", help=_("list customers whose follow-up is overdue"))
    _common(parser)
    parser.add_argument("--level", metavar="L", help=_("only this level (its code)"))
    parser.add_argument("--band", metavar="DAYS",
                        help=_("days overdue: 1-3, 4-7, 8-30 or more"))
    parser.add_argument("--source", metavar="KEY", help=_("only customers from this source"))
    parser.add_argument("--limit", type=bounded_int("--limit", 0, LIMIT_MAX), metavar="N",
                        help=_("at most this many rows"))
    parser.set_defaults(handler=run_overdue)

    parser = commands.add_parser("due", help=_("list customers due for follow-up"))
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--today", action="store_true",
                      help=_("due on the --as-of day (default today)"))
    when.add_argument("--week", action="store_true",
                      help=_("due within seven days from the --as-of day"))
    _common(parser)
    parser.set_defaults(handler=run_due)

    parser = commands.add_parser("levels", help=_("list the level scheme"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_levels)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="DATE", type=day,
                        help=_("the day to count from (default today)"))
    parser.add_argument("--owner", metavar="NAME", help=_("only this salesperson's customers"))
    parser.add_argument("--json", action="store_true")


def _filters(args: argparse.Namespace) -> FollowUpFilter:
    from crmdesk.services.followup import Band, FollowUpFilter
    from crmdesk.services.levels import levels
    from crmdesk.services.staff import find_staff

    owner_id = level_id = band = None
    if args.owner:
        staff = find_staff(args.owner)
        if staff is None:
            raise UsageError(_("no member of staff called {name}").format(
                name=shown(args.owner)))
        owner_id = staff.id
    if getattr(args, "level", None):
        level_id = next((lv.id for lv in levels() if lv.code == args.level), None)
        if level_id is None:
            raise UsageError(_("no level with the code {code}").format(code=shown(args.level)))
    if getattr(args, "band", None):
        try:
            band = Band.parse(args.band)
        except ValueError as exc:
            raise UsageError(_("--band takes 1-3, 4-7, 8-30 or more")) from exc
    return FollowUpFilter(owner_id=owner_id, level_id=level_id, band=band,
                          source=getattr(args, "source", None))


def _print_rows(rows: list[FollowUpRow], as_json: bool) -> None:
    if as_json:
        print_json([dataclasses.asdict(row) for row in rows])
        return
    for row in rows:
        last = row.last_contact_at.date().isoformat() if row.last_contact_at else ""
        print("\t".join((row.archive_no, row.name, row.mobile or "", row.level_code,
                         row.owner_name, row.next_follow_up.isoformat(), str(row.days_overdue),
                         last, row.last_method_label, row.last_conclusion or "")))
    print(_("{n} shown").format(n=len(rows)))


def run_overdue(args: argparse.Namespace) -> int:
    from crmdesk.services import followup

    rows = followup.overdue(args.as_of, _filters(args), actor_from(args),
                            limit=args.limit)
    _print_rows(rows, args.json)
    return 0


def run_due(args: argparse.Namespace) -> int:
    from crmdesk.services import followup

    days = 1 if args.today else followup.WEEK_DAYS
    rows = followup.due(args.as_of, days, _filters(args), actor_from(args), limit=None)
    _print_rows(rows, args.json)
    return 0


def run_levels(args: argparse.Namespace) -> int:
    from crmdesk.services.levels import levels

    scheme = levels()
    if args.json:
        print_json([dataclasses.asdict(level) for level in scheme])
        return 0
    for level in scheme:
        days = str(level.interval_days) if level.interval_days is not None else "-"
        print("\t".join((level.code, level.name, days, level.description,
                         "" if level.active else _("inactive"))))
    return 0
