"""``crmdesk fields``: the office's own card fields listed, or one removed by a manager or
administrator (``--force`` when cards hold values of it; they stay in the audit trail)."""
from __future__ import annotations

import argparse
import sys

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.i18n import _, ngettext


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``fields list`` and ``fields remove`` to the command line."""
    parser = commands.add_parser("fields", help=_("the office's own card fields"))
    actions = parser.add_subparsers(dest="fields_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("list the office's fields and the cards "
                                                "holding values of each"))
    listing.set_defaults(handler=list_fields)
    listing.add_argument("--json", action="store_true")
    removing = actions.add_parser("remove", help=_(
        "remove a field (managers and administrators); its values stay in the audit trail"))
    removing.add_argument("key", help=_("the field's key"))
    removing.add_argument("--force", action="store_true", help=_(
        "remove it even though cards hold values of it"))
    removing.set_defaults(handler=remove)


def list_fields(args: argparse.Namespace) -> int:
    """Print each office field: key, label, kind, group, shown, how many cards hold a value."""
    from crmdesk.services.office_fields import fields_of_office, values_held

    rows = [{"key": f.key, "label": f.label, "kind": f.kind.key, "group": f.group,
             "need": f.need.value, "shown": not f.hidden, "values": values_held(f.id)}
            for f in fields_of_office()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print("\t".join(str(row[k]) for k in ("key", "label", "kind", "group", "values")))
    return 0


def remove(args: argparse.Namespace) -> int:
    """Remove the field as the logged-in manager or administrator; without ``--force`` only
    when no card holds a value of it."""
    from crmdesk.services.office_fields import FieldHoldsValues, remove_field

    try:
        removed = remove_field(args.key, actor_from(args), confirmed=args.force)
    except FieldHoldsValues as held:
        print(f"crmdesk: {held}", file=sys.stderr)
        print("  " + _("Run again with --force to remove it."), file=sys.stderr)
        return 1
    print(ngettext("Field {key} removed; {n} value kept in the audit trail.",
                   "Field {key} removed; {n} values kept in the audit trail.", removed).format(
        key=args.key, n=removed))
    return 0
