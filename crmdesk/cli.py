"""The command line: ``crmdesk`` starts the window; subcommands work headless.

Global options come before a subcommand: ``crmdesk --data-dir DIR demo --customers 1000``.
Exit codes: 0 success, 1 bad input (one line on stderr), 2 usage.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from peewee import DatabaseError

from crmdesk import __version__, i18n
from crmdesk.errors import ArchiveMissingError, CrmError
from crmdesk.i18n import _


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON (ISO dates, Chinese kept readable)."""
    print(json.dumps(data, ensure_ascii=False, default=_json_default, indent=1))


def print_rows(rows: Sequence[Any], as_json: bool, cells: Callable[[Any], Sequence[str]]) -> int:
    """A list of rows (dataclasses): JSON objects with each row's fields (and its state's label,
    when it has one), or tab-separated lines ending with how many were shown. Returns 0."""
    if as_json:
        print_json([dataclasses.asdict(row) | (
            {"state_label": row.state_label} if hasattr(row, "state_label") else {})
            for row in rows])
        return 0
    for row in rows:
        print("\t".join(cells(row)))
    print(_("{n} shown").format(n=len(rows)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmdesk", description=_("Customer archive system"))
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    _global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from crmdesk.commands import register_all

    register_all(commands)
    return parser


def _window_start(argv: list[str]) -> argparse.Namespace | None:
    """The options of a start of the window (global options only), read without loading every
    command's module; None when ``argv`` holds more (a command, help, a mistake): the whole
    parser reads it then."""
    parser = argparse.ArgumentParser(prog="crmdesk", add_help=False, exit_on_error=False)
    _global_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return None
    return None if rest else args


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help=_("folder holding the archive"))
    parser.add_argument("--database", metavar="URL",
                        help=_("database URL, e.g. postgresql://user:password@host/crmdesk"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("interface language"))
    parser.add_argument("--user", metavar="NAME", help=_("act as this member of staff"))
    parser.add_argument("--debug", action="store_true", help=_("log the SQL that runs"))


def archive_url(args: argparse.Namespace) -> str | None:
    """The database URL the global options or the environment name; None for the data folder's
    SQLite file."""
    return args.database or os.environ.get("CRMDESK_DATABASE_URL") or None


def open_archive(args: argparse.Namespace, url: str | None = None,
                 password: str | None = None) -> None:
    """Open the archive chosen by the global options, or ``url`` (and start the log beside it).

    ``password`` is the database password when it is not in the URL or in ~/.pgpass.
    """
    from crmdesk import paths
    from crmdesk.log import setup_logging
    from crmdesk.models.db import open_database

    folder = paths.data_dir(args.data_dir)
    url = url or archive_url(args)
    if url is None:
        from crmdesk.services.missing_archive import refuse_missing

        refuse_missing(folder)  # before the log folder is made: it is a sign of a past archive
        from crmdesk.services.archive_keys import prepare_new_archive

        prepare_new_archive(paths.archive_path(folder))  # a first start: encrypted from the start
    setup_logging(folder, debug=args.debug)
    open_database(paths.archive_path(folder), url=url, password=password)


def main(argv: Sequence[str] | None = None) -> int:
    """Run crmdesk with ``argv``; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _early_language(argv)
    i18n.set_language(lang)
    args = _window_start(argv)
    try:
        args = args or _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        from crmdesk.ui.app import run_gui

        return run_gui(args)
    try:
        if getattr(args, "opens_archive", True):
            from crmdesk.services.accounts import PasswordsRemovedError
            from crmdesk.services.key_slots import KeyFileError

            try:
                from crmdesk.commands import actor_from, unlock_archive

                unlock_archive(args)
                open_archive(args)
                actor_from(args)
            except (DatabaseError, ArchiveMissingError, PasswordsRemovedError, KeyFileError):
                # check and restore work on an archive that cannot be opened (or logged in to)
                # without opening it: restore checks the person against the backup's accounts.
                recover = getattr(args, "recover", None)
                if recover is None or archive_url(args):
                    raise
                from crmdesk.models.db import close_database

                close_database()
                return recover(args)
        else:
            # Set-up commands connect by themselves (as the database's owner), not as a desk.
            from crmdesk import paths
            from crmdesk.log import setup_logging

            setup_logging(paths.data_dir(args.data_dir), debug=args.debug)
        code = handler(args)
        _show_recovery_key_issued()
        return code
    except UsageError as exc:
        print(f"crmdesk: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The output went to a pager or `head` that stopped reading: not an error.
        sys.stdout = None  # type: ignore[assignment]
        return 0
    except DatabaseError as exc:
        print(f"crmdesk: {database_failure(exc)}", file=sys.stderr)
        return 1
    except CrmError as exc:
        print(f"crmdesk: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        for line in str(exc).splitlines()[1:]:
            print(f"  {line}", file=sys.stderr)
        return 1
    except OSError as exc:
        # A file or folder the checks before the work did not foresee (a disk full, a drive
        # removed meanwhile): one line naming it, never a traceback.
        print(_("crmdesk: cannot use {file}: {reason}").format(
            file=exc.filename or "-", reason=exc.strerror or exc), file=sys.stderr)
        return 1


def _show_recovery_key_issued() -> None:
    """A command that set the first password of an encrypted archive (``demo --password``,
    ``staff add --with-password``) issued its recovery key: shown on stderr, never lost, and
    out of the way of --json output."""
    from crmdesk.services.archive_keys import take_recovery_key

    recovery_key = take_recovery_key()
    if recovery_key:
        print(_("Recovery key of the encrypted archive (print it or write it down, keep it "
                "locked away; it opens the archive when every password is lost): {key}").format(
                    key=recovery_key), file=sys.stderr)


def database_failure(exc: DatabaseError) -> str:
    """What a database error means for the user: a busy archive, a server's refusal, damage."""
    from crmdesk.models.db import database

    describe = getattr(database.obj, "describe", None)
    if describe is not None:
        return describe(exc)
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return _("another desk is saving to the archive and did not finish in time; nothing "
                 "was changed here. Try again in a moment.")
    return _("the archive cannot be read ({error}); run crmdesk check, or restore a "
             "backup").format(error=exc)


def _early_language(argv: list[str]) -> str:
    """The --lang option, read before the parser is built so its help is translated too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in i18n.LANGUAGES:
            return arg.split("=", 1)[1]
    return i18n.DEFAULT_LANGUAGE
