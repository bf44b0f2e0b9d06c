"""A shared PostgreSQL database as an office has it: owned by a role that is no superuser.

``owned_database`` makes an empty database owned by a new owner role (LOGIN CREATEROLE, no
superuser), names a desk role for ``crmdesk db init`` to create, and drops all three afterwards.
Role names carry the process id, as roles belong to the whole test server.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from tests.backends import PostgresqlServer

_numbers = itertools.count(1)


def as_role(url: str, role: str) -> str:
    """``url`` connecting as ``role`` (no password: the test server trusts local sockets)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class SharedDatabase:
    """An empty database, its owner's and its desks' addresses."""

    admin_url: str
    owner: str
    desk_role: str

    @property
    def owner_url(self) -> str:
        return as_role(self.admin_url, self.owner)

    @property
    def desk_url(self) -> str:
        return as_role(self.admin_url, self.desk_role)

    @property
    def name(self) -> str:
        return urlsplit(self.admin_url).path.lstrip("/")

    def execute(self, sql: str, role: str | None = None) -> list[tuple]:
        """Run ``sql`` in this database as ``role`` (default: the server's administrator)."""
        import psycopg2

        conn = psycopg2.connect(as_role(self.admin_url, role) if role else self.admin_url)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()


@contextmanager
def owned_database(server: PostgresqlServer) -> Iterator[SharedDatabase]:
    """A new empty database owned by a role of its own; dropped, with its roles, afterwards."""
    suffix = f"{os.getpid()}_{next(_numbers)}"
    owner, desk = f"crmdesk_test_owner_{suffix}", f"crmdesk_test_desk_{suffix}"
    url = server.empty_database()
    shared = SharedDatabase(url, owner, desk)
    shared.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")
    shared.execute(f'ALTER DATABASE "{shared.name}" OWNER TO {owner}')
    try:
        yield shared
    finally:
        server.drop(url)
        cluster = SharedDatabase(server.url, owner, desk)
        for role in (desk, owner):
            cluster.execute(f"DROP ROLE IF EXISTS {role}")
