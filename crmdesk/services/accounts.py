"""Staff accounts: passwords (argon2id), logging in with lockout, roles, deactivation.

An archive with no password set anywhere is still being set up: the first administrator is
created with a password, and from then on every desk and command logs in.
"""
from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.models.db import database
from crmdesk.models.staff import ROLES
from crmdesk.services import archive_keys, audit
from crmdesk.services.context import Actor
from crmdesk.services.staff import usable_username

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=5)
MIN_PASSWORD = 8
# argon2id at RFC 9106's recommended cost for machines with little memory (64 MiB, 3 passes).
PROFILE = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PROFILE)


class LoginError(CrmError):
    """Wrong user name or password, or a locked or inactive account."""


class PasswordsRemovedError(LoginError):
    """Every password hash is gone although passwords were set: changed outside crmdesk."""


class PermissionDenied(CrmError):
    """The acting member of staff may not do this."""


# Audited actions that show the archive has had passwords.
_PASSWORDS_SET = ("first_admin", "set_password")


def accounts_exist() -> bool:
    """True once any member of staff has (or ever had) a password: from then on everyone logs
    in. An archive whose password hashes were removed outside crmdesk does not fall back to
    set-up mode, where nobody logs in: its audit trail remembers the passwords were set."""
    return (Staff.select().where(Staff.password_hash.is_null(False)).exists()
            or AuditEntry.select().where(AuditEntry.action.in_(_PASSWORDS_SET)).exists())


def _passwords_removed() -> bool:
    return not Staff.select().where(Staff.password_hash.is_null(False)).exists()


def hash_password(password: str) -> str:
    """The argon2id hash stored for ``password`` (refused when too short)."""
    _check_password(password)
    return _hasher.hash(password)


def _store_password(staff_id: int, hashed: str, password: str, **columns: object) -> None:
    """Store an account's password hash (and ``columns``) and seal the archive key for it:
    the one place passwords are stored. Call it inside the transaction recording the change."""
    Staff.update(password_hash=hashed, **columns).where(Staff.id == staff_id).execute()
    archive_keys.password_stored(Staff.get_by_id(staff_id).username, password)


def require_admin_once_set_up(actor: Actor | None, message: str) -> None:
    """Refuse unless ``actor`` is an administrator.

    While the archive is being set up (no accounts yet) what is done without naming anyone
    goes unchecked; a named member of staff is held to their roles from the start, as
    everywhere else (see services.visibility).
    """
    from crmdesk.services.permissions import role_names
    from crmdesk.services.visibility import Duty, may

    if may(actor, Duty.STAFF_ADMIN):
        return
    if actor is None:
        raise PermissionDenied(message)
    raise PermissionDenied(_("{refusal} You are {name} ({roles}).").format(
        refusal=message, name=actor.name, roles=role_names(actor.roles)))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError([Problem("password", _("Password"), _(
            "use at least {n} characters").format(n=MIN_PASSWORD))])


def create_first_admin(name: str, username: str, password: str) -> Actor:
    """Create the administrator of a new archive (also manager, so they can read customers).

    Raises:
        PermissionDenied: the archive already has accounts.
        ValidationError: name, user name or password unusable.
    """
    from crmdesk.services.staff import add_staff

    _check_password(password)
    with database.atomic():
        if accounts_exist():
            raise PermissionDenied(_("This archive already has an administrator."))
        existing = Staff.get_or_none(Staff.username == username)
        if existing is None:
            staff_id = add_staff(name, username, ("admin", "manager"))
        else:
            staff_id = existing.id
            Staff.update(roles="admin,manager", name=name).where(Staff.id == staff_id).execute()
        _store_password(staff_id, _hasher.hash(password), password)
        actor = Actor.of(Staff.get_by_id(staff_id))
        audit.record(actor, "first_admin", None, username=username)
    return actor


def set_password(actor: Actor | None, staff_id: int, password: str) -> None:
    """Set a password: one's own, or anyone's by an administrator (or while setting up)."""
    _check_password(password)
    if accounts_exist() and (actor is None or (actor.staff_id != staff_id
                                                and "admin" not in actor.roles)):
        raise PermissionDenied(_("Only an administrator can set another person's password."))
    with database.atomic():
        _store_password(staff_id, _hasher.hash(password), password, failed_logins=0,
                        locked_until=None)
        audit.record(actor, "set_password", None, staff_id=staff_id)


def change_own_password(actor: Actor, current: str, new: str) -> None:
    """Change one's own password after typing the current one, audited.

    Raises:
        ValidationError: the current password is wrong, or the new one is too short or the
            same as the current one (each named by its field).
    """
    staff = Staff.get_by_id(actor.staff_id)
    problems = []
    if not staff.password_hash or not _matches(staff.password_hash, current):
        problems.append(Problem("current", _("Current password"), _("wrong password")))
    if len(new) < MIN_PASSWORD:
        problems.append(Problem("password", _("New password"), _(
            "use at least {n} characters").format(n=MIN_PASSWORD)))
    elif new == current:
        problems.append(Problem("password", _("New password"),
                                _("the same as the current one")))
    if problems:
        raise ValidationError(problems)
    set_password(actor, actor.staff_id, new)


