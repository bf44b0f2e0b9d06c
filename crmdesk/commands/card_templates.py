"""``crmdesk card-template``: the office's ready-made card (展厅, 电话销售, 单位/大客户),
listed, or another picked by a manager or administrator."""
from __future__ import annotations

import argparse

from crmdesk.cli import print_json
from crmdesk.commands import actor_from
from crmdesk.i18n import _

# Known without opening the archive, for the command line's choices.
TEMPLATE_KEYS = ("showroom", "telesales", "organisation")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``card-template list`` and ``card-template apply`` to the command line."""
    parser = commands.add_parser("card-template", help=_(
        "the office's ready-made card: fields shown and levels"))
    actions = parser.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("list the templates, the office's marked *"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_templates)
    applying = actions.add_parser("apply", help=_(
        "use another template (managers and administrators); no value is deleted"))
    applying.add_argument("key", choices=TEMPLATE_KEYS)
    applying.add_argument("--json", action="store_true")
    applying.set_defaults(handler=apply)


def list_templates(args: argparse.Namespace) -> int:
    """Print each template, the one in use marked."""
    from crmdesk.services.card_templates import current_template, templates

    current = current_template()
    rows = [{"key": t.key, "name": t.label, "about": t.about, "levels": t.level_preset,
             "hidden": sorted(t.hidden), "current": t.key == current} for t in templates()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{'*' if row['current'] else ' '} {row['key']}\t{row['name']}\t{row['about']}")
    return 0


def apply(args: argparse.Namespace) -> int:
    """Apply the template as the logged-in manager or administrator; audited."""
    from crmdesk.services.card_templates import TEMPLATES, apply_template

    result = apply_template(args.key, actor_from(args))
    if args.json:
        print_json({"template": result.template, "hidden": list(result.hidden),
                    "shown": list(result.shown), "levels_created": list(result.levels.created),
                    "levels_deactivated": list(result.levels.deactivated),
                    "recomputed": result.levels.recomputed})
    else:
        print(_("Card template {name} in use: {hidden} fields hidden, {shown} shown again; "
                "{recomputed} follow-ups worked out again.").format(
                    name=TEMPLATES[args.key].label, hidden=len(result.hidden),
                    shown=len(result.shown), recomputed=result.levels.recomputed))
    return 0
