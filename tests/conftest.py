"""Shared fixtures: every test builds its own temporary archive file."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crmdesk import i18n
from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services.context import Actor
from tests.backends import PostgresqlServer, postgresql_server_url

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    # Tests never act on the archive, account or data folder a developer has configured.
    for name in ("CRMDESK_DATABASE_URL", "CRMDESK_DATA_DIR", "CRMDESK_USER", "CRMDESK_PASSWORD",
                 "CRMDESK_DESK_PASSWORD"):
        os.environ.pop(name, None)
    scratch = tempfile.mkdtemp(prefix="crmdesk-tests-")
    os.environ["XDG_DATA_HOME"] = os.path.join(scratch, "data")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(scratch, "config")
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about the embedded SQLite file (runs on SQLite only)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on an archive runs on each backend the machine offers."""
    if "backend" not in metafunc.fixturenames:
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
    offered = [b for b in BACKENDS if b == "sqlite" or postgresql_server_url()]
    metafunc.parametrize("backend", ["sqlite"] if only_sqlite else offered, indirect=True,
                         scope="function")


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresqlServer | None]:
    """The PostgreSQL test server, when CRMDESK_TEST_DATABASE_URL names one."""
    url = postgresql_server_url()
    if url is None:
        yield None
        return
    server = PostgresqlServer(url)
    yield server
    server.close()


@pytest.fixture
def pg_server(postgresql_server: PostgresqlServer | None) -> PostgresqlServer:
    """The PostgreSQL test server, for tests about PostgreSQL alone; they are skipped on a
    machine that names none (CI always does)."""
    if postgresql_server is None:
        pytest.skip("needs a PostgreSQL test server (CRMDESK_TEST_DATABASE_URL)")
    return postgresql_server


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The archive backend of this run of the test: "sqlite" or "postgresql"."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """Tests run in the shipped language, Simplified Chinese, unless they switch."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def archive(tmp_path: Path, backend: str,
            postgresql_server: PostgresqlServer | None) -> Iterator[Path | str]:
    """A new, empty archive, open for the test.

    Yields the SQLite file's path, or on PostgreSQL the URL of a database of the test's own.
    """
    if backend == "sqlite":
        path = tmp_path / "archive.sqlite3"
        open_database(path)
        yield path
        close_database()
        return
    assert postgresql_server is not None
    url = postgresql_server.new_archive()
    open_database(url=url)
    yield url
    close_database()
    postgresql_server.drop(url)


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

    from crmdesk.services import accounts, key_slots

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=256,
                                                            parallelism=1))
    # The archive key's slots are sealed at the same tiny cost (services.key_slots).
    monkeypatch.setattr(key_slots, "KDF_COST", {"time_cost": 1, "memory_cost": 256,
                                                "parallelism": 1})
