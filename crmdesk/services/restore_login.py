"""Who restores a backup, checked against the accounts inside the backup itself.

When the archive in use cannot vouch for anyone (a PostgreSQL restore goes into an empty
database; a damaged SQLite file cannot be read), the person restoring logs in to the restored
copy before it is put in place: an administrator or manager of the backup, with their password
as the backup knows it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crmdesk.i18n import _
from crmdesk.services import visibility
from crmdesk.services.accounts import LoginError, PermissionDenied, accounts_exist, log_in
from crmdesk.services.backup_results import BackupError
from crmdesk.services.context import Actor
from crmdesk.services.staff import find_staff


@dataclass(frozen=True)
class Login:
    """Who restores: a user name and the password the backup knows."""

    name: str
    password: str = field(repr=False)


def restoring_actor(login: Login | None, left_as: str) -> Actor | None:
    """Who restores, by the open (restored) archive's accounts; None while it has none.

    ``left_as`` says in the refusal what became of the archive (e.g. "The database was left
    empty.").

    Raises:
        BackupError: the backup has accounts and ``login`` is missing, wrong, or not an
            administrator or manager.
    """
    if not accounts_exist():
        staff = find_staff(login.name) if login else None
        return Actor.of(staff) if staff else None
    if login is None:
        raise BackupError(_("The backup has accounts: name an administrator or manager of the "
                            "backup with --user NAME (the password from CRMDESK_PASSWORD or the "
                            "prompt).") + " " + left_as)
    staff = find_staff(login.name)
    try:
        actor = log_in(staff.username if staff else login.name, login.password)
        visibility.require(actor, visibility.Duty.BACKUP)
    except (LoginError, PermissionDenied) as exc:
        raise BackupError(_("Not restored: {reason} Who restores is checked against the "
                            "accounts in the backup: an administrator or manager of "
                            "it.").format(reason=exc) + " " + left_as) from exc
    return actor
