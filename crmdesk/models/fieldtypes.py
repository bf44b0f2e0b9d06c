"""Every kind of value a card field holds, by name (``Kind.DATE``), each a type object that
owns its behaviour (crmdesk.models.field_kind): its column, parsing of typed text and of
spreadsheet cells, display, Excel cell, stored text, hint, width and editor.

The card's own fields (crmdesk.models.card) and the office's fields
(crmdesk.models.office_fields) use the same kinds, so a value refused in one place is refused
everywhere, with the same message.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crmdesk.i18n import N_
from crmdesk.models.field_kind import CellNames, Editor, FieldKind
from crmdesk.models.parsers import LINE_MAX, NOTE_MAX
from crmdesk.models.reference_kinds import CustomerKind, LevelKind, StaffKind
from crmdesk.models.value_kinds import (
    MULTI_SEPARATOR,
    ChoiceKind,
    DateKind,
    EmailKind,
    IntegerKind,
    MobileKind,
    MoneyKind,
    NumberKind,
    PercentKind,
    PhoneKind,
    TextKind,
    YesNoKind,
)

__all__ = [
    "DATE_FORMAT", "MONEY_FORMAT", "MULTI_SEPARATOR", "CellNames", "Editor", "FieldKind", "Kind",
    "display_text", "parse_text",
]

# The .xlsx number formats of days and amounts (exports write every day and amount so).
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


class _Listed(type):
    def __iter__(cls) -> Iterator[FieldKind]:
        return (v for v in vars(cls).values() if isinstance(v, FieldKind))


class Kind(metaclass=_Listed):
    """Every kind of field, by name (``Kind.DATE``); ``for kind in Kind`` gives each once."""

    TEXT = TextKind("text", "文本", "Text", max_length=LINE_MAX)
    LONGTEXT = TextKind("longtext", "多行文本", "Several lines", Editor.LINES, width=40,
                        weight=40, max_length=NOTE_MAX)
    CHOICE = ChoiceKind("choice", "选项", "Choice", Editor.CHOICE, weight=14)
    MULTICHOICE = ChoiceKind("multichoice", "多选", "Several choices", Editor.CHOICES,
                             guide_text=N_("several of the choices, separated by 、"), many=True)
    DATE = DateKind("date", "日期", "Date", width=12, weight=16, hint_text=N_("yyyy-mm-dd"),
                    guide_text=N_("a date, e.g. 2023-05-06"), number_format=DATE_FORMAT)
    MOBILE = MobileKind("mobile", "手机", "Mobile", hint_text=N_("11 digits"),
                        guide_text=N_("11-digit mobile, e.g. 13800138000"))
    PHONE = PhoneKind("phone", "电话", "Phone", width=15, hint_text=N_("area code-number"),
                      guide_text=N_("with area code, e.g. 010-65529988"))
    EMAIL = EmailKind("email", "电子邮箱", "E-mail", width=24, hint_text=N_("e-mail address"),
                      guide_text=N_("an e-mail address"))
    MONEY = MoneyKind("money", "金额", "Amount", weight=18, hint_text=N_("yuan"),
                      guide_text=N_("an amount, e.g. 12000.50"), number_format=MONEY_FORMAT)
    INTEGER = IntegerKind("integer", "整数", "Whole number", width=10, weight=11,
                          guide_text=N_("a whole number"))
    PERCENT = PercentKind("percent", "百分比", "Percentage", width=8, hint_text=N_("0-100"),
                          guide_text=N_("0 to 100, e.g. 35%"))
    NUMBER = NumberKind("number", "数字", "Number", width=10, weight=11,
                        guide_text=N_("a number, e.g. 12.5"))
    BOOL = YesNoKind("yes_no", "是/否", "Yes / no", Editor.CHECK, width=8,
                     guide_text=N_("yes or no (是/否)"))
    STAFF = StaffKind("staff", "员工", "Member of staff", Editor.REFERENCE, reference=True)
    LEVEL = LevelKind("level", "客户级别", "Level", Editor.REFERENCE, reference=True)
    CUSTOMER = CustomerKind("customer", "客户", "Customer", hint_text=N_("archive no. KH…"),
                            guide_text=N_("the referrer's archive number or name"),
                            reference=True)


def parse_text(kind: FieldKind, text: str | None) -> Any:
    """The value of typed or imported text for ``kind``; None for empty text.

    Raises:
        ValueProblem: the text is no value of that kind; the message names the reason.
    """
    return kind.read(text)


def display_text(kind: FieldKind, value: Any) -> str:
    """The text a person reads for a stored value of ``kind`` (phones formatted, dates ISO)."""
    return kind.display(value)
