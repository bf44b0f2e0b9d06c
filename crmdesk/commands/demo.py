"""``crmdesk demo``: fill the archive with realistic demo data."""
from __future__ import annotations

import argparse
import dataclasses
import time

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import ID_MAX, bounded_int
from crmdesk.i18n import _

# A million demo customers take some minutes; more is no demonstration.
MAX_CUSTOMERS = 1_000_000


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help=_("load demo customers, staff and contacts"))
    parser.add_argument("--customers", type=bounded_int("--customers", 0, MAX_CUSTOMERS),
                        default=1000, metavar="N", help=_("how many customers (default 1000)"))
    parser.add_argument("--seed", type=bounded_int("--seed", 0, ID_MAX), default=1, metavar="S",
                        help=_("random seed"))
    parser.add_argument("--password", metavar="P",
                        help=_("give the demo logins admin, manager, sales and frontdesk this "
                               "password"))
    parser.add_argument("--json", action="store_true", help=_("print counts as JSON"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crmdesk.services.demo import build_demo, set_demo_passwords

    started = time.perf_counter()
    actor = actor_from(args)
    counts = build_demo(args.customers, seed=args.seed, actor=actor)
    logins = set_demo_passwords(args.password, actor) if args.password else ()
    if args.json:
        print_json(dataclasses.asdict(counts))
    else:
        print(_("Demo data loaded in {s:.1f} s: {c} customers, {m} contacts, {st} staff.").format(
            s=time.perf_counter() - started, c=counts.customers, m=counts.communications,
            st=counts.staff))
        if logins:
            print(_("Log in as {names} with the password given.").format(
                names=", ".join(logins)))
    return 0
