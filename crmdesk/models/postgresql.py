"""The shared archive on a PostgreSQL server: the connection, its failures told in plain words.

A desk is opened with a libpq URL (``postgresql://user@server/crmdesk?sslmode=require``); libpq
itself reads the password from the URL, ``~/.pgpass`` or ``PGPASSFILE``, so a password need
never be typed into a command line. The URL is shown and logged only through ``redacted``.

A connection the server dropped (a restart, a Wi-Fi hiccup) costs the user nothing when it can
be helped: a statement that never reached the server is simply sent again on a new connection;
a read that failed is read again; a transaction that lost its connection before COMMIT was
rolled back by the server, so the user is told nothing was saved (and what was typed stays on
screen); a COMMIT whose answer was lost is reported as unconfirmed. Listeners hear "lost" and
"restored" so the window can show a line while it retries.
"""
from __future__ import annotations

import logging
import re
import time
from urllib.parse import urlsplit

import peewee

from crmdesk.errors import ArchiveConnectionError, ConnectionLostError
from crmdesk.i18n import _
from crmdesk.models.connection_events import tell as _tell

log = logging.getLogger(__name__)

# Waits before each new attempt to reach the server after a dropped connection.
RETRY_DELAYS_S = (0.0, 0.5, 1.0, 2.0, 4.0)
CONNECT_TIMEOUT_S = 10
def redacted(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit for logs, titles and messages."""
    url = re.sub(r"(//[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", url)


def is_postgresql_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _describe(exc: Exception, url: str) -> str:
    """What went wrong connecting to ``url``, in the office's words, with what to do."""
    parts = urlsplit(url)
    host = parts.hostname or _("this computer")
    user = parts.username or _("(your login)")
    dbname = parts.path.lstrip("/") or user
    code = getattr(getattr(exc, "orig", exc), "pgcode", None) or getattr(exc, "pgcode", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = str(exc).lower()
    if code == "28P01" or "password authentication failed" in lowered:
        return _("The server {host} refused the password of the database user {user}. Check "
                 "the password in the connection settings (or in ~/.pgpass).").format(
                     host=host, user=user)
    if "no password supplied" in lowered:
        return _("The server {host} asks for the password of the database user {user}. Enter "
                 "it in the connection settings, or put it in ~/.pgpass.").format(
                     host=host, user=user)
    if "no pg_hba.conf entry" in lowered:
        return _("The server {host} does not accept connections from this computer for the "
                 "database user {user} (pg_hba.conf). Ask whoever runs the server to allow this "
                 "desk, or to require TLS and use sslmode=require.").format(host=host, user=user)
    if "role" in lowered and "does not exist" in lowered:
        return _("The server {host} has no database user {user}. Check the user name in the "
                 "connection settings; crmdesk db init creates the desks' user.").format(
                     host=host, user=user)
    if code == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return _("The server {host} has no database {database}. Check the database name in "
                 "the connection settings.").format(host=host, database=dbname)
    if code == "42501" or "permission denied" in lowered:
        return _("The database user {user} lacks a privilege the desks need ({detail}). Ask "
                 "whoever runs the server to run crmdesk db init again.").format(
                     user=user, detail=text)
    if any(s in lowered for s in ("could not connect", "connection refused", "timeout expired",
                                  "could not translate host name", "no such file or directory",
                                  "server closed the connection", "network is unreachable")):
        return _("The archive server {host} cannot be reached ({detail}). Check that the "
                 "server PC is on and PostgreSQL is running there, and the host and port in the "
                 "connection settings.").format(host=host, detail=text)
    return _("The archive server {host} reported an error: {detail}").format(
        host=host, detail=text)


def _dead(conn: object) -> bool:
    return conn is not None and bool(getattr(conn, "closed", 0))


def _is_read(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in {"SELECT", "WITH", "SHOW", "EXPLAIN"} and "FOR UPDATE" not in sql.upper()


class ArchivePostgresqlDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL reached by a libpq URL, surviving a dropped connection where it safely can."""

    def __init__(self, url: str, **kwargs: object) -> None:
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        super().__init__(url, **kwargs)

    @property
    def url(self) -> str:
        return self.database

    def describe(self, exc: Exception) -> str:
        """A plain-words message for a connection or privilege failure ``exc``."""
        return _describe(exc, self.database)

    def _connect(self):
        try:
            return super()._connect()
        except Exception as exc:  # the driver's own errors, before peewee wraps them
            raise ArchiveConnectionError(self.describe(exc)) from exc

    def _reconnect(self) -> None:
        """A new connection after the old one died; retried with pauses, then given up."""
        _tell("lost")
        last: Exception | None = None
        for delay in RETRY_DELAYS_S:
            time.sleep(delay)
            with self._lock:
                self._state.reset()
            try:
                self.connect()
            except ArchiveConnectionError as exc:
                last = exc
                continue
            log.info("connection to the archive server restored")
            _tell("restored")
            return
        raise ArchiveConnectionError(str(last)) from last

    def _connection_is_dead(self) -> bool:
        return _dead(self._state.conn)

    def begin(self, *args, **kwargs):
        # BEGIN on a dead connection: nothing was sent, so a new connection is safe.
        if self._connection_is_dead():
            self._reconnect()
        try:
            return super().begin(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError):
            if not self._connection_is_dead():
                raise
            self._reconnect()
            return super().begin(*args, **kwargs)

    def execute_sql(self, sql, params=None):
        if not self.in_transaction() and self._connection_is_dead():
            self._reconnect()  # the statement was not sent yet: any statement may go again
        try:
            return super().execute_sql(sql, params)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if not self._connection_is_dead():
                raise
            if self.in_transaction():
                raise ConnectionLostError(_(
                    "The connection to the archive server was lost before the change was "
                    "saved: nothing was saved. What you typed is kept; try again.")) from exc
            if not _is_read(sql):
                raise ConnectionLostError(_(
                    "The connection to the archive server was lost while saving: the change "
                    "may not have been saved. Look at the archive before trying again.")) from exc
            log.warning("connection to the archive server lost; reading again")
            self._reconnect()
            return super().execute_sql(sql, params)

    def commit(self, *args, **kwargs):
        try:
            return super().commit(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if not self._connection_is_dead():
                raise
            raise ConnectionLostError(_(
                "The connection to the archive server was lost while saving: the server could "
                "not confirm the change. Look at the archive before trying again.")) from exc

    def rollback(self, *args, **kwargs):
        # The server rolls back a transaction whose connection died; nothing is left to undo.
        if self._connection_is_dead():
            return None
        return super().rollback(*args, **kwargs)
