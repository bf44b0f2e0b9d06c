"""The staff list: who can own customers and log contacts."""
from __future__ import annotations

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Staff
from crmdesk.models.staff import ROLES


def active_staff() -> list[tuple[int, str]]:
    """(id, name) of every active member of staff, by name."""
    query = Staff.select(Staff.id, Staff.name).where(Staff.active).order_by(Staff.name)
    return list(query.tuples())


def staff_names() -> dict[int, str]:
    """Names of everyone, active or not, by id (old cards still name people who left)."""
    return dict(Staff.select(Staff.id, Staff.name).tuples())


def add_staff(name: str, username: str, roles: tuple[str, ...] = ("sales",)) -> int:
    """Add a member of staff and return their id.

    Raises:
        ValidationError: the name is empty, the username taken, or a role unknown.
    """
    problems = []
    username = username.strip()
    if not name.strip():
        problems.append(Problem("name", _("Name"), _("required")))
    if not username or Staff.select().where(Staff.username == username).exists():
        problems.append(Problem("username", _("User name"), _("empty or already taken")))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        problems.append(Problem("roles", _("Roles"), ", ".join(unknown)))
    if problems:
        raise ValidationError(problems)
    return Staff.create(name=name.strip(), username=username, roles=",".join(roles)).id


def find_staff(name_or_username: str) -> Staff | None:
    """The member of staff with that user name or, failing that, that name."""
    return Staff.get_or_none(Staff.username == name_or_username) or Staff.get_or_none(
        Staff.name == name_or_username
    )
