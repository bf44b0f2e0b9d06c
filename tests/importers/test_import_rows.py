"""Rows written by a commit: values skip ``db_value`` only where it would give them back as is."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmdesk.models import Customer, ImportItem
from crmdesk.services.imports.new_archives import converter, unchanged_types

_SAMPLES = ("", "张三", "13800138000", 0, 7, 2**40, -3, True, False, 1.5, Decimal("12.345"),
            Decimal("0"), dt.date(2023, 5, 6), dt.datetime(2023, 5, 6, 9, 30),
            dt.datetime(2023, 5, 6), "2023-05-06", "2023-05-06 09:30:00", None)


def test_values_kept_as_they_are_are_exactly_what_db_value_gives():
    for model in (Customer, ImportItem):
        for field in model._meta.sorted_fields:
            keep = unchanged_types(field)
            convert = converter(field)
            for value in _SAMPLES:
                try:
                    stored = field.db_value(value)
                except ArithmeticError:  # text given to an amount: the commit never does
                    continue
                if value is None or type(value) in keep:
                    assert stored is value, (field.name, value)
                assert convert(value) == stored, (field.name, value)
                assert type(convert(value)) is type(stored), (field.name, value)
