"""The office's own fields travel through Excel: exported, in the template, imported back equal."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from crmdesk.importers.preview import Policy
from crmdesk.models import Customer, OfficeFieldRow, OfficeValue, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.models.office_kinds import KINDS
from crmdesk.services import customers, office_fields
from crmdesk.services.context import Actor
from crmdesk.services.documents import cards_pdf
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.exports.template import write_import_template
from crmdesk.services.imports.commit import commit_import
from crmdesk.services.imports.dry_run import ImportOptions, preview_import
from crmdesk.services.office_fields import FieldDraft
from tests.export_approvals import approved
from tests.office_field_samples import add_fields
from tests.printing.conftest import _pages_text, _squeeze

VALUES = {"张三": {"work_years": "12.5", "club": "golf", "vip_since": "2024-03-01",
                   "deposit": "5000", "parking": "是"},
          "Li Lei": {"club": "tennis", "parking": "否", "deposit": "0.5"},
          "华信科技有限公司": {"vip_since": "2001-03-04", "parking": "是"}}


def _give(actor: Actor, values: dict[str, dict[str, str]]) -> None:
    for name, own in values.items():
        card = customers.get_card(Customer.get(Customer.name == name).id)
        card.office = own
        customers.save_card(card, actor, accept_incomplete=True)


def _office_values() -> dict[str, dict]:
    return {c.name: customers.get_card(c.id).office for c in Customer.select()}


def test_every_kind_added_through_the_service_survives_export_and_import(office, tmp_path):
    add_fields(office)
    _give(office, VALUES)
    before = _office_values()
    assert before["张三"]["parking"] is True and before["Li Lei"]["parking"] is False
    path = tmp_path / "customers.xlsx"
    assert export(path, ExportRequest(), office, approval_id=approved(office)) == 3
    close_database()
    open_database(tmp_path / "second.sqlite3")
    manager = Actor.of(Staff.create(name="赵经理", username="manager", roles="manager,sales"))
    Staff.create(name="王强", username="sales", roles="sales")
    add_fields(manager)
    preview = preview_import(path, manager)
    assert [r.reasons for r in preview.rows] == ["", "", ""]
    commit_import(preview, manager)
    assert _office_values() == before


def test_the_template_carries_the_office_fields_and_imports_back(office, tmp_path):
    add_fields(office)
    path = tmp_path / "template.xlsx"
    write_import_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[-5:] == ["贵宾起始日", "需要车位", "工作年限", "俱乐部", "意向金(元)"]
    explained = {r[1].value: r[4].value for r in book.worksheets[1].iter_rows(min_row=2)}
    assert explained["俱乐部"] == "高尔夫、网球"
    assert explained["工作年限"] == "数字，如 12.5"
    sheet.delete_rows(2)
    sheet.append({headers.index("客户名称*") + 1: "吴九", headers.index("工作年限") + 1: 7,
                  headers.index("俱乐部") + 1: "网球", headers.index("需要车位") + 1: "否"})
    book.save(path)
    preview = preview_import(path, office)
    assert [r.reasons for r in preview.rows] == [""]
    commit_import(preview, office)
    assert _office_values()["吴九"] == {"work_years": Decimal(7), "club": "tennis",
                                       "parking": False}


def _headers(path) -> list[str]:
    return [c.value.rstrip("*") for c in load_workbook(path).worksheets[0][1]]


def test_hidden_built_in_fields_are_left_off_export_template_and_printed_card(office, tmp_path):
    zhang = Customer.get(Customer.name == "张三").id
    card = customers.get_card(zhang)
    card.values["alias"] = "老张"
    customers.save_card(card, office, accept_incomplete=True)
    office_fields.hide_builtin("alias", True, office)
    office_fields.hide_builtin("education", True, office)
    exported, template = tmp_path / "customers.xlsx", tmp_path / "template.xlsx"
    export(exported, ExportRequest(), office, approval_id=approved(office))
    write_import_template(template)
    for shown in (_headers(exported), _headers(template)):
        assert "客户名称" in shown and "手机" in shown
        assert "简称/别名" not in shown and "学历" not in shown
    printed = _squeeze("".join(_pages_text(cards_pdf([zhang], office))))
    assert _squeeze("客户名称") in printed and _squeeze("老张") not in printed
    assert _squeeze("简称/别名") not in printed and _squeeze("本科") not in printed
    office_fields.hide_builtin("alias", False, office)
    write_import_template(template)
    assert "简称/别名" in _headers(template)
    printed = _squeeze("".join(_pages_text(cards_pdf([zhang], office))))
    assert _squeeze("简称/别名") in printed and _squeeze("老张") in printed


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
               min_size=1, max_size=30).filter(lambda t: t.strip() == t and t)
DECIMALS = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"),
                       places=3, allow_nan=False, allow_infinity=False)
VALUE_OF = {
    "text": TEXT,
    "number": DECIMALS,
    "money": st.decimals(min_value=0, max_value=Decimal("99999999"), places=2),
    "date": st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31)),
    "choice": st.sampled_from(["a", "b", "c"]),
    "yes_no": st.booleans(),
}
FIELD = st.tuples(st.sampled_from(sorted(KINDS)), st.sampled_from(["person", "profile",
                                                                    "archive", "contact"]),
                  st.sampled_from(["general", "important"]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(definitions=st.lists(FIELD, min_size=1, max_size=4),
       data=st.data())
def test_any_office_fields_and_values_round_trip_through_excel(office, tmp_path, definitions,
                                                               data):
    OfficeValue.delete().execute()
    OfficeFieldRow.delete().execute()
    fields = [office_fields.add_field(FieldDraft(
        f"f{n}", f"字段{n}", f"Field {n}", kind, group, need,
        choices=(("a", "甲", "A"), ("b", "乙", "B"), ("c", "丙", "C")) if kind == "choice"
        else ()), office) for n, (kind, group, need) in enumerate(definitions)]
    wanted = {}
    for customer in Customer.select().where(Customer.kind == "individual"):
        own = {f.key: data.draw(st.none() | VALUE_OF[f.kind.key], label=f"{customer.name} {f.key}")
               for f in fields}
        card = customers.get_card(customer.id)
        card.office = own
        customers.save_card(card, office, accept_incomplete=True)
        wanted[customer.name] = {f.key: f.accept(own[f.key]) for f in fields
                                 if own[f.key] is not None}
    assert {n: v for n, v in _office_values().items() if n in wanted} == wanted
    path = tmp_path / "round.xlsx"
    export(path, ExportRequest(), office, approval_id=approved(office))
    OfficeValue.delete().execute()
    preview = preview_import(path, office, ImportOptions(policy=Policy.FILL))
    assert [r.reasons for r in preview.rows if r.reasons] == []
    commit_import(preview, office)
    assert {n: v for n, v in _office_values().items() if n in wanted} == wanted
