"""``crmdesk import``, ``import-undo``, ``export`` and ``template``: spreadsheets in and out."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crmdesk.cli import UsageError, print_json, print_rows
from crmdesk.commands import actor_from, named_actor
from crmdesk.commands.arguments import ID_MAX, add_force, bounded_int, day, shown
from crmdesk.i18n import _
from crmdesk.services.exports import EXPORTS

DUPLICATE_CHOICES = ("skip", "fill", "overwrite", "create", "new")


def register(commands: argparse._SubParsersAction) -> None:
    importing = commands.add_parser("import", help=_("import customers from .xlsx/.xls/.ods/.csv"))
    importing.add_argument("file", help=_("the spreadsheet to import"))
    importing.add_argument("--sheet", metavar="NAME", help=_("the sheet to read (default: first)"))
    importing.add_argument("--dry-run", action="store_true",
                           help=_("only check the file and show what would happen"))
    importing.add_argument("--on-duplicate", choices=DUPLICATE_CHOICES, default="skip",
                           help=_("what to do with customers already in the archive"))
    importing.add_argument("--owner", metavar="NAME", action="append", default=[],
                           help=_("share new customers among these salespeople (repeatable)"))
    importing.add_argument("--errors", metavar="OUT.xlsx",
                           help=_("write rejected rows with their reasons to this workbook"))
    importing.add_argument("--json", action="store_true")
    add_force(importing)
    importing.set_defaults(handler=run_import)

    undo = commands.add_parser("import-undo", help=_("undo an import while untouched"))
    undo.add_argument("batch", type=bounded_int("BATCH_ID", 1, ID_MAX), metavar="BATCH_ID")
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(handler=run_undo)

    export = commands.add_parser(
        "export", help=_("export customers, visits, communications or the overdue list"))
    export.add_argument("what", nargs="?", choices=EXPORTS, default="customers",
                        help=_("which list to export (default: customers)"))
    export.add_argument("file", nargs="?", metavar="OUT.xlsx",
                        help=_("the file to write (.xlsx or .csv)"))
    export.add_argument("-o", "--output", metavar="FILE",
                        help=_("the file to write (.xlsx or .csv)"))
    export.add_argument("--query", "--filter", default="", metavar="TEXT",
                        help=_("only customers the list's search box finds for TEXT"))
    export.add_argument("--columns", metavar="FIELDS",
                        help=_("comma-separated field names (default: the whole card)"))
    export.add_argument("--from", dest="start", type=day, metavar="DATE",
                        help=_("visits: the first day of the register (default: today)"))
    export.add_argument("--to", dest="end", type=day, metavar="DATE",
                        help=_("visits: the last day of the register (default: today)"))
    export.add_argument("--as-of", type=day, metavar="DATE",
                        help=_("overdue: the day the list is for (default: today)"))
    export.add_argument("--purpose", metavar="TEXT",
                        help=_("ask for the approval an export of 机密 cards or of many "
                               "archives needs, giving why"))
    export.add_argument("--approval", type=bounded_int("--approval", 1, ID_MAX), metavar="ID",
                        help=_("write the export with this approval"))
    export.add_argument("--json", action="store_true")
    add_force(export)
    export.set_defaults(handler=run_export)

    approvals = commands.add_parser("export-approval", help=_(
        "approve or refuse an export someone asked for, or list them"))
    actions = approvals.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, approve, text in (("approve", True, _("let the export be written")),
                                  ("refuse", False, _("refuse the export"))):
        deciding = actions.add_parser(action, help=text)
        deciding.add_argument("id", type=bounded_int("ID", 1, ID_MAX), metavar="ID")
        deciding.set_defaults(handler=run_decide, approve=approve)
    listing = actions.add_parser("list", help=_("approvals: all for managers and "
                                                "administrators, your own otherwise"))
    listing.add_argument("--pending", action="store_true", help=_("only those waiting"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_approvals)

    template = commands.add_parser("template", help=_("write the import template (.xlsx)"))
    template.add_argument("file", nargs="?", metavar="OUT.xlsx",
                          help=_("the file to write (.xlsx)"))
    template.add_argument("-o", "--output", metavar="FILE.xlsx",
                          help=_("the file to write (.xlsx)"))
    add_force(template)
    template.set_defaults(handler=run_template)


def _owner_ids(names: list[str]) -> tuple[int, ...]:
    from crmdesk.services.staff import find_staff

    ids = []
    for name in names:
        staff = find_staff(name)
        if staff is None:
            raise UsageError(_("no member of staff called {name}").format(name=shown(name)))
        ids.append(staff.id)
    return tuple(ids)


def run_import(args: argparse.Namespace) -> int:
    from crmdesk.importers.preview import Policy, RowStatus
    from crmdesk.output_files import check_output
    from crmdesk.services.imports.commit import commit_import
    from crmdesk.services.imports.dry_run import ImportOptions, preview_import
    from crmdesk.services.imports.rejected import write_error_workbook

    actor = actor_from(args)
    if args.errors:
        check_output(args.errors, replace=args.force)  # before anything is imported
    policy = Policy("create" if args.on_duplicate == "new" else args.on_duplicate)
    options = ImportOptions(sheet=args.sheet, policy=policy, owners=_owner_ids(args.owner))
    preview = preview_import(Path(args.file), actor, options)
    counts = preview.counts()
    batch = result = None
    if not args.dry_run and (counts.create or counts.update):
        result = commit_import(preview, actor)
        batch = result.batch_id
    if args.errors and counts.error:
        write_error_workbook(preview, Path(args.errors))
    if args.json:
        print_json({
            "file": preview.file_name, "sheet": preview.sheet, "sha256": preview.sha256,
            "dry_run": args.dry_run, "batch": batch, "earlier_import": preview.earlier_import,
            "written": {"created": result.created, "updated": result.updated} if result else None,
            "counts": {"new": counts.new, "duplicate": counts.duplicate, "error": counts.error,
                       "create": counts.create, "update": counts.update, "skip": counts.skip},
            "rows": [{"row": r.row, "status": r.status.value,
                      "match": str(r.match) if r.match else None,
                      "reasons": [str(p) for p in r.problems]}
                     for r in preview.rows if r.status is not RowStatus.NEW],
        })
    else:
        if preview.earlier_import:
            print(preview.earlier_import)
        for row in preview.error_rows():
            for problem in row.problems:
                print(problem)
        summary = (_("{new} new, {duplicate} duplicates, {error} rejected: {create} would be "
                     "created, {update} updated, {skip} skipped.") if batch is None else
                   _("{new} new, {duplicate} duplicates, {error} rejected: {create} created, "
                     "{update} updated, {skip} skipped."))
        # After a commit: what was written (a duplicate with nothing new to fill is not updated).
        print(summary.format(new=counts.new, duplicate=counts.duplicate, error=counts.error,
                             create=result.created if result else counts.create,
                             update=result.updated if result else counts.update,
                             skip=counts.skip))
        if batch is not None:
            print(_("Import {id} recorded; undo it with: crmdesk import-undo {id}").format(
                id=batch))
    return 1 if counts.error and not args.dry_run else 0


def run_undo(args: argparse.Namespace) -> int:
    from crmdesk.services.imports.undo import undo_import

    result = undo_import(args.batch, actor_from(args))
    if args.json:
        print_json({"batch": result.batch_id, "deleted": result.deleted,
                    "restored": result.restored})
    else:
        print(_("Import {id} undone: {deleted} archives deleted, {restored} restored.").format(
            id=result.batch_id, deleted=result.deleted, restored=result.restored))
    return 0


def _output(args: argparse.Namespace, example: str) -> str:
    """The file to write, named as an argument or with -o (not both differently)."""
    if args.file and args.output and args.file != args.output:
        raise UsageError(_("name the output file once"))
    if not (args.file or args.output):
        raise UsageError(_("name the file to write, e.g. {example}").format(example=example))
    from crmdesk.output_files import check_output

    check_output(args.file or args.output, replace=args.force)
    return args.file or args.output


def run_export(args: argparse.Namespace) -> int:
    from crmdesk.services.exports.export import SUFFIXES, ExportRequest, export
    from crmdesk.services.search import ListQuery

    path = Path(_output(args, "crmdesk export customers out.xlsx"))
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(_("the output must end in .xlsx or .csv"))
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else None
    request = ExportRequest(args.what, ListQuery(text=args.query), columns, args.start,
                            args.end, args.as_of)
    if args.purpose is not None:
        from crmdesk.services.exports.approval import ask

        approval_id = ask(args.what, request.query, args.purpose, named_actor(args))
        print(_("Approval {id} asked for; export again with --approval {id} once another "
                "manager or an administrator gave it.").format(id=approval_id))
        return 0
    try:
        count = export(path, request, actor_from(args), approval_id=args.approval)
    except KeyError as exc:
        raise UsageError(_("no such field: {name}").format(name=shown(str(exc.args[0])))) from exc
    if args.json:
        print_json({"file": str(path), "what": args.what, "rows": count,
                    **({"customers": count} if args.what == "customers" else {})})
    elif args.what == "customers":
        print(_("{n} customers written to {file}.").format(n=count, file=path), file=sys.stdout)
    else:
        print(_("{n} rows written to {file}.").format(n=count, file=path), file=sys.stdout)
    return 0


def run_decide(args: argparse.Namespace) -> int:
    from crmdesk.services.exports.approval import decide

    decide(args.id, args.approve, actor_from(args))
    print(_("Export approval {id} answered.").format(id=args.id))
    return 0


def run_approvals(args: argparse.Namespace) -> int:
    from crmdesk.services.exports.approval import approvals

    actor = named_actor(args)
    rows = approvals(actor, pending_only=args.pending)
    return print_rows(rows, args.json, lambda r: (
        str(r.id), r.requested_by, r.what, str(r.archives), str(r.marked), r.purpose,
        r.requested_at.strftime("%Y-%m-%d %H:%M"), r.state, r.decided_by))


def run_template(args: argparse.Namespace) -> int:
    from crmdesk.services.exports.template import write_import_template

    output = _output(args, "crmdesk template template.xlsx")
    write_import_template(Path(output))
    print(_("Template written to {file}.").format(file=output))
    return 0
