"""Desks as separate processes, for the race tests: each opens the archive on its own.

Every desk waits at a barrier before each step, so all desks act at the same moment; each
returns what it was told, step by step, through a queue.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmdesk.errors import CrmError
from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services.context import Actor


def _register(actor: Actor, phone: str) -> str:
    from crmdesk.services.frontdesk import DuplicatePhoneError, VisitDraft, register_visit

    try:
        result = register_visit(VisitDraft("访客", phone), actor)
    except DuplicatePhoneError:
        return "duplicate"
    return "created" if result.created else "linked"


def _save_new_card(actor: Actor, customer: str) -> str:
    """Save a new card from the card editor: ``customer`` is "name/mobile"."""
    from crmdesk.services import customers
    from crmdesk.services.duplicate_rule import DuplicateArchiveError

    name, mobile = customer.split("/")
    card = customers.new_card(actor)
    card.values.update(name=name, mobile=mobile)
    try:
        customers.save_card(card, actor, accept_incomplete=True)
    except DuplicateArchiveError:
        return "duplicate"
    return "created"


def _claim(actor: Actor, customer_id: int, day: dt.date) -> str:
    from crmdesk.services.ownership import claim

    try:
        claim(customer_id, actor, day)
    except CrmError as exc:
        return f"refused: {exc}"
    return "claimed"


def desk(location: Path | str, staff_id: int, action: str, subjects: list[Any],
         barrier: Any, results: Any, day: dt.date | None = None) -> None:
    """Open the archive as ``staff_id`` and do ``action`` on each subject, in step with the
    other desks; put ``(staff_id, [outcome, ...])`` on ``results``."""
    open_database(location)
    outcomes: list[str] = []
    try:
        actor = Actor.of(Staff.get_by_id(staff_id))
        for subject in subjects:
            barrier.wait()
            if action == "register":
                outcomes.append(_register(actor, subject))
            elif action == "card":
                outcomes.append(_save_new_card(actor, subject))
            else:
                outcomes.append(_claim(actor, subject, day or dt.date.today()))
    except Exception as exc:  # reported to the test, which fails with it
        outcomes.append(f"error: {type(exc).__name__}: {exc}")
    finally:
        close_database()
        results.put((staff_id, outcomes))
