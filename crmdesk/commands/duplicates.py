"""``crmdesk duplicates``, ``not-same``, ``merge``, ``merge-undo`` and ``merges``: finding and
settling second archives of one customer (managers)."""
from __future__ import annotations

import argparse

from crmdesk.cli import UsageError, print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import bounded_int
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("duplicates", help=_("groups of archives that are likely one "
                                                      "customer"))
    parser.add_argument("--min-score", type=bounded_int("--min-score", 1, 100), default=50,
                        metavar="S", help=_("leave out pairs scoring less (1-100, default 50)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_duplicates)

    parser = commands.add_parser("not-same", help=_("mark two archives as different people"))
    parser.add_argument("numbers", nargs=2, metavar="NO")
    parser.add_argument("--reason", default="", metavar="TEXT")
    parser.set_defaults(handler=run_not_same)

    parser = commands.add_parser("merge", help=_("merge two archives of one customer"))
    parser.add_argument("numbers", nargs=2, metavar="NO")
    parser.add_argument("--keep", metavar="NO", help=_("the archive that stays (default: the "
                                                       "one registered first)"))
    parser.add_argument("--take", action="append", default=[], metavar="FIELD=NO",
                        help=_("keep this field's value from archive NO"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_merge)

    parser = commands.add_parser("merge-undo", help=_("take a merge back"))
    parser.add_argument("merge_id", type=bounded_int("ID", 1, 2**31 - 1), metavar="ID")
    parser.set_defaults(handler=run_merge_undo)

    parser = commands.add_parser("merges", help=_("the history of merges"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_merges)


def run_duplicates(args: argparse.Namespace) -> int:
    from crmdesk.services.duplicate_scan import scan

    groups = scan(actor_from(args), args.min_score)
    if args.json:
        print_json([{"score": g.score, "keys": list(g.reasons),
                     "archives": [{"archive_no": m.archive_no, "name": m.name}
                                  for m in g.members],
                     "pairs": [{"score": p.score, "keys": list(p.reasons),
                                "archives": [_number(g, p.first_id), _number(g, p.second_id)]}
                               for p in g.pairs]} for g in groups])
        return 0
    for g in groups:
        archives = "  ".join(f"{m.archive_no} {m.name}" for m in g.members)
        print(f"{g.score}\t{g.why}\t{archives}")
    return 0


def _number(group: object, customer_id: int) -> str:
    return next(m.archive_no for m in group.members if m.customer_id == customer_id)


def run_not_same(args: argparse.Namespace) -> int:
    from crmdesk.services.duplicate_scan import mark_not_same
    from crmdesk.services.ownership import customer_id_of

    first, second = (customer_id_of(n) for n in args.numbers)
    mark_not_same(first, second, actor_from(args), args.reason)
    print(_("Marked {a} and {b} as different people.").format(a=args.numbers[0].upper(),
                                                              b=args.numbers[1].upper()))
    return 0


def _takes(pairs: list[str], numbers: dict[str, int]) -> dict[str, int]:
    """``--take FIELD=NO`` options as field -> archive id."""
    takes = {}
    for pair in pairs:
        field, sep, number = pair.partition("=")
        if not sep or number.strip().upper() not in numbers:
            raise UsageError(_("--take wants FIELD=NO with NO one of the two archives: "
                               "{value}").format(value=pair))
        takes[field.strip()] = numbers[number.strip().upper()]
    return takes


def run_merge(args: argparse.Namespace) -> int:
    from crmdesk.services.merges import merge, survivor
    from crmdesk.services.ownership import customer_id_of

    numbers = {n.strip().upper(): customer_id_of(n) for n in args.numbers}
    if len(numbers) != 2:
        raise UsageError(_("name two different archives"))
    if args.keep and args.keep.strip().upper() not in numbers:
        raise UsageError(_("--keep must be one of the two archives"))
    ids = list(numbers.values())
    kept = numbers[args.keep.strip().upper()] if args.keep else survivor(*ids)
    other = next(i for i in ids if i != kept)
    actor = actor_from(args)
    merge_id = merge(kept, other, actor, _takes(args.take, numbers))
    kept_no = next(n for n, i in numbers.items() if i == kept)
    other_no = next(n for n, i in numbers.items() if i == other)
    if args.json:
        print_json({"merge": merge_id, "kept": kept_no, "merged": other_no})
    else:
        print(_("Merged {other} into {kept} (merge {id}; undo with crmdesk merge-undo {id}).")
              .format(other=other_no, kept=kept_no, id=merge_id))
    return 0


def run_merge_undo(args: argparse.Namespace) -> int:
    from crmdesk.services.merges import undo_merge

    undo_merge(args.merge_id, actor_from(args))
    print(_("Merge {id} undone: both archives are back.").format(id=args.merge_id))
    return 0


def run_merges(args: argparse.Namespace) -> int:
    import dataclasses

    from crmdesk.services.merges import merge_history

    rows = merge_history(actor_from(args))
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        undone = _("undone {at}").format(at=r.undone_at.strftime("%Y-%m-%d %H:%M")) \
            if r.undone_at else ""
        print(f"{r.id}\t{r.at:%Y-%m-%d %H:%M}\t{r.by}\t{r.merged_no} -> {r.kept_no}\t{undone}")
    return 0
