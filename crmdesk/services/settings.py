"""Office-wide settings with their defaults, stored in the archive so every desk shares them."""
from __future__ import annotations

import json
from typing import Any

from crmdesk.models import Setting

DEFAULTS: dict[str, Any] = {
    "branch_name": "本分公司",
    "default_level": "C",
    "idle_lock_minutes": 10,
    "import_mappings": {},
    "dormant_days": 90,
}


def get(key: str) -> Any:
    """The value of setting ``key``, or its default."""
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row else DEFAULTS[key]


def put(key: str, value: Any) -> None:
    """Store setting ``key``."""
    if key not in DEFAULTS:
        raise KeyError(key)
    Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: json.dumps(value, ensure_ascii=False)}
    ).execute()
