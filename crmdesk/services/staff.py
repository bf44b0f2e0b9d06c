"""The staff list: who can own customers and log contacts."""
from __future__ import annotations

import unicodedata

import peewee

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Staff
from crmdesk.models.gathered import json_rows, typed_rows
from crmdesk.models.staff import ROLES
from crmdesk.services.typed_text import NAME_MAX, text_problems


def active_staff() -> list[tuple[int, str]]:
    """(id, name) of every active member of staff, by name."""
    query = Staff.select(Staff.id, Staff.name).where(Staff.active).order_by(Staff.name)
    return list(query.tuples())


def staff_names() -> dict[int, str]:
    """Names of everyone, active or not, by id (old cards still name people who left)."""
    return dict(Staff.select(Staff.id, Staff.name).tuples())


def names_column() -> peewee.Node:
    """A column for any query: ``staff_names`` as JSON (see ``names_from``)."""
    return Staff.select(json_rows(Staff.id, Staff.name))


def names_from(gathered: str | None) -> dict[int, str]:
    """``staff_names`` from the names ``names_column`` gathered."""
    return dict(typed_rows((Staff.id, Staff.name), gathered))


def add_staff(name: str, username: str, roles: tuple[str, ...] = ("sales",)) -> int:
    """Add a member of staff and return their id, checking the entry but not who adds it.

    This is the building block of ``services.accounts.add_account``, which checks that an
    administrator acts and audits the change; desks and commands go through that.

    Raises:
        ValidationError: the name is empty or unusable, the username unusable or taken, or a
            role unknown.
    """
    problems = []
    username = username.strip()
    if not name.strip():
        problems.append(Problem("name", _("Name"), _("required")))
    problems += text_problems(("name", _("Name"), name, NAME_MAX))
    spaced = any(ch.isspace() for ch in username)
    if not username or spaced or Staff.select().where(Staff.username == username).exists():
        problems.append(Problem("username", _("User name"), _("without spaces") if spaced
                                else _("empty or already taken")))
    problems += text_problems(("username", _("User name"), username, NAME_MAX))
    unknown = [r or '""' for r in roles if r not in ROLES]
    if unknown or not roles:
        problems.append(Problem("roles", _("Roles"), ", ".join(unknown) or _("required")))
    if problems:
        raise ValidationError(problems)
    return Staff.create(name=name.strip(), username=username, roles=",".join(roles)).id


def staff_by_username(username: str) -> Staff | None:
    """The member of staff logging in as ``username`` (never matched by display name)."""
    if not usable_username(username):
        return None
    return Staff.get_or_none(Staff.username == username)


def usable_username(username: str) -> bool:
    """False for text no account can be called: empty, or holding control characters (which
    PostgreSQL would not even accept in a query)."""
    return bool(username) and not any(unicodedata.category(ch) == "Cc" for ch in username)


def find_staff(name_or_username: str) -> Staff | None:
    """The member of staff with that user name or, failing that, that name (to name an owner or
    a salesperson; logging in goes by ``staff_by_username`` alone)."""
    return Staff.get_or_none(Staff.username == name_or_username) or Staff.get_or_none(
        Staff.name == name_or_username
    )
