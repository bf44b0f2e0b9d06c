"""A section's chart leaves out the total row and nothing else (a table without a total, such as
the discipline per salesperson or the funnel, charts every row)."""
from __future__ import annotations

import datetime as dt

from crmdesk.i18n import _
from crmdesk.services.statistics.documents import chart_tables
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Figure, Report, Section


def _section(*labels: str) -> Section:
    return Section("t", ("who", "n"), tuple((Figure(label), Figure(i)) for i, label in
                                           enumerate(labels)), (1,))


def test_the_total_is_left_out_of_the_chart_and_only_the_total():
    with_total, without = _section("甲", "乙", _("Total")), _section("甲", "乙", "丙")
    assert [row[0].value for row in with_total.groups()] == ["甲", "乙"]
    assert [row[0].value for row in without.groups()] == ["甲", "乙", "丙"]
    report = Report("x", "x", Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)), "month", "",
                    (with_total, without))
    assert [len(table.series[0][1]) for table in chart_tables(report)] == [2, 3]
