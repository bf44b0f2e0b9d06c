"""``crmdesk value``: counts per grade, the list of a grade, and setting the bars."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from crmdesk.cli import main
from crmdesk.models import Purchase
from crmdesk.services import customers
from tests.backends import location_options


def _run(archive, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", "manager", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_value_counts_lists_and_sets_the_bars(archive, manager, capsys):
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    for _ in range(4):
        Purchase.create(customer=customer_id, date=dt.date(2026, 5, 1), product="办公椅",
                        quantity=1, amount=Decimal("10000.50"))

    code, out, err = _run(archive, capsys, "value", "--json")
    assert code == 0, err
    assert [(c["grade"], c["customers"]) for c in json.loads(out)] == [
        ("main", 0), ("general", 1), ("scattered", 0)]

    code, out, err = _run(archive, capsys, "value", "--set", "3", "40000", "1", "100",
                          "--grade", "main", "--json")
    assert code == 0, err
    [row] = json.loads(out)
    assert (row["orders"], row["amount"]) == (4, "40002.00")

    code, _out, err = _run(archive, capsys, "value", "--set", "3", "lots", "1", "100")
    assert code == 1 and "whole number" in err
