"""Imports use the duplicate rule's keys beyond phone and name + company."""
from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from crmdesk.services.imports.dry_run import preview_import

from .conftest import add_customer


def test_a_row_with_a_known_name_and_birth_date_is_a_duplicate(manager, tmp_path):
    known = add_customer(manager, name="李雷", birth_date=dt.date(1980, 6, 10),
                         mobile="13700001111", employer="甲公司")
    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "手机", "出生日期", "工作单位"])
    sheet.append(["李雷", "13700002222", "1980-06-10", "乙公司"])
    sheet.append(["韩梅梅", "13700003333", "1981-01-01", "乙公司"])
    book.save(tmp_path / "people.xlsx")
    preview = preview_import(tmp_path / "people.xlsx", manager)
    matches = {row.values["name"]: row.match for row in preview.rows}
    assert matches["李雷"].customer_id == known
    assert "出生日期" in str(matches["李雷"]) or "birth" in str(matches["李雷"])
    assert matches["韩梅梅"] is None


def test_matches_are_found_in_every_batch_of_keys_whatever_its_size(manager):
    from crmdesk.services.duplicate_rule import strong_matches

    born = dt.date(1975, 3, 4)
    known = [add_customer(manager, name=name, birth_date=born, mobile=f"1370000100{i}")
             for i, name in enumerate(("赵一", "钱二", "孙三"))]
    cards = [{"name": name, "birth_date": born, "mobile": f"1390000200{i}", "kind": "individual"}
             for i, name in enumerate(("赵一", "钱二", "孙三", "李四"))]
    # Batches of two keys: the names come in a batch of two and a last one of one.
    hits = strong_matches(cards, batch=2)
    assert [hit.customer_id if hit else None for hit in hits] == [*known, None]


def test_cards_taken_a_few_at_a_time_find_the_same_matches(manager, monkeypatch):
    from crmdesk.services import duplicate_rule

    born = dt.date(1975, 3, 4)
    known = {name: add_customer(manager, name=name, birth_date=born, mobile=f"1370000100{i}",
                                employer="甲公司")
             for i, name in enumerate(("赵一", "钱二", "孙三", "周五"))}
    # Matched by name and birth date, by a phone, by name and company; one matches nothing.
    cards = [{"name": "赵一", "birth_date": born, "kind": "individual"},
             {"name": "陈七", "mobile": "13700001001", "kind": "individual"},
             {"name": "李四", "mobile": "13900002000", "kind": "individual"},
             {"name": "孙三", "employer": "甲公司", "kind": "individual"},
             {"name": "周五", "birth_date": born, "kind": "individual"}]
    whole = duplicate_rule.strong_matches(cards)
    assert [hit.customer_id if hit else None for hit in whole] == [
        known["赵一"], known["钱二"], None, known["孙三"], known["周五"]]
    monkeypatch.setattr(duplicate_rule, "STRONG_CHUNK", 2)  # chunks of 2, 2 and 1
    assert duplicate_rule.strong_matches(cards) == whole
