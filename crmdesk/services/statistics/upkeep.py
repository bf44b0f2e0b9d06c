"""Keeping the statistics' summary rows honest: check them against the raw tables, and work
them out again when they differ.

The database keeps the summaries in every writing transaction (crmdesk.models.summaries), so
they differ only after a write that went around the triggers (a table edited by hand, a
foreign-key action switched off) or a change of the card's important fields; ``crmdesk
summaries check`` says so, and ``crmdesk summaries rebuild`` repairs it.
"""
from __future__ import annotations

from crmdesk.i18n import N_, _
from crmdesk.models import summaries
from crmdesk.models.db import database
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require

_TITLES = {"contact_tally": N_("contacts logged per day and salesperson"),
           "level_change": N_("levels raised and lowered"),
           "milestone": N_("archives' registration, first contact, deal and completeness")}


def check_summaries(actor: Actor | None) -> list[str]:
    """What the statistics' summaries count differently from the raw tables, one line per
    summary (empty when they agree).

    Raises:
        PermissionDenied: ``actor`` may not look after the archive (backups and checks).
    """
    require(actor, Duty.BACKUP)
    return [_("The summary of {what} differs from the records; run crmdesk summaries "
              "rebuild").format(what=_(_TITLES[table])) for table in summaries.drift(database.obj)]


def rebuild_summaries(actor: Actor | None) -> None:
    """Work every summary out again from the raw tables, in one transaction, audited.

    Raises:
        PermissionDenied: ``actor`` may not look after the archive (backups and checks).
    """
    require(actor, Duty.BACKUP)
    with database.atomic():
        summaries.rebuild(database.obj)
        audit.record(actor, "rebuild_summaries", None)