def log_out(actor: Actor) -> None:
    """Record that ``actor`` left the desk (logged out or handed it to someone else)."""
    with database.atomic():
        audit.record(actor, "logout", None)


def log_in(username: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check a user name and password and return who logged in.

    Only the user name identifies the account (never the display name, which colleagues may
    share or imitate). Five wrong passwords in a row lock the account for five minutes;
    failures and lockouts are audited. The message never says whether the user name exists
    or whether its account is still active.

    Raises:
        LoginError: with a message fit to show at the login prompt.
    """
    now = now or dt.datetime.now()
    if _passwords_removed() and accounts_exist():
        raise PasswordsRemovedError(_(
            "No account of this archive has a password any more, although passwords were set: "
            "the archive was changed outside crmdesk. Nobody can log in; restore a backup "
            "(crmdesk restore FILE)."))
    error: LoginError = LoginError(_("Wrong user name or password."))
    # Failures are recorded and committed before the error is raised, never rolled back.
    with database.atomic():
        staff = Staff.get_or_none(Staff.username == username) if usable_username(
            username) else None
        if staff is None or not staff.password_hash:
            audit.record(None, "login_failed", None, username=username)
        elif not staff.active:
            # Said as for a wrong password: the prompt never tells who has (had) an account.
            audit.record(None, "login_failed", None, username=username, reason="inactive")
        elif staff.locked_until and staff.locked_until > now:
            audit.record(None, "login_failed", None, username=username, reason="locked")
            error = LoginError(_("Too many wrong passwords: try again after {time}.").format(
                time=staff.locked_until.strftime("%H:%M")))
        elif _matches(staff.password_hash, password):
            Staff.update(failed_logins=0, locked_until=None).where(Staff.id == staff.id).execute()
            archive_keys.password_verified(staff.username, password)
            actor = Actor.of(staff)
            audit.record(actor, "login", None)
            return actor
        else:
            failures = staff.failed_logins + 1
            locked = now + LOCKOUT if failures >= MAX_FAILURES else None
            Staff.update(failed_logins=0 if locked else failures, locked_until=locked).where(
                Staff.id == staff.id).execute()
            audit.record(None, "login_failed", None, username=username,
                         locked=locked is not None)
    raise error


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(actor: Actor, password: str) -> bool:
    """True when ``password`` is the actor's (unlocking an idle window)."""
    try:
        log_in(Staff.get_by_id(actor.staff_id).username, password)
    except LoginError:
        return False
    return True


def set_roles(actor: Actor | None, staff_id: int, roles: tuple[str, ...]) -> None:
    """Give a member of staff these roles (administrators only), audited."""
    require_admin_once_set_up(actor, _("Only an administrator can change roles."))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValidationError([Problem("roles", _("Roles"), ", ".join(unknown) or _("required"))])
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        raise NotFoundError(_("No member of staff with id {id}.").format(id=staff_id))
    with database.atomic():
        Staff.update(roles=",".join(roles)).where(Staff.id == staff_id).execute()
        audit.record(actor, "set_roles", None, staff_id=staff_id, old=staff.roles,
                     new=",".join(roles))


def deactivate(actor: Actor | None, staff_id: int) -> int:
    """Deactivate a member of staff, keeping their history; returns how many customers they own.

    Their customers stay theirs until a manager hands them over (see the reassignment list).
    """
    require_admin_once_set_up(actor, _("Only an administrator can deactivate staff."))
    with database.atomic():
        Staff.update(active=False).where(Staff.id == staff_id).execute()
        archive_keys.account_closed(Staff.get_by_id(staff_id).username)
        audit.record(actor, "deactivate_staff", None, staff_id=staff_id)
    return Customer.select().where(Customer.owner == staff_id).count()


def add_account(actor: Actor | None, name: str, username: str, roles: tuple[str, ...],
                password: str | None = None) -> int:
    """Add a member of staff (administrators only), audited; returns their id.

    Without ``password`` they appear on the staff list but cannot log in until an
    administrator sets one (``set_password``).

    Raises:
        PermissionDenied: ``actor`` is not an administrator.
        ValidationError: name, user name, roles or password unusable (all listed at once).
    """
    from crmdesk.services.staff import add_staff

    require_admin_once_set_up(actor, _("Only an administrator can add staff."))
    hashed = hash_password(password) if password is not None else None
    with database.atomic():
        staff_id = add_staff(name, username, roles)
        if hashed is not None and password is not None:
            _store_password(staff_id, hashed, password)
        audit.record(actor, "add_staff", None, staff_id=staff_id, username=username.strip(),
                     roles=",".join(roles), can_log_in=hashed is not None)
    return staff_id


def staff_accounts() -> list[dict]:
    """Everyone on the staff list with roles, whether active, and whether locked out now."""
    now = dt.datetime.now()
    return [
        {"id": s.id, "name": s.name, "username": s.username, "roles": s.roles,
         "active": s.active, "locked": bool(s.locked_until and s.locked_until > now)}
        for s in Staff.select().order_by(Staff.id)
    ]
