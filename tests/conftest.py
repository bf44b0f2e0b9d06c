"""Shared fixtures: every test builds its own temporary archive file."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crmdesk import i18n
from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services.context import Actor


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """Tests run in the shipped language, Simplified Chinese, unless they switch."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    """A new, empty SQLite archive file, open for the test; yields its path."""
    path = tmp_path / "archive.sqlite3"
    open_database(path)
    yield path
    close_database()


@pytest.fixture
def manager(archive: Path) -> Actor:
    """A manager (who also sells) acting in the archive."""
    staff = Staff.create(name="赵经理", username="manager", roles="manager,sales")
    return Actor.of(staff)


@pytest.fixture
def salesperson(archive: Path) -> Actor:
    """A salesperson acting in the archive."""
    staff = Staff.create(name="王强", username="sales", roles="sales")
    return Actor.of(staff)


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests hash with argon2id at a tiny cost; the shipped cost is checked on its own."""
    from argon2 import PasswordHasher

    from crmdesk.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=256,
                                                            parallelism=1))
