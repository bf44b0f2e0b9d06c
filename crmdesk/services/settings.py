"""Office-wide settings with their defaults, stored in the archive so every desk shares them."""
from __future__ import annotations

import copy
import json
from typing import Any

from crmdesk.models import Setting

DEFAULTS: dict[str, Any] = {
    "branch_name": "本分公司",
    "default_level": "C",
    "idle_lock_minutes": 10,
    "retention_years": 3,
    "import_mappings": {},
    "dormant_days": 90,
    # Front desk (建档有效期 / 公海): protection from the owner's latest contact or registration,
    # days per level code where set; the pool's claim cap (None: no cap) and reclaim wait.
    "protection_days": 60,
    "protection_days_by_level": {},
    "pool_claim_cap": None,
    "reclaim_wait_days": 30,
    "pool_exempt_deals": True,
    "lapse_warning_days": 7,
}


def get(key: str) -> Any:
    """The value of setting ``key``, or its default."""
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row else copy.deepcopy(DEFAULTS[key])


def put(key: str, value: Any) -> None:
    """Store setting ``key``."""
    if key not in DEFAULTS:
        raise KeyError(key)
    Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: json.dumps(value, ensure_ascii=False)}
    ).execute()
