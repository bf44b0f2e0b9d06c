"""``crmdesk backup``, ``crmdesk restore FILE`` and ``crmdesk check``."""
from __future__ import annotations

import argparse
from pathlib import Path

from crmdesk.commands import actor_from
from crmdesk.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``backup``, ``restore`` and ``check`` to the command line."""
    parser = commands.add_parser(
        "backup", help=_("back up the archive (verified; regular backups are rotated)"))
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help=_("write the backup to FILE (not rotated); a folder gets a regular, rotated backup "
               "(default: the data folder's backups/)"))
    parser.set_defaults(handler=run_backup)
    restore = commands.add_parser(
        "restore", help=_("replace the archive with a backup, keeping a copy of it first"))
    restore.add_argument("file", type=Path, metavar="FILE", help=_("the backup to restore"))
    restore.set_defaults(handler=run_restore)
    check = commands.add_parser(
        "check", help=_("check the archive for damage and broken links (exit 1 on a problem)"))
    check.set_defaults(handler=run_check)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


def run_backup(args: argparse.Namespace) -> int:
    """Back up to ``-o FILE`` as it is, or rotated into ``-o FOLDER`` or the data folder."""
    from crmdesk.services import backup

    actor = actor_from(args)
    target: Path | None = args.output
    if target is not None and not target.is_dir():
        result = backup.back_up_to_file(actor, target)
    else:
        result = backup.back_up(actor, target)
    print(_("Backup written and verified: {path} ({mb} MB, {seconds:.1f} s)").format(
        path=result.path, mb=_megabytes(result.size), seconds=result.seconds))
    for path in result.removed:
        print(_("older backup removed by rotation: {name}").format(name=path.name))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore ``FILE`` once it is verified; the archive as it was is kept in backups/."""
    from crmdesk.services import backup

    result = backup.restore(actor_from(args), args.file)
    print(_("Restored from {source}. The archive as it was is kept in {kept}.").format(
        source=result.source, kept=result.kept))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print what is wrong with the archive; exit code 1 when anything is."""
    from crmdesk.services import backup

    problems = backup.check()
    if not problems:
        print(_("The archive is intact: no damage, no broken links."))
        return 0
    print(_("The archive has problems:"))
    for problem in problems:
        print(f"  {problem}")
    return 1
