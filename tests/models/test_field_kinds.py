"""Field kinds as type objects: each kind parses, shows, writes to Excel and prints its values,
and every value comes back from what the kind shows or writes."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from crmdesk import i18n
from crmdesk.exporters.columns import Table, column
from crmdesk.exporters.excel import write_xlsx
from crmdesk.importers.cells import Lookups
from crmdesk.models import office_kinds
from crmdesk.models.card import Choice, Column, FieldSpec
from crmdesk.models.fieldtypes import Editor, Kind
from crmdesk.models.parsers import ValueProblem
from crmdesk.printing.values import column_text, field_text

CHOICES = (Choice("home", "家用", "Home"), Choice("office", "办公", "Office"),
           Choice("gift", "送礼", "Gift"))
NAMES = Lookups(staff={"王强": 7}, levels={"a": 3}, level_codes=("A",))
# One value of every kind that holds its own data (references hold ids of other records).
SAMPLES = {
    Kind.TEXT: "北京市朝阳区建国路 1 号",
    Kind.LONGTEXT: "第一行\n第二行",
    Kind.CHOICE: "office",
    Kind.MULTICHOICE: "home,gift",
    Kind.DATE: dt.date(2023, 5, 6),
    Kind.MOBILE: "13800138000",
    Kind.PHONE: "01065529988",
    Kind.EMAIL: "zhangsan@example.com",
    Kind.MONEY: Decimal("1234567.50"),
    Kind.INTEGER: 120,
    Kind.PERCENT: 35,
    Kind.NUMBER: Decimal("12.5"),
    Kind.BOOL: True,
}
OWN_DATA = list(SAMPLES)


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def test_every_kind_is_listed_once_with_its_own_key():
    kinds = list(Kind)
    assert len({k.key for k in kinds}) == len(kinds) == 16
    assert set(SAMPLES) | {Kind.STAFF, Kind.LEVEL, Kind.CUSTOMER} == set(kinds)


def test_the_office_chooses_among_the_same_kinds_as_the_card():
    assert office_kinds.KINDS == {"text": Kind.TEXT, "number": Kind.NUMBER,
                                  "money": Kind.MONEY, "date": Kind.DATE,
                                  "choice": Kind.CHOICE, "yes_no": Kind.BOOL}


@pytest.mark.parametrize("kind", OWN_DATA, ids=lambda k: k.key)
def test_what_the_kind_shows_reads_back_as_the_same_value(kind):
    value = SAMPLES[kind]
    shown = kind.display(value)
    if kind.editor in (Editor.CHOICE, Editor.CHOICES):
        assert kind.accept(shown, CHOICES) == value  # shown without labels: the keys
    else:
        assert kind.read(shown) == value


@pytest.mark.parametrize("kind", OWN_DATA, ids=lambda k: k.key)
def test_the_excel_cell_of_a_value_imports_back_to_it(kind):
    value = SAMPLES[kind]
    assert kind.from_cell(kind.cell(value, CHOICES), CHOICES, NAMES) == value


@pytest.mark.parametrize("kind", OWN_DATA, ids=lambda k: k.key)
def test_the_stored_text_of_a_value_loads_back_to_it(kind):
    value = SAMPLES[kind]
    assert kind.load(kind.store(value)) == value


@pytest.mark.parametrize(("kind", "printed"), [
    (Kind.CHOICE, "Office"), (Kind.MULTICHOICE, "Home、Gift"), (Kind.DATE, "2023-05-06"),
    (Kind.MOBILE, "138 0013 8000"), (Kind.MONEY, "1,234,567.50"), (Kind.PERCENT, "35%"),
    (Kind.BOOL, "Yes"), (Kind.NUMBER, "12.5"), (Kind.INTEGER, "120"),
], ids=lambda k: getattr(k, "key", k))
def test_the_printed_card_shows_values_as_people_write_them(kind, printed):
    spec = FieldSpec("f", "字段", "Field", kind, choices=CHOICES)
    assert field_text(spec, SAMPLES[kind], {}) == printed
    assert column_text(Column("f", "字段", "Field", kind, CHOICES), SAMPLES[kind]) == printed


def test_a_reference_prints_the_name_the_service_resolved():
    spec = FieldSpec("owner", "负责销售", "Salesperson", Kind.STAFF)
    assert field_text(spec, 7, {"owner": "王强"}) == "王强"


def test_excel_cells_hold_labels_yes_no_and_plain_numbers():
    assert Kind.CHOICE.cell("office", CHOICES) == "Office"
    assert Kind.MULTICHOICE.cell("home,gift", CHOICES) == "Home、Gift"
    assert Kind.BOOL.cell(False) == "No"
    assert Kind.NUMBER.cell(Decimal("3")) == 3
    assert Kind.MONEY.cell(Decimal("12.50")) == Decimal("12.50")
    assert Kind.MONEY.number_format == "#,##0.00" and Kind.DATE.number_format == "yyyy-mm-dd"
    assert Kind.TEXT.number_format is None


def test_each_kind_owns_its_column_in_the_customer_table():
    columns = {kind: type(kind.column("f")) for kind in Kind}
    assert columns[Kind.DATE] is peewee.DateField
    assert columns[Kind.MONEY] is peewee.DecimalField
    assert columns[Kind.INTEGER] is columns[Kind.PERCENT] is peewee.IntegerField
    assert columns[Kind.BOOL] is peewee.BooleanField
    assert columns[Kind.STAFF] is columns[Kind.LEVEL] is peewee.ForeignKeyField
    assert columns[Kind.CUSTOMER] is peewee.ForeignKeyField
    assert columns[Kind.TEXT] is columns[Kind.MOBILE] is columns[Kind.CHOICE] is peewee.TextField
    assert Kind.STAFF.column("owner").declared_backref == "customers_as_owner"


def test_references_come_from_the_names_a_sheet_uses():
    assert Kind.STAFF.from_cell(" 王强 ", (), NAMES) == 7
    assert Kind.LEVEL.from_cell("A", (), NAMES) == 3
    assert Kind.CUSTOMER.from_cell("KH2026000001", (), NAMES) == "KH2026000001"
    with pytest.raises(ValueProblem, match="no member of staff called 李四"):
        Kind.STAFF.from_cell("李四", (), NAMES)
    with pytest.raises(ValueProblem, match=r"no level Z; the levels are A"):
        Kind.LEVEL.from_cell("Z", (), NAMES)


@pytest.mark.parametrize(("kind", "cell", "message"), [
    (Kind.MONEY, "abc", "not an amount: abc"),
    (Kind.MONEY, -5.0, "amounts cannot be negative"),
    (Kind.PERCENT, 120, "between 0 and 100"),
    (Kind.INTEGER, 12.5, "not a whole number: 12.5"),
    (Kind.DATE, "05/06/2023", "day first or month first"),
    (Kind.MOBILE, "1.38001E+10", "last digits are lost"),
    (Kind.EMAIL, "zhang@", "not an e-mail address"),
    (Kind.BOOL, "maybe", "answer yes or no"),
    (Kind.CHOICE, "garden", r"not one of the choices: garden \(choose from Home、Office、Gift\)"),
    (Kind.NUMBER, "twelve", "not a number: twelve"),
], ids=lambda k: getattr(k, "key", None))
def test_a_cell_that_is_no_value_is_refused_saying_why(kind, cell, message):
    with pytest.raises(ValueProblem, match=message):
        kind.from_cell(cell, CHOICES, NAMES)


def test_empty_cells_and_text_are_no_value_for_every_kind():
    for kind in Kind:
        assert kind.from_cell("   ", CHOICES, NAMES) is None
        assert kind.from_cell(None, CHOICES, NAMES) is None
        assert kind.accept("  ", CHOICES) is None
        assert kind.display(None) == "" and kind.display("") == ""


def test_typed_values_obey_the_rules_of_typed_text():
    assert Kind.DATE.accept(dt.datetime(2023, 5, 6, 9, 30)) == dt.date(2023, 5, 6)
    assert Kind.BOOL.accept(False) is False
    with pytest.raises(ValueProblem, match="negative"):
        Kind.MONEY.accept(Decimal("-1"))
    with pytest.raises(ValueProblem, match="not a number"):
        Kind.NUMBER.accept(True)
    with pytest.raises(ValueProblem, match="choose only one"):
        Kind.CHOICE.accept("home,office", CHOICES)
    assert Kind.MULTICHOICE.accept(["home", "office"], CHOICES) == "home,office"
    with pytest.raises(ValueProblem, match="at most 3 characters"):
        Kind.TEXT.accept("四个字符", limit=3)


def test_an_unticked_box_is_an_unanswered_question():
    assert Kind.BOOL.unanswered(False) and not Kind.BOOL.unanswered(True)
    assert Kind.TEXT.unanswered(" ") and not Kind.INTEGER.unanswered(0)


def test_hints_and_guides_speak_the_interface_language():
    assert Kind.DATE.hint() == "yyyy-mm-dd" and Kind.TEXT.hint() == ""
    assert Kind.MONEY.guide() == "an amount, e.g. 12000.50" and Kind.TEXT.guide() == "text"
    i18n.set_language("zh_CN")
    assert Kind.DATE.guide() == i18n._("a date, e.g. 2023-05-06") != "a date, e.g. 2023-05-06"
    assert Kind.NUMBER.guide() == "数字，如 12.5"
    assert Kind.BOOL.label == "是/否"


def test_widths_follow_the_kind():
    assert column("d", "D", Kind.DATE).width == 12
    assert column("n", "N", Kind.LONGTEXT).width == 40
    assert Kind.LONGTEXT.weight > Kind.TEXT.weight > Kind.CHOICE.weight


# Values of each kind a spreadsheet holds exactly (Excel keeps 15 significant digits).
_VALUES = {
    Kind.TEXT: st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs",
                                                                          "Zl", "Zp")),
                       min_size=1, max_size=40),
    Kind.DATE: st.dates(dt.date(1900, 3, 1), dt.date(2200, 12, 31)),
    Kind.MOBILE: st.tuples(st.sampled_from(["138", "139", "150", "186", "177"]),
                           st.from_regex(r"[0-9]{8}", fullmatch=True)).map("".join),
    Kind.MONEY: st.decimals(0, Decimal("999999999999.99"), places=2),
    Kind.INTEGER: st.integers(-10**12, 10**12),
    Kind.PERCENT: st.integers(0, 100),
    Kind.NUMBER: st.decimals(Decimal("-99999999.999"), Decimal("99999999.999"), places=3),
    Kind.BOOL: st.booleans(),
    Kind.CHOICE: st.sampled_from([c.key for c in CHOICES]),
    Kind.MULTICHOICE: st.lists(st.sampled_from([c.key for c in CHOICES]), min_size=1,
                               unique=True).map(",".join),
}


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
def test_every_value_round_trips_through_a_written_workbook(tmp_path, data):
    kinds = list(_VALUES)
    values = [data.draw(_VALUES[kind], label=kind.key) for kind in kinds]
    values = [kind.read(kind.display(v)) if kind in (Kind.TEXT, Kind.NUMBER) else v
              for kind, v in zip(kinds, values, strict=True)]  # as the form keeps them
    path = tmp_path / "kinds.xlsx"
    columns = [column(kind.key, kind.en, kind) for kind in kinds]
    write_xlsx(path, Table("customers", columns,
                           [[kind.cell(v, CHOICES) for kind, v in zip(kinds, values,
                                                                      strict=True)]]))
    row = next(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    back = [kind.from_cell(cell, CHOICES, NAMES) for kind, cell in zip(kinds, row, strict=True)]
    assert back == values
    for kind, value in zip(kinds, back, strict=True):
        assert kind.read(kind.display(value)) == value or kind.editor in (
            Editor.CHOICE, Editor.CHOICES)
