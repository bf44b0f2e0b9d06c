"""The office's own fields in an import: a row's values of them (``office.<key>``) kept apart
from the card's columns, and written beside the archives an import creates."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crmdesk.errors import StaleCardError
from crmdesk.i18n import _
from crmdesk.models.office_fields import PREFIX, OfficeField, OfficeValue
from crmdesk.services.imports.new_archives import insert_tuples


def card_part(values: Mapping[str, Any]) -> dict[str, Any]:
    """The card's own values among a row's ``values`` (by field name)."""
    return {name: value for name, value in values.items() if not name.startswith(PREFIX)}


def own_part(values: Mapping[str, Any]) -> dict[str, Any]:
    """The office fields' values among a row's ``values``, by the field's key."""
    return {name[len(PREFIX):]: value for name, value in values.items()
            if name.startswith(PREFIX)}


def prefixed(own: Mapping[str, Any]) -> dict[str, Any]:
    """Office values by key as a row names them (``office.<key>``)."""
    return {PREFIX + key: value for key, value in own.items()}


def merged_before(own: Mapping[str, Any], name: str) -> Any:
    """What the archive held in the office field a row names ``name`` (None: nothing)."""
    return own.get(name[len(PREFIX):])


def check_fields_kept(targets: Iterable[str | None], fields: Sequence[OfficeField]) -> None:
    """Refuse a commit filling an office field removed since its preview.

    Raises:
        StaleCardError: naming the field's key.
    """
    kept = {field.name for field in fields}
    gone = [t[len(PREFIX):] for t in targets if t and t.startswith(PREFIX) and t not in kept]
    if gone:
        raise StaleCardError(_(
            "The office field {key} was removed since the preview; preview the file "
            "again.").format(key=gone[0]))


def insert_own_values(fields: Sequence[OfficeField],
                      cards: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
    """Store the office values of new archives: (customer id, values by key) each."""
    by_key = {field.key: field for field in fields}
    rows = [(customer_id, by_key[key].id, by_key[key].kind.store(value))
            for customer_id, own in cards for key, value in own.items() if value is not None]
    if rows:
        insert_tuples(OfficeValue, ("customer_id", "field_id", "value"), rows)
