"""The kinds an office may give its own card fields: some of the card's field kinds
(crmdesk.models.fieldtypes), under the keys the office's field definitions store."""
from __future__ import annotations

from crmdesk.models.fieldtypes import FieldKind, Kind

TEXT = Kind.TEXT
NUMBER = Kind.NUMBER
MONEY = Kind.MONEY
DATE = Kind.DATE
CHOICE = Kind.CHOICE
YES_NO = Kind.BOOL

KINDS: dict[str, FieldKind] = {k.key: k for k in (TEXT, NUMBER, MONEY, DATE, CHOICE, YES_NO)}
