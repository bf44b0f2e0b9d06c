"""``crmdesk destroy`` and ``crmdesk review``: destroying archives by the rules."""
from __future__ import annotations

import argparse
import dataclasses

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    destroy = commands.add_parser("destroy", help=_("destroy an archive for good, with a reason"))
    destroy.add_argument("archive_no", metavar="NO")
    destroy.add_argument("--reason", required=True)
    destroy.add_argument("--json", action="store_true")
    destroy.set_defaults(handler=run_destroy)
    review = commands.add_parser("review", help=_("archives with no contact for the retention "
                                                  "period"))
    review.add_argument("--json", action="store_true")
    review.set_defaults(handler=run_review)


def run_destroy(args: argparse.Namespace) -> int:
    from crmdesk.services.ownership import customer_id_of
    from crmdesk.services.retention import destroy

    number = destroy(actor_from(args), customer_id_of(args.archive_no), args.reason)
    if args.json:
        print_json({"destroyed": 1})
    else:
        print(_("Archive {no} destroyed.").format(no=number))
    return 0


def run_review(args: argparse.Namespace) -> int:
    from crmdesk.services.retention import due_for_review

    rows = due_for_review(actor_from(args))
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.archive_no}\t{r.name}\t{r.last_contact or ''}\t{r.registered}")
    return 0
