"""The import template: an .xlsx made from the card definition, ready to fill in.

The first sheet has every card field the office uses as a header, in card order, the office's
own fields last, one example row, and a drop-down list on each choice field (and on level and
owner, from the archive). A second sheet explains each field: its kind, whether it is required,
and who it is for. Built-in fields the office hides are left out.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from crmdesk.exporters.workbook import (
    append,
    sheet_name,
    start_sheet,
    text_width,
    workbook_bytes,
)
from crmdesk.i18n import _
from crmdesk.models.card import FIELDS, Applies, FieldSpec, Need
from crmdesk.models.fieldtypes import Kind
from crmdesk.models.office_fields import OfficeField
from crmdesk.output_files import check_output, write_bytes

ROWS_WITH_LISTS = 5000
EXAMPLE = {
    "kind": "individual", "name": "张三", "alias": "老张", "status": "prospect",
    "source": "visit", "confidentiality": "normal", "consent": True, "mobile": "13800138000",
    "phone": "010-65529988", "email": "zhangsan@example.com", "province": "北京",
    "city": "北京", "address": "北京市朝阳区建国路 1 号", "gender": "male",
    "birth_date": "1985-05-06", "employer": "华信科技有限公司", "position": "采购经理",
    "first_contact_date": "2024-03-01", "needs": "家用,预算 20 万以内",
}


def _example(spec: FieldSpec) -> str:
    value = EXAMPLE.get(spec.name)
    if value is None:
        return ""
    return str(spec.kind.cell(value, spec.choices))


def _need(spec: FieldSpec) -> str:
    return {Need.REQUIRED: _("required"), Need.IMPORTANT: _("important"),
            Need.GENERAL: _("general")}[spec.need]


def _for_whom(spec: FieldSpec) -> str:
    # A field inside a box for one kind of customer carries that box's kind (models.card).
    return {Applies.BOTH: _("all customers"), Applies.INDIVIDUAL: _("individuals"),
            Applies.ORGANISATION: _("organisations")}[spec.applies]


def write_template(path: Path | str, levels: Sequence[str] = (), staff: Sequence[str] = (),
                   office: Sequence[OfficeField] = (), hidden: Collection[str] = ()) -> None:
    """Write the import template to ``path``; ``levels`` and ``staff`` fill the drop-downs of
    the level and owner columns when given. The ``office``'s own fields follow the card's,
    whose ``hidden`` ones are left out.

    Raises:
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    check_output(path)
    specs = [spec for name, spec in FIELDS.items() if name not in hidden]
    specs += [field.spec() for field in office]
    named = {Kind.LEVEL: levels, Kind.STAFF: staff}
    lists = [[c.label for c in spec.choices] if spec.choices else list(named.get(spec.kind, ()))
             for spec in specs]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name("customers"))
    list_sheet = quote_sheetname(sheet_name("lists"))
    column_of_list = 0
    for index, options in enumerate(lists):
        if not options or specs[index].kind.many:
            continue
        column_of_list += 1
        letter = get_column_letter(column_of_list)
        check = DataValidation(type="list", allow_blank=True, showErrorMessage=False,
                               formula1=f"{list_sheet}!${letter}$2:${letter}${len(options) + 1}")
        target = get_column_letter(index + 1)
        check.add(f"{target}2:{target}{ROWS_WITH_LISTS}")
        sheet.data_validations.append(check)
    headers = [s.label + ("*" if s.need is Need.REQUIRED else "") for s in specs]
    start_sheet(sheet, headers, [max(text_width(h) + 2, 12) for h in headers], 1)
    append(sheet, [lists[i][0] if s.kind.reference and lists[i]
                   else _example(s) for i, s in enumerate(specs)])

    fields = book.create_sheet(sheet_name("fields"))
    explained = [_("Column"), _("Field"), _("Level"), _("For"), _("What to write")]
    start_sheet(fields, explained, [8, 24, 10, 14, 60], len(specs))
    for index, spec in enumerate(specs):
        hint = "、".join(lists[index]) if lists[index] else spec.kind.guide()
        append(fields, [get_column_letter(index + 1), spec.label, _need(spec),
                        _for_whom(spec), hint])

    options_sheet = book.create_sheet(sheet_name("lists"))
    options_sheet.sheet_state = "hidden"
    used = [(specs[i].label, o) for i, o in enumerate(lists)
            if o and not specs[i].kind.many]
    append(options_sheet, [label for label, _o in used])
    for line in range(max((len(o) for _l, o in used), default=0)):
        append(options_sheet, [o[line] if line < len(o) else None for _l, o in used])
    write_bytes(path, workbook_bytes(book))

