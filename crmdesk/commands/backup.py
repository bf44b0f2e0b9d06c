"""``crmdesk backup``, ``crmdesk restore FILE`` and ``crmdesk check``."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.commands import actor_from, password_for, user_name
from crmdesk.i18n import _

if TYPE_CHECKING:
    from crmdesk.services.backup_results import RestoreResult


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
    # Into an empty PostgreSQL database --user names an administrator or manager of the backup.
    restore.set_defaults(handler=run_restore, recover=recover_restore, user_may_be_in_backup=True)
    check = commands.add_parser(
        "check", help=_("check the archive for damage and broken links (exit 1 on a problem)"))
    check.set_defaults(handler=run_check, recover=recover_check)


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
    """Restore ``FILE`` once it is verified; the archive as it was is kept in backups/.

    On PostgreSQL the backup goes into the open database only while it is empty, and --user
    with its password is checked against the accounts in the backup.
    """
    from crmdesk.models.cipher import is_encrypted_file
    from crmdesk.services import backup
    from crmdesk.services.encryption import is_encrypted

    actor = actor_from(args)
    login = None
    name = user_name(args)
    # An encrypted backup opens with a password valid in it; an encrypted archive seals its
    # key anew for the person restoring.
    keys = not backup.on_postgresql() and (is_encrypted() or is_encrypted_file(args.file))
    if name and ((actor is None and backup.on_postgresql()) or keys):
        login = backup.Login(name, os.environ.get("CRMDESK_BACKUP_PASSWORD")
                             or getattr(args, "typed_password", None) or password_for(name))
    result = backup.restore(actor, args.file, login=login)
    _say_restored(result, _("Restored from {source} into the empty database."),
                  _("Restored from {source}. The archive as it was is kept in {kept}."))
    return 0


def recover_restore(args: argparse.Namespace) -> int:
    """Restore over an archive file that cannot be opened (damaged or missing), logging in
    against the backup's own accounts."""
    from crmdesk import paths
    from crmdesk.services import recovery
    from crmdesk.services.restore_login import Login

    name = user_name(args)
    login = Login(name, password_for(name)) if name else None
    archive = paths.archive_path(paths.data_dir(args.data_dir))
    result = recovery.restore_file(archive, args.file, login)
    _say_restored(result, _("Restored from {source}."),
                  _("Restored from {source}. The damaged archive is kept in {kept}."))
    return 0


def _say_restored(result: RestoreResult, nothing_kept: str, kept: str) -> None:
    """Where the backup came from, where the old archive went, what was destroyed again."""
    from crmdesk.services.destroyed import destroyed_again_text

    if result.kept is None:
        print(nothing_kept.format(source=result.source))
    else:
        print(kept.format(source=result.source, kept=result.kept))
    if result.destroyed_again:
        print(destroyed_again_text(result.destroyed_again))
    if result.waiting:
        print(_("These accounts open the encrypted archive again after their next login at a "
                "desk where it is open, or once an administrator sets their password: "
                "{names}").format(names=", ".join(result.waiting)))


def recover_check(args: argparse.Namespace) -> int:
    """Check an archive file that cannot be opened, reading it as it is."""
    from crmdesk import paths
    from crmdesk.services import recovery

    problems = recovery.check_file(paths.archive_path(paths.data_dir(args.data_dir)))
    return _report(problems)


def _report(problems: list[str]) -> int:
    if not problems:
        print(_("The archive is intact: no damage, no broken links."))
        return 0
    print(_("The archive has problems:"))
    for problem in problems:
        print(f"  {problem}")
    return 1


def run_check(args: argparse.Namespace) -> int:
    """Print what is wrong with the archive; exit code 1 when anything is."""
    from crmdesk.services import backup

    return _report(backup.check())
