"""``crmdesk audit``: verify the sealed audit trail and read it."""
from __future__ import annotations

import argparse

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.commands.arguments import LIMIT_MAX, bounded_int, day, shown
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("audit", help=_("verify or list the audit trail"))
    actions = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help=_("check that no entry was edited, deleted or "
                                                 "reordered"))
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--anchor", action="append", default=[], metavar="#SEQ:SEAL",
                        type=_anchor, help=_("an anchor of the trail typed from paper (the "
                                             "footer of a printed register); may repeat"))
    verify.set_defaults(handler=run_verify)
    listing = actions.add_parser("list", help=_("list entries, newest first"))
    listing.add_argument("--person", help=_("who acted"))
    listing.add_argument("--customer", metavar="NO", help=_("archive number"))
    listing.add_argument("--action")
    listing.add_argument("--from", dest="start", type=day, metavar="DATE")
    listing.add_argument("--to", dest="end", type=day, metavar="DATE")
    listing.add_argument("--limit", type=bounded_int("--limit", 0, LIMIT_MAX), default=100)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)


def _anchor(text: str) -> object:
    from crmdesk.services.audit_anchors import typed

    try:
        return typed(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not an anchor: {text} (write it as #SEQ:SEAL, e.g. "
                                           "#1234:9f86d081884c7d65)").format(text=shown(text[:40]))
                                         ) from None


def run_verify(args: argparse.Namespace) -> int:
    from crmdesk.services.audit import verify

    problems = verify(args.anchor)
    if args.json:
        print_json([{"seq": p.seq, "problem": p.reason, "anchor": p.source} for p in problems])
    elif problems:
        for problem in problems:
            line = _("entry {seq}: {reason}").format(seq=problem.seq, reason=_(problem.reason))
            print(line + (_(" (anchor: {source})").format(source=problem.source)
                          if problem.source else ""))
    else:
        print(_("The audit trail is intact."))
    return 1 if problems else 0


def run_list(args: argparse.Namespace) -> int:
    from crmdesk.services.audit import AuditFilter, entries

    rows = entries(actor_from(args), AuditFilter(args.person, args.customer, args.action,
                                                 args.start, args.end), limit=args.limit)
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['seq']}\t{row['at']}\t{row['person']}\t{row['action']}\t"
                  f"{row['archive_no'] or ''}\t{row['details']}")
    return 0
