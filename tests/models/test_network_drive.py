"""A drive letter mapped to a network share is refused like a UNC path; local drives are not."""
from __future__ import annotations

from pathlib import Path

import pytest

from crmdesk import i18n, paths
from crmdesk.errors import ArchiveLocationError
from crmdesk.models.db import check_local_file

DRIVE_FIXED = 3


@pytest.fixture
def drives(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Windows' drive table as this test sets it: Z: mapped to a share, C: a local disk."""
    table = {"Z:\\": paths.DRIVE_REMOTE, "C:\\": DRIVE_FIXED}
    monkeypatch.setattr(paths, "windows_drive_type", lambda root: table.get(root.upper()))
    monkeypatch.setattr("crmdesk.models.db._mount_type", lambda path: None)
    return table


@pytest.mark.parametrize("text", ["Z:\\crm\\archive.sqlite3", "z:/crm/archive.sqlite3",
                                  "\\\\fileserver\\crm\\archive.sqlite3",
                                  "//fileserver/crm/archive.sqlite3"])
def test_a_mapped_drive_letter_is_a_network_share_like_a_unc_path(drives, text):
    i18n.set_language("en")
    assert paths.on_network_share(Path(text))
    with pytest.raises(ArchiveLocationError, match="network share"):
        check_local_file(Path(text))


@pytest.mark.parametrize("text", ["C:\\crm\\archive.sqlite3", "/home/desk/archive.sqlite3",
                                  "archive.sqlite3"])
def test_a_local_drive_is_no_network_share(drives, text):
    assert not paths.on_network_share(Path(text))
    check_local_file(Path(text))


def test_drive_types_are_only_asked_on_windows(monkeypatch):
    monkeypatch.setattr(paths.os, "name", "posix")
    assert paths.windows_drive_type("Z:\\") is None
