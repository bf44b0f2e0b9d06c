"""``crmdesk watch``: changes made at any desk, printed as they happen (one line each).

For a reception wall screen or an integration: ``--json`` prints one JSON object a line. Only
what the logged-in user may see is printed. Ctrl-C or SIGTERM ends it cleanly (exit 0).
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from crmdesk.commands import actor_from
from crmdesk.commands.arguments import bounded_float
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    from crmdesk.models.live import CHANGE_KINDS

    parser = commands.add_parser("watch", help=_("print changes made at any desk as they happen"))
    parser.add_argument("--kinds", metavar="KIND,…", type=_kinds(CHANGE_KINDS),
                        help=_("only these kinds: {kinds}").format(kinds=",".join(CHANGE_KINDS)))
    parser.add_argument("--interval", type=bounded_float("--interval", 0.1, 60.0), default=0.5,
                        metavar="SECONDS", help=_("how often to look (default 0.5 s)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run_watch)


def _kinds(known: tuple[str, ...]):
    def parse(text: str) -> frozenset[str]:
        chosen = frozenset(k.strip() for k in text.split(",") if k.strip())
        unknown = sorted(chosen - set(known))
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(_("unknown kind: {kinds} (known: {known})").format(
                kinds=",".join(unknown) or "-", known=",".join(known)))
        return chosen

    return parse


class _Stop(Exception):
    """SIGTERM: end as Ctrl-C does."""


def _stop(_signum: int, _frame: object) -> None:
    raise _Stop


def run_watch(args: argparse.Namespace) -> int:
    from crmdesk.services.changes import ChangeFeed, visible_to

    actor = actor_from(args)
    feed = ChangeFeed()
    previous = signal.signal(signal.SIGTERM, _stop)
    print(_("Watching for changes at every desk; Ctrl-C ends."), file=sys.stderr, flush=True)
    try:
        while True:
            for change in visible_to(actor, feed.poll(), args.kinds):
                if args.json:
                    line = json.dumps({"at": change.at.isoformat(timespec="seconds"),
                                       "kind": change.kind,
                                       "archive_nos": list(change.archive_nos)},
                                      ensure_ascii=False)
                else:
                    line = f"{change.at:%H:%M:%S}  {change.kind}  {' '.join(change.archive_nos)}"
                print(line.rstrip(), flush=True)
            time.sleep(args.interval)
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        sys.stdout.flush()
