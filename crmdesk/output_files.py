"""Files a person names for crmdesk to write (exports, templates, reports): checked before any
work is done, and every failure to write turned into a message that names the file.

A folder given where a file belongs, a folder that does not exist, a name longer than the
file system allows, a disk that is full: each is an error the user caused or can remedy, so
each becomes an ``OutputFileError`` (a CrmError) rather than an OSError.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crmdesk.errors import CrmError
from crmdesk.i18n import _

# POSIX and Windows file systems allow names of at most 255 bytes (UTF-8) / characters.
NAME_MAX_BYTES = 255
SHOWN_MAX = 120


class OutputFileError(CrmError):
    """A file cannot be written where the user asked."""


def shown_path(path: Path | str) -> str:
    """``path`` as a one-line message shows it: controls escaped, a huge name cut short."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(path))
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX // 2] + "…" + text[-40:]


def check_output(path: Path | str, replace: bool = True) -> Path:
    """``path`` as a Path, once it can be a new file: refused when it is a folder, something
    other than a plain file (a device, a pipe), an existing file unless ``replace`` (the window
    asked already; the command line needs --force), its folder is missing, or its name is
    impossible.

    Raises:
        OutputFileError: the message names the file and what is wrong.
    """
    path = Path(path)
    name = shown_path(path)
    if "\x00" in str(path) or not path.name:
        raise OutputFileError(_("cannot write {path}: not a file name").format(path=name))
    if len(os.fsencode(path.name)) > NAME_MAX_BYTES:
        raise OutputFileError(_("cannot write {path}: the file name is longer than {n} bytes")
                              .format(path=name, n=NAME_MAX_BYTES))
    try:
        if path.is_dir():
            raise OutputFileError(_("cannot write {path}: it is a folder; name a file in it")
                                  .format(path=name))
        if not path.parent.is_dir():
            raise OutputFileError(_("cannot write {path}: no such folder").format(path=name))
        if os.path.lexists(path) and not path.is_file():
            raise OutputFileError(_("cannot write {path}: it is not a plain file").format(
                path=name))
        if path.exists() and not replace:
            raise OutputFileError(_("cannot write {path}: the file exists; add --force to "
                                    "replace it").format(path=name))
    except OSError as exc:
        raise OutputFileError(_("cannot write {path}: {reason}").format(
            path=name, reason=exc.strerror or exc)) from exc
    return path


@contextmanager
def writing(path: Path | str, *errors: type[BaseException]) -> Iterator[None]:
    """Turn an OSError (and the writer's own ``errors``, such as xlsxwriter's
    FileCreateError) raised while writing ``path`` into an OutputFileError."""
    try:
        yield
    except (OSError, *errors) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OutputFileError(_("cannot write {path}: {reason}").format(
            path=shown_path(path), reason=reason)) from exc


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path``, or raise OutputFileError."""
    with writing(path):
        Path(path).write_bytes(data)
