"""The office settings a manager or administrator sets once for every desk: the branch as
printouts name it, and the numbers the office's rules run on (protection, the public pool,
dormant customers, retention, the idle lock, where automatic backups go).

Each is one key of ``settings``, read where its rule applies, so a change holds at every desk
from its next use. Saving checks every field at once, stores only what changed and records
the old and new values on the audit trail.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models.db import database
from crmdesk.services import audit, settings, visibility
from crmdesk.services.context import Actor

LOGO_MAX_BYTES = 512 * 1024
LOGO_FORMATS = ("PNG", "JPEG")
NAME_MAX, ADDRESS_MAX = 60, 120


@dataclass(frozen=True)
class NumberRule:
    """A whole number setting: its label (an English msgid) and the values allowed."""

    label: str
    low: int
    high: int


# The numbers, in the order the settings page shows them.
NUMBERS: dict[str, NumberRule] = {
    "protection_days": NumberRule(N_("Protection (days)"), 1, 3650),
    "reclaim_wait_days": NumberRule(N_("Wait before the former owner may claim again (days)"),
                                    0, 3650),
    "pool_claim_cap": NumberRule(N_("Customers one salesperson may claim from the pool"), 1,
                                 100_000),
    "dormant_days": NumberRule(N_("Dormant after (days without contact)"), 1, 3650),
    "retention_years": NumberRule(N_("Retention (years without contact)"), 1, 100),
    "idle_lock_minutes": NumberRule(N_("Lock an idle desk after (minutes)"), 1, 480),
}
# Numbers that may be left empty, meaning "no limit".
OPTIONAL_NUMBERS = frozenset({"pool_claim_cap"})


@dataclass(frozen=True)
class OfficeSettings:
    """The branch and the numbers the office's rules run on (``pool_claim_cap`` None: no cap;
    ``backup_folder`` empty: the data folder's backups/; ``branch_logo`` empty: none)."""

    branch_name: str
    branch_address: str
    branch_logo: bytes
    protection_days: int
    reclaim_wait_days: int
    pool_claim_cap: int | None
    dormant_days: int
    retention_years: int
    idle_lock_minutes: int
    backup_folder: str
    # The handbook's protection runs from when the owner got the customer; an office may renew
    # it with each of the owner's contacts instead.
    protection_renewed_by_contact: bool = False


def office_settings() -> OfficeSettings:
    """The office settings as stored (defaults where none was saved)."""
    values: dict[str, Any] = {f.name: settings.get(f.name) for f in fields(OfficeSettings)}
    logo = values["branch_logo"]
    values["branch_logo"] = base64.b64decode(logo) if logo else b""
    return OfficeSettings(**values)


def _image_format(data: bytes) -> str | None:
    """PNG or JPEG when ``data`` is such an image that opens, else None."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format if image.format in LOGO_FORMATS else None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def _problems(new: OfficeSettings) -> list[Problem]:
    problems = []
    name = new.branch_name.strip()
    if not name:
        problems.append(Problem("branch_name", _("Branch name"), _("required")))
    elif len(name) > NAME_MAX:
        problems.append(Problem("branch_name", _("Branch name"),
                                _("at most {n} characters").format(n=NAME_MAX)))
    if len(new.branch_address.strip()) > ADDRESS_MAX:
        problems.append(Problem("branch_address", _("Branch address"),
                                _("at most {n} characters").format(n=ADDRESS_MAX)))
    if new.branch_logo:
        if len(new.branch_logo) > LOGO_MAX_BYTES:
            problems.append(Problem("branch_logo", _("Logo"), _(
                "the picture is {kb} KB; use one of at most {most} KB").format(
                kb=len(new.branch_logo) // 1024, most=LOGO_MAX_BYTES // 1024)))
        elif _image_format(new.branch_logo) is None:
            problems.append(Problem("branch_logo", _("Logo"),
                                    _("not a PNG or JPEG picture")))
    for key, rule in NUMBERS.items():
        value = getattr(new, key)
        if value is None and key in OPTIONAL_NUMBERS:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not (
                rule.low <= value <= rule.high):
            problems.append(Problem(key, _(rule.label), _(
                "a whole number from {low} to {high}").format(low=rule.low, high=rule.high)))
    folder = new.backup_folder.strip()
    if folder and not Path(folder).is_absolute():
        problems.append(Problem("backup_folder", _("Backup folder"),
                                _("give the whole path, such as D:\\backups")))
    elif folder and not Path(folder).is_dir():
        problems.append(Problem("backup_folder", _("Backup folder"),
                                _("{folder} is not a folder on this computer").format(
                                    folder=folder)))
    return problems


def _stored(key: str, value: Any) -> Any:
    if key == "branch_logo":
        return base64.b64encode(value).decode("ascii") if value else ""
    return value.strip() if isinstance(value, str) else value


def _audited(key: str, value: Any) -> Any:
    """What the audit trail keeps of a value: a logo only by its size."""
    if key == "branch_logo":
        return _("{kb} KB picture").format(kb=max(1, len(value) // 1024)) if value else ""
    return value


def save_office_settings(actor: Actor | None, new: OfficeSettings) -> list[str]:
    """Store the settings that changed (managers and administrators), audited with their old
    and new values; returns the names of the changed ones (none: nothing is written).

    Raises:
        PermissionDenied: ``actor`` is neither a manager nor an administrator.
        ValidationError: every unusable field at once, nothing stored.
    """
    visibility.require(actor, visibility.Duty.BUSINESS_SETTINGS)
    new = replace(new, branch_name=new.branch_name.strip(),
                  branch_address=new.branch_address.strip(),
                  backup_folder=new.backup_folder.strip())
    problems = _problems(new)
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        old = office_settings()
        changed = [f.name for f in fields(OfficeSettings)
                   if getattr(old, f.name) != getattr(new, f.name)]
        if not changed:
            return []
        for key in changed:
            settings.put(key, _stored(key, getattr(new, key)))
        audit.record(actor, "office_settings", None, changed={
            key: [_audited(key, getattr(old, key)), _audited(key, getattr(new, key))]
            for key in changed})
    return changed
