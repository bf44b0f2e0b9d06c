"""Office-wide settings with their defaults, stored in the archive so every desk shares them."""
from __future__ import annotations

import contextlib
import contextvars
import copy
import json
from collections.abc import Iterator
from typing import Any

import peewee

from crmdesk.models import Setting
from crmdesk.models.gathered import json_rows, typed_rows

DEFAULTS: dict[str, Any] = {
    "branch_name": "本分公司",
    "branch_address": "",
    "branch_logo": "",  # base64 of a PNG or JPEG picture, "" for none
    "backup_folder": "",  # "" for the data folder's backups/
    "default_level": "C",
    "idle_lock_minutes": 10,
    "retention_years": 3,
    "import_mappings": {},
    "dormant_days": 90,
    # Front desk (建档有效期 / 公海): protection from the owner's latest contact or registration,
    # days per level code where set; the pool's claim cap (None: no cap) and reclaim wait.
    "protection_days": 60,
    # The handbook's reading: protection runs from when the owner got the customer and is not
    # extended by contacts. An office may choose to renew it with each of the owner's contacts.
    "protection_renewed_by_contact": False,
    "protection_days_by_level": {},
    "pool_claim_cap": None,
    "reclaim_wait_days": 30,
    "pool_exempt_deals": True,
    "lapse_warning_days": 7,
    # An export of more archives than this, or of any 机密/绝密 card, needs a second person's
    # approval (the handbook's copy and export approval).
    "export_approval_over": 500,
    # Customer value (主力/一般/零散, the handbook's A/B/C by orders): more than this many orders
    # and more than this amount in all; amounts are yuan, kept as text so no float creeps in.
    "value_grades": {"main": {"orders": 5, "amount": "100000"},
                     "general": {"orders": 3, "amount": "10000"}},
    # Built-in card fields the office does not use (never a required one): left off the form.
    "hidden_fields": [],
    # The ready-made card the office started from (crmdesk.services.card_templates), or None.
    "card_template": None,
    # Office fields shown as columns of the customer list, by key, in order.
    "list_office_fields": [],
}


# The settings read so far within ``read_once`` (None outside it), in this thread.
_held: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "held_settings", default=None)


@contextlib.contextmanager
def read_once(*keys: str) -> Iterator[None]:
    """Within the block each setting is read from the archive once, ``keys`` together in one
    statement at the start: for work that asks for the same settings many times over (the
    lapsing tile reads the protection rule a dozen times). The values are held for the block
    only, so the next block sees a change made at any desk; ``put`` inside it is seen at once.
    Nested blocks share the outer one's values."""
    token = _held.set({}) if _held.get() is None else None
    try:
        if keys:
            get_many(keys)
        yield
    finally:
        if token is not None:
            _held.reset(token)


def get(key: str) -> Any:
    """The value of setting ``key``, or its default."""
    held = _held.get()
    if held is not None and key in held:
        return copy.deepcopy(held[key])
    row = Setting.get_or_none(Setting.key == key)
    value = json.loads(row.value) if row else copy.deepcopy(DEFAULTS[key])
    if held is not None:
        held[key] = copy.deepcopy(value)
    return value


def get_many(keys: tuple[str, ...]) -> dict[str, Any]:
    """The values of settings ``keys`` (each, or its default), read in one statement."""
    held = _held.get()
    known = held if held is not None else {}
    missing = tuple(key for key in keys if key not in known)
    fresh = {}
    if missing:
        fresh = _decoded(missing, dict(Setting.select(Setting.key, Setting.value)
                                       .where(Setting.key.in_(missing)).tuples()))
        if held is not None:
            held.update(copy.deepcopy(fresh))
    return {key: fresh[key] if key in fresh else copy.deepcopy(known[key]) for key in keys}


def many_column(keys: tuple[str, ...]) -> peewee.Node:
    """A column for any query: the settings ``keys`` as stored, as JSON (see ``many_from``)."""
    return Setting.select(json_rows(Setting.key, Setting.value)).where(Setting.key.in_(keys))


def many_from(keys: tuple[str, ...], gathered: str | None) -> dict[str, Any]:
    """``get_many`` from the settings ``many_column`` gathered."""
    return _decoded(keys, dict(typed_rows((Setting.key, Setting.value), gathered)))


def _decoded(keys: tuple[str, ...], stored: dict[str, str]) -> dict[str, Any]:
    return {key: json.loads(stored[key]) if key in stored else copy.deepcopy(DEFAULTS[key])
            for key in keys}


def put(key: str, value: Any) -> None:
    """Store setting ``key``."""
    if key not in DEFAULTS:
        raise KeyError(key)
    Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: json.dumps(value, ensure_ascii=False)}
    ).execute()
    held = _held.get()
    if held is not None:
        held[key] = copy.deepcopy(value)
