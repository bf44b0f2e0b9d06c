"""Running PostgreSQL's client programs (pg_dump, pg_restore) against the open archive.

The programs are looked for on PATH, then in the folders PostgreSQL's installers use (Debian's
/usr/lib/postgresql/<version>/bin, the Windows installer's Program Files\\PostgreSQL\\<version>\\bin
and a few more), newest version first: pg_dump refuses a server newer than itself.

They reach the same database as the desk's own connection, told through libpq's environment
variables (PGHOST, PGUSER, PGPASSWORD, PGSSLMODE ...), so the password never appears on a command
line, where every user of the computer can read it; it is also blanked out of anything the
programs print before that is shown or logged.
"""
from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import peewee

from crmdesk.i18n import _
from crmdesk.services.backup_results import BackupError

log = logging.getLogger(__name__)

# Where PostgreSQL's installers put the client programs, one folder per version.
TOOL_FOLDERS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
    os.path.join(os.environ.get("ProgramFiles", r"C:\Program Files"), "PostgreSQL", "*", "bin"),
)

# libpq's connection keywords and the environment variables that carry them.
_VARIABLES = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE",
    "user": "PGUSER", "password": "PGPASSWORD", "passfile": "PGPASSFILE",
    "service": "PGSERVICE", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "client_encoding": "PGCLIENTENCODING", "connect_timeout": "PGCONNECT_TIMEOUT",
    "channel_binding": "PGCHANNELBINDING", "require_auth": "PGREQUIREAUTH",
    "sslmode": "PGSSLMODE", "requiressl": "PGREQUIRESSL", "sslnegotiation": "PGSSLNEGOTIATION",
    "sslcompression": "PGSSLCOMPRESSION", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "sslcertmode": "PGSSLCERTMODE", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL",
    "sslcrldir": "PGSSLCRLDIR", "sslsni": "PGSSLSNI", "requirepeer": "PGREQUIREPEER",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION", "gssencmode": "PGGSSENCMODE",
    "krbsrvname": "PGKRBSRVNAME", "gsslib": "PGGSSLIB", "gssdelegation": "PGGSSDELEGATION",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "load_balance_hosts": "PGLOADBALANCEHOSTS",
}
# Keywords with no variable that are secret: never put on a command line.
_SECRET_KEYWORDS = {"password", "sslpassword"}
# What psycopg2 takes besides libpq keywords.
_DRIVER_ONLY = {"connection_factory", "cursor_factory", "async", "async_"}


@dataclass(frozen=True)
class Connection:
    """How a client program reaches the archive's database.

    ``variables`` go into the program's environment (the password among them); ``conninfo`` is
    its ``--dbname``: the database name and the few keywords libpq has no variable for, never
    a secret. ``secrets`` are blanked out of whatever the program prints.
    """

    variables: dict[str, str]
    conninfo: str
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def scrub(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def connection_keywords(db: peewee.PostgresqlDatabase) -> dict[str, str]:
    """The libpq keywords the desk's own connection uses (URL or name, then its parameters)."""
    from psycopg2.extensions import parse_dsn

    keywords: dict[str, str] = {}
    name = str(db.database or "")
    if "://" in name or "=" in name:
        keywords.update(parse_dsn(name))
    elif name:
        keywords["dbname"] = name
    for key, value in db.connect_params.items():
        if key in _DRIVER_ONLY or value is None:
            continue
        keywords["dbname" if key == "database" else key] = str(value)
    return keywords


def connection_of(db: peewee.PostgresqlDatabase) -> Connection:
    """How pg_dump and pg_restore reach the database ``db`` is connected to."""
    keywords = connection_keywords(db)
    variables = {_VARIABLES[key]: value for key, value in keywords.items() if key in _VARIABLES}
    extra = {key: value for key, value in keywords.items()
             if key not in _VARIABLES and key not in _SECRET_KEYWORDS}
    for key in (keywords.keys() & _SECRET_KEYWORDS) - _VARIABLES.keys():
        log.warning("the connection setting %s cannot be given to pg_dump safely; left out", key)
    conninfo = " ".join(f"{key}={_quoted(value)}" for key, value in
                        {"dbname": keywords.get("dbname", ""), **extra}.items() if value)
    secrets = tuple(value for key, value in keywords.items()
                    if key in _SECRET_KEYWORDS and value)
    return Connection(variables, conninfo, secrets)


def _version(folder: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder))


def find_tool(program: str) -> Path | None:
    """``program`` (pg_dump, pg_restore) on PATH or in PostgreSQL's usual folders; else None."""
    found = shutil.which(program)
    if found:
        return Path(found)
    executable = program + ".exe" if os.name == "nt" else program
    folders = [folder for pattern in TOOL_FOLDERS for folder in glob.glob(pattern)]
    for folder in sorted(folders, key=_version, reverse=True):
        candidate = Path(folder) / executable
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing_message(program: str) -> str:
    """What to install when ``program`` cannot be found."""
    return _("{program} was not found on this computer, so the PostgreSQL archive cannot be "
             "backed up or restored here. Install the PostgreSQL client programs, the same "
             "version as the server or newer (Debian/Ubuntu: apt install postgresql-client; "
             "Windows: the PostgreSQL installer from postgresql.org with its Command Line "
             "Tools), or add the folder holding {program} to PATH.").format(program=program)


def require_tool(program: str) -> Path:
    """``program``'s path.

    Raises:
        BackupError: it is not installed; the message says what to install.
    """
    found = find_tool(program)
    if found is None:
        raise BackupError(missing_message(program))
    return found


@dataclass(frozen=True)
class Finished:
    """How a client program ended: its exit code and what it printed, secrets blanked out."""

    code: int
    output: str
    errors: str

    def reason(self) -> str:
        """The program's own words on why it failed, one line: its first error, if it named
        one (details and hints follow on lines of their own), else its last line."""
        lines = [line.strip() for line in self.errors.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line.lower()]
        if errors or lines:
            return " ".join((errors or lines[-1:])[0].split())
        return _("exit code {code}").format(code=self.code)


def run_tool(program: Path, arguments: Sequence[str], connection: Connection | None = None,
             stdout: IO[bytes] | None = None) -> Finished:
    """Run ``program`` with ``arguments``, reaching the database through ``connection``.

    Its output goes to ``stdout`` when given (a dump being written), else is returned.

    Raises:
        BackupError: the program could not be started at all.
    """
    environment = dict(os.environ)
    if connection is not None:
        environment.update(connection.variables)
    command = [str(program), *arguments]
    log.info("running %s", " ".join(command))
    try:
        done = subprocess.run(
            command, env=environment, stdin=subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
            check=False, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except OSError as exc:
        raise BackupError(_("{program} could not be started: {error}").format(
            program=program.name, error=exc)) from exc

    def text(printed: bytes | None) -> str:
        decoded = (printed or b"").decode("utf-8", errors="replace")
        return connection.scrub(decoded) if connection is not None else decoded

    finished = Finished(done.returncode, text(done.stdout), text(done.stderr))
    if finished.code:
        log.warning("%s failed: %s", program.name, finished.errors.strip())
    return finished
