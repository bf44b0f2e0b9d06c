"""The recovery key in use: when every password is lost, it gives an administrator a new one.

Whoever holds the recovery key can read the whole archive anyway; so once it has opened the
encrypted archive it may also stand in for an administrator whose password is lost, and set a
new one. It is checked again here against the open archive's key file, never taken on trust.
"""
from __future__ import annotations

from crmdesk.errors import ArchiveLockedError, NotFoundError
from crmdesk.i18n import _
from crmdesk.models.db import database
from crmdesk.services import accounts, archive_keys, audit, key_slots
from crmdesk.services.context import Actor
from crmdesk.services.staff import staff_by_username


def reset_admin_password(recovery_key: str, username: str, password: str) -> Actor:
    """Set a new password for the administrator ``username`` of the open, encrypted archive,
    given its recovery key; audited. Returns the administrator.

    Raises:
        ArchiveLockedError: the archive is not encrypted, or that is not its recovery key.
        NotFoundError: no active administrator has that user name.
        ValidationError: the new password is too short.
    """
    archive = archive_keys.open_encrypted_archive()
    key = (key_slots.open_recovery_slot(key_slots.read(archive).recovery, recovery_key)
           if archive is not None else None)
    if key is None or key != archive_keys.open_archive_key():
        raise ArchiveLockedError(_("Only the archive's recovery key can reset a password "
                                   "without logging in."))
    staff = staff_by_username(username)
    if staff is None or not staff.active or "admin" not in staff.roles.split(","):
        raise NotFoundError(_("No active administrator has the user name {name}.").format(
            name=username))
    admin = Actor.of(staff)
    accounts.set_password(admin, staff.id, password)
    with database.atomic():
        audit.record(admin, "recovery_key_used", None, username=staff.username)
    return admin
