"""Errors a user can cause or meet, each carrying a message fit to show them."""
from __future__ import annotations

from dataclasses import dataclass


class CrmError(Exception):
    """Base of every error crmdesk raises on purpose; ``str()`` is the user message."""


class NotFoundError(CrmError):
    """A customer, staff member or level that the request names does not exist."""


class StaleCardError(CrmError):
    """The card was changed by someone else since it was opened."""


class ArchiveLocationError(CrmError):
    """The archive cannot be opened where it is (for example on a network share)."""


class ArchiveTooNewError(CrmError):
    """The archive was written by a newer crmdesk than this one."""


class ArchiveTooOldError(CrmError):
    """The archive's schema is older than this crmdesk, and this desk may not upgrade it."""


class ArchiveNotSetUpError(CrmError):
    """The shared database holds no archive this desk may use, and it may not create one."""


class DatabaseSetupError(CrmError):
    """Setting up or upgrading a shared PostgreSQL archive was refused; the message says why."""


class ArchiveMissingError(CrmError):
    """The data folder has had an archive, but the archive file is not there."""


class ArchiveLockedError(CrmError):
    """The archive file is encrypted and no password or recovery key has unlocked it yet, or
    the one given does not; the message says what to give."""


class ArchiveConnectionError(CrmError):
    """The archive's database server could not be reached or refused this desk; the message
    names the cause (unreachable, password, account, database, privilege) and what to do."""


class ConnectionLostError(CrmError):
    """The server dropped the connection in the middle of a change; the message says whether
    the change was saved (it was not) or could not be confirmed."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a card: which field, its label, and why."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class ValidationError(CrmError):
    """A card or record was refused; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class IncompleteCardWarning(CrmError):
    """Important (重要) fields are empty; the caller may save anyway once the user accepts."""

    def __init__(self, missing: list[Problem]) -> None:
        self.missing = missing
        super().__init__("\n".join(p.label for p in missing))
