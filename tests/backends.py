"""The archive backends the suite runs on: SQLite always, PostgreSQL when a test server is named.

``CRMDESK_TEST_DATABASE_URL`` names a PostgreSQL server the tests may create and drop databases
on (a role with CREATEDB, e.g. ``postgresql://postgres@/postgres?host=/run/pg``). Each test gets
a database of its own, copied from a template built once per run; it is dropped afterwards.
The suite never reads ``CRMDESK_DATABASE_URL``: that is the office's archive, not a test's.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TEST_URL_VARIABLE = "CRMDESK_TEST_DATABASE_URL"
REQUIRE_VARIABLE = "CRMDESK_TEST_REQUIRE_POSTGRESQL"


def postgresql_server_url() -> str | None:
    """The test server's URL, or None when the suite runs on SQLite only."""
    url = os.environ.get(TEST_URL_VARIABLE, "").strip()
    if not url and os.environ.get(REQUIRE_VARIABLE):
        raise RuntimeError(f"{REQUIRE_VARIABLE} is set but {TEST_URL_VARIABLE} names no server")
    return url or None


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (the path part), query and credentials kept."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def as_user(url: str, user: str) -> str:
    """``url`` logging in as ``user`` (with no password)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, parts.fragment))


class PostgresqlServer:
    """Creates a fresh archive database per test from a template made once."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._names = itertools.count(1)
        self._template: str | None = None
        self._prefix = f"crmdesk_test_{os.getpid()}"

    def _admin(self):
        import psycopg2

        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        return conn

    def _execute(self, sql: str) -> None:
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def _build_template(self) -> str:
        from crmdesk.models.db import close_database, open_database

        name = f"{self._prefix}_template"
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}"')
        open_database(url=with_database(self.url, name))
        close_database()
        return name

    def empty_database(self) -> str:
        """A new database with nothing in it; returns its URL."""
        name = f"{self._prefix}_{next(self._names)}"
        self._execute(f'CREATE DATABASE "{name}"')
        return with_database(self.url, name)

    def new_archive(self) -> str:
        """A new database holding a fresh archive (schema and defaults); returns its URL."""
        if self._template is None:
            self._template = self._build_template()
        name = f"{self._prefix}_{next(self._names)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        return with_database(self.url, name)

    def drop(self, url: str) -> None:
        """Drop the database ``url`` names, closing whatever still holds it."""
        name = urlsplit(url).path.lstrip("/")
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self._template is not None:
            self._execute(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')


def location_options(archive: Path | str) -> list[str]:
    """The global command-line options that point crmdesk at a test's archive."""
    if isinstance(archive, Path):
        return ["--data-dir", str(archive.parent)]
    folder = Path(tempfile.gettempdir()) / f"crmdesk-{urlsplit(archive).path.lstrip('/')}"
    return ["--data-dir", str(folder), "--database", archive]


def archive_digest() -> str:
    """A hash of every row of every table of the open archive, to prove nothing was written."""
    from crmdesk.models.db import database

    digest = hashlib.sha256()
    for table in sorted(database.get_tables()):
        rows = database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        digest.update(f"{table}:{sorted(map(repr, rows))}\n".encode())
    return digest.hexdigest()
