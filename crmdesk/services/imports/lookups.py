"""The staff and level names an import may meet in a sheet, read from the archive once."""
from __future__ import annotations

from crmdesk.i18n import _
from crmdesk.importers.cells import Lookups, normalized
from crmdesk.models import Level, Staff


def archive_lookups() -> Lookups:
    """Staff by name and user name, levels by code, name and their spoken forms (A级, A类)."""
    staff: dict[str, int] = {}
    for staff_id, name, username in Staff.select(Staff.id, Staff.name, Staff.username).tuples():
        staff.setdefault(normalized(username), staff_id)
        staff[normalized(name)] = staff_id
    levels: dict[str, int] = {}
    codes = []
    for level_id, code, name in Level.select(Level.id, Level.code, Level.name).order_by(
            Level.sort_order).tuples():
        codes.append(code)
        for spelling in (code, name, _(name), code + "级", code + "类"):
            levels.setdefault(normalized(spelling), level_id)
    return Lookups(staff, levels, tuple(codes))
