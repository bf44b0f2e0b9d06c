"""Saving archive cards: validation, reminders, versions, kinds, tables and the audit trail."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from crmdesk.errors import IncompleteCardWarning, NotFoundError, StaleCardError, ValidationError
from crmdesk.models import AuditEntry, Counter, Customer, DecisionPerson, Purchase
from crmdesk.models.card import FIELDS, Need
from crmdesk.services import customers
from crmdesk.services.customers import Card
from tests.statements import statements_run


def _labels(problems) -> set[str]:
    return {p.label for p in problems}


def _nothing_written() -> bool:
    return (Customer.select().count() == 0 and AuditEntry.select().count() == 0
            and Counter.get_by_id("archive_no").value == 0)


def test_new_card_starts_with_the_office_defaults(salesperson, level_ids):
    card = customers.new_card(salesperson)
    assert card.values["owner"] == salesperson.staff_id
    assert card.values["registered_by"] == salesperson.staff_id
    assert card.values["level"] == level_ids["C"]
    assert card.values["status"] == "prospect"
    assert card.values["confidentiality"] == "normal"
    assert card.values["first_contact_date"] == dt.date.today()


def test_every_missing_required_field_and_invalid_value_is_listed_at_once(
    salesperson, complete_card,
):
    card = complete_card(
        salesperson, name=" ", status=None, confidentiality="", mobile="1380013800",
        email="zhang@", birth_date="2023-02-30", budget="-5", market_share="120",
    )
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson, accept_incomplete=True)
    assert _labels(refused.value.problems) == {
        "客户名称", "客户状态", "保密级别", "手机", "电子邮箱", "出生日期", "预算(元)",
    }
    assert {p.field for p in refused.value.problems} == {
        "name", "status", "confidentiality", "mobile", "email", "birth_date", "budget",
    }
    message = str(refused.value)
    assert "客户名称" in message
    assert "出生日期" in message
    assert _nothing_written()


def test_required_fields_left_out_of_the_card_are_reported_too(salesperson):
    card = Card(values={"mobile": "13800138000"})
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson, accept_incomplete=True)
    required = {spec.label for spec in FIELDS.values() if spec.need is Need.REQUIRED}
    assert _labels(refused.value.problems) == required
    assert _nothing_written()


def test_blank_new_card_is_refused_for_its_missing_name(salesperson):
    with pytest.raises(ValidationError) as refused:
        customers.save_card(customers.new_card(salesperson), salesperson, accept_incomplete=True)
    assert _labels(refused.value.problems) == {"客户名称"}
    assert _nothing_written()


def test_unknown_owner_and_level_are_refused(salesperson, complete_card):
    card = complete_card(salesperson, owner=9999, level=9999)
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    assert _labels(refused.value.problems) == {"负责销售", "客户级别"}


def test_choice_outside_the_list_is_refused(salesperson, complete_card):
    card = complete_card(salesperson, gender="unknown", status="male")
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    assert _labels(refused.value.problems) == {"性别", "客户状态"}


def test_single_choice_takes_only_one_option(salesperson, complete_card):
    card = complete_card(salesperson, gender="male,female")
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    assert _labels(refused.value.problems) == {"性别"}


def test_multiple_choice_keeps_every_option(salesperson, complete_card):
    card = complete_card(salesperson, purchase_factors="price,quality,service")
    saved = customers.save_card(card, salesperson)
    again = customers.get_card(saved.customer_id)
    assert again.values["purchase_factors"] == "price,quality,service"


def test_typed_values_obey_the_same_rules_as_typed_text(salesperson, complete_card):
    card = complete_card(salesperson, budget=Decimal("-5"), mobile=1380013800, employees=12)
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    assert _labels(refused.value.problems) == {"预算(元)", "手机"}
    assert _nothing_written()


def test_values_are_stored_in_their_clean_form(salesperson, complete_card):
    card = complete_card(
        salesperson, mobile="+86 138-0013-8000", phone="(021) 6552-9988",
        birth_date="1980年5月6日", budget="¥12,345.6", email=" zhang@example.com ",
        consent="是",
    )
    saved = customers.save_card(card, salesperson)
    row = Customer.get_by_id(saved.customer_id)
    assert row.mobile == "13800138000"
    assert row.phone == "02165529988"
    assert row.birth_date == dt.date(1980, 5, 6)
    assert row.budget == Decimal("12345.60")
    assert row.email == "zhang@example.com"
    assert row.consent is True


def test_important_field_reminder_lists_every_empty_important_field(salesperson):
    card = customers.new_card(salesperson)
    card.values["name"] = "张三"
    with pytest.raises(IncompleteCardWarning) as reminded:
        customers.save_card(card, salesperson)
    assert _labels(reminded.value.missing) == {
        "客户来源", "同意建档", "手机", "地址", "工作单位", "客户需求",
    }
    assert _nothing_written()


def test_incomplete_card_is_saved_once_the_user_accepts(salesperson):
    card = customers.new_card(salesperson)
    card.values["name"] = "张三"
    saved = customers.save_card(card, salesperson, accept_incomplete=True)
    assert saved.created
    assert Customer.get_by_id(saved.customer_id).name == "张三"


def test_organisation_is_not_reminded_of_an_employer(salesperson):
    card = customers.new_card(salesperson, "organisation")
    card.values["name"] = "上海恒通物流有限公司"
    with pytest.raises(IncompleteCardWarning) as reminded:
        customers.save_card(card, salesperson)
    assert _labels(reminded.value.missing) == {"客户来源", "同意建档", "手机", "地址", "客户需求"}


def test_fields_of_the_other_kind_are_cleared_when_an_individual_becomes_an_organisation(
    salesperson, complete_card,
):
    card = complete_card(salesperson, home_phone="021-65529988", spouse_name="李梅",
                         family="三口之家", gender="male", car_brand="大众")
    saved = customers.save_card(card, salesperson)
    card = customers.get_card(saved.customer_id)
    card.values.update(kind="organisation", licence_no="91310000123456789X", employees="120")
    customers.save_card(card, salesperson)
    row = Customer.get_by_id(saved.customer_id)
    assert row.kind == "organisation"
    assert (row.employer, row.home_phone, row.spouse_name, row.family, row.gender,
            row.car_brand) == (None, None, None, None, None, None)
    assert row.licence_no == "91310000123456789X"
    assert row.employees == 120
    assert row.mobile == "13800138000"


def test_fields_of_the_other_kind_are_cleared_when_an_organisation_becomes_an_individual(
    salesperson, complete_card,
):
    card = complete_card(salesperson, "organisation", name="恒通物流", tax_no="91310000X",
                         legal_rep_name="孙总", legal_rep_mobile="13900001111",
                         market_share="12%")
    saved = customers.save_card(card, salesperson)
    card = customers.get_card(saved.customer_id)
    assert card.values["market_share"] == 12
    card.values.update(kind="individual", employer="恒通物流")
    customers.save_card(card, salesperson)
    row = Customer.get_by_id(saved.customer_id)
    assert (row.tax_no, row.legal_rep_name, row.legal_rep_mobile, row.market_share) == (
        None, None, None, None)
    assert row.employer == "恒通物流"


def test_version_goes_up_on_every_save(salesperson, complete_card):
    saved = customers.save_card(complete_card(salesperson), salesperson)
    assert saved.version == 1
    versions = [Customer.get_by_id(saved.customer_id).version]
    for number in range(3):
        card = customers.get_card(saved.customer_id)
        card.values["notes"] = f"第{number}次修改"
        result = customers.save_card(card, salesperson)
        versions.append(Customer.get_by_id(saved.customer_id).version)
        assert result.version == versions[-1]
    assert versions == [1, 2, 3, 4]


def test_saving_an_unchanged_card_still_counts_a_version_but_changes_nothing(
    salesperson, complete_card,
):
    saved = customers.save_card(complete_card(salesperson), salesperson)
    result = customers.save_card(customers.get_card(saved.customer_id), salesperson)
    assert result.version == 2
    assert result.changed == ()
    assert not result.created


def test_second_desk_saving_the_same_loaded_card_is_refused(salesperson, manager, complete_card):
    saved = customers.save_card(complete_card(salesperson), salesperson)
    at_front_desk = customers.get_card(saved.customer_id)
    at_manager = customers.get_card(saved.customer_id)
    at_front_desk.values["mobile"] = "13911112222"
    customers.save_card(at_front_desk, salesperson)
    audited = AuditEntry.select().count()

    at_manager.values["mobile"] = "13533334444"
    at_manager.values["notes"] = "经理的修改"
    at_manager.purchases = [{"date": "2023-05-06", "product": "轿车 A 型", "quantity": "1",
                             "amount": "158000"}]
    with pytest.raises(StaleCardError, match=saved.archive_no):
        customers.save_card(at_manager, manager)

    row = Customer.get_by_id(saved.customer_id)
    assert row.mobile == "13911112222"
    assert row.notes is None
    assert row.version == 2
    assert Purchase.select().count() == 0
    assert AuditEntry.select().count() == audited


def test_caller_card_is_left_as_it_was(salesperson, complete_card):
    card = complete_card(salesperson, mobile="138 0013 8000")
    customers.save_card(card, salesperson)
    assert card.id is None
    assert card.version == 0
    assert card.values["mobile"] == "138 0013 8000"


def test_decision_people_and_purchases_come_back_as_saved(salesperson, complete_card):
    card = complete_card(salesperson, "organisation", name="恒通物流")
    card.decision_people = [
        {"name": "孙总", "role": "decision_maker", "title": "总经理", "phone": "021-6552 9988",
         "attitude": "support", "notes": "拍板的人"},
        {"name": "钱会计", "role": "influencer", "title": None, "phone": None,
         "attitude": "neutral", "notes": None},
    ]
    card.purchases = [
        {"date": "2023年5月6日", "product": "商务车 C 型", "quantity": "3", "amount": "420,000.5"},
        {"date": "2023-04-02", "product": "延保服务", "quantity": "1", "amount": "¥9000"},
    ]
    saved = customers.save_card(card, salesperson)
    again = customers.get_card(saved.customer_id)
    assert again.decision_people == [
        {"name": "孙总", "role": "decision_maker", "title": "总经理", "phone": "02165529988",
         "attitude": "support", "notes": "拍板的人"},
        {"name": "钱会计", "role": "influencer", "title": None, "phone": None,
         "attitude": "neutral", "notes": None},
    ]
    assert again.purchases == [
        {"date": dt.date(2023, 4, 2), "product": "延保服务", "quantity": 1,
         "amount": Decimal("9000.00")},
        {"date": dt.date(2023, 5, 6), "product": "商务车 C 型", "quantity": 3,
         "amount": Decimal("420000.50")},
    ]
    # Saving the reloaded card again keeps the rows as they are, not doubled.
    customers.save_card(again, salesperson)
    assert customers.get_card(saved.customer_id).purchases == again.purchases
    assert DecisionPerson.select().count() == 2


def test_blank_rows_of_a_table_are_dropped(salesperson, complete_card):
    card = complete_card(salesperson)
    card.purchases = [{"date": "", "product": " ", "quantity": None, "amount": None},
                      {"date": "2023-05-06", "product": "配件包", "quantity": "2", "amount": "300"}]
    saved = customers.save_card(card, salesperson)
    assert [p["product"] for p in customers.get_card(saved.customer_id).purchases] == ["配件包"]


def test_row_problems_name_the_table_the_row_and_the_column(salesperson, complete_card):
    card = complete_card(salesperson)
    card.decision_people = [
        {"name": "孙总", "role": "decision_maker"},
        {"name": "", "role": "boss", "phone": "65529988"},
    ]
    card.purchases = [
        {"date": "2023-05-06", "product": "配件包", "quantity": "2", "amount": "-300"},
        {},
        {"date": "2023-02-30", "product": "延保服务", "quantity": "一", "amount": "100"},
    ]
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    by_field = {p.field: p.label for p in refused.value.problems}
    assert set(by_field) == {
        "decision_people.2.name", "decision_people.2.role", "decision_people.2.phone",
        "purchases.1.amount", "purchases.3.date", "purchases.3.quantity",
    }
    for where, (table, row, column) in {
        "decision_people.2.name": ("决策相关人", "2", "姓名"),
        "decision_people.2.phone": ("决策相关人", "2", "电话"),
        "purchases.1.amount": ("购买信息", "1", "金额(元)"),
        "purchases.3.date": ("购买信息", "3", "日期"),
        "purchases.3.quantity": ("购买信息", "3", "数量"),
    }.items():
        assert table in by_field[where]
        assert row in by_field[where]
        assert column in by_field[where]
    assert _nothing_written()


def test_creating_a_card_is_audited_with_its_values(salesperson, complete_card):
    saved = customers.save_card(complete_card(salesperson, mobile="13800138000"), salesperson)
    entry = AuditEntry.get(AuditEntry.customer == saved.customer_id)
    assert entry.action == "create"
    assert entry.actor_id == salesperson.staff_id
    changes = json.loads(entry.details)["changes"]
    assert changes["name"] == ["", "张三"]
    assert changes["mobile"] == ["", "138 0013 8000"]
    assert "notes" not in changes


def test_update_is_audited_with_old_and_new_value_of_each_changed_field(
    salesperson, manager, complete_card,
):
    saved = customers.save_card(complete_card(salesperson), salesperson)
    card = customers.get_card(saved.customer_id)
    card.values.update(mobile="139 1111 2222", budget="1000", address="上海市长宁路1号")
    result = customers.save_card(card, manager)
    assert set(result.changed) == {"mobile", "budget"}
    entry = (AuditEntry.select().where(AuditEntry.action == "update")
             .order_by(AuditEntry.id.desc()).get())
    assert entry.actor_id == manager.staff_id
    assert entry.customer_id == saved.customer_id
    assert json.loads(entry.details)["changes"] == {
        "mobile": ["138 0013 8000", "139 1111 2222"],
        "budget": ["", "1,000.00"],
    }


def test_referrer_is_found_by_archive_number(salesperson, complete_card):
    first = customers.save_card(complete_card(salesperson), salesperson)
    second = customers.save_card(
        complete_card(salesperson, name="李四", referrer=first.archive_no.lower()), salesperson)
    assert Customer.get_by_id(second.customer_id).referrer_id == first.customer_id
    with pytest.raises(ValidationError) as refused:
        customers.save_card(complete_card(salesperson, name="王五", referrer="KH1999000001"),
                            salesperson)
    assert _labels(refused.value.problems) == {"介绍人"}


def test_opening_a_card_that_does_not_exist_is_an_error(archive):
    with pytest.raises(NotFoundError):
        customers.get_card(12345)


@pytest.mark.parametrize("amount", ["9999999999999.99", "1234567890123.45", "0.10", "0.01"])
def test_amounts_come_back_to_the_cent(salesperson, complete_card, amount):
    saved = customers.save_card(complete_card(salesperson, budget=amount), salesperson)
    assert Customer.get_by_id(saved.customer_id).budget == Decimal(amount)
    assert customers.get_card(saved.customer_id).values["budget"] == Decimal(amount)


def test_amount_too_large_to_keep_to_the_cent_is_refused(salesperson, complete_card):
    card = complete_card(salesperson, budget="99999999999999.99")
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    assert _labels(refused.value.problems) == {"预算(元)"}


def test_opening_a_full_card_takes_at_most_eight_statements(manager, salesperson,
                                                             complete_card, caplog):
    from crmdesk.services.contacts import Contact, log_contact

    saved = customers.save_card(complete_card(salesperson), salesperson)
    for position in range(3):
        DecisionPerson.create(customer=saved.customer_id, position=position,
                              name=f"决策人{position}", role="decision_maker")
        Purchase.create(customer=saved.customer_id, date=dt.date(2026, 1, 1 + position),
                        product="轿车", quantity=1, amount=Decimal("150000"))
    for day in range(1, 6):
        log_contact(saved.customer_id, Contact(dt.datetime(2026, 2, day, 10), "phone", "回访"),
                    salesperson)
    for actor in (salesperson, manager):
        card = customers.open_card(saved.customer_id, actor)
        assert (len(card.decision_people), len(card.purchases), len(card.communications)) == (
            3, 3, 5)
        opening = statements_run(caplog, lambda a=actor: customers.open_card(saved.customer_id, a))
        assert len(opening) <= 8, opening
    assert AuditEntry.select().where(AuditEntry.action == "open_card").count() == 4


def test_a_card_refused_is_refused_before_anything_is_recorded(salesperson, complete_card):
    from crmdesk.models import Staff
    from crmdesk.services.accounts import PermissionDenied
    from crmdesk.services.context import Actor

    saved = customers.save_card(complete_card(salesperson, confidentiality="confidential"),
                                salesperson)
    other = Actor.of(Staff.create(name="李娜", username="lina", roles="sales"))
    entries = AuditEntry.select().count()
    with pytest.raises(PermissionDenied, match="机密"):
        customers.open_card(saved.customer_id, other)
    with pytest.raises(PermissionDenied):
        customers.open_card(saved.customer_id + 100, other)
    assert AuditEntry.select().count() == entries
