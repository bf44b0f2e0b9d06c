"""The manager's statistics: every figure equals a count made independently from the raw
tables, across week, month and year boundaries; what each figure counts; who may read what."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import openpyxl
import pytest

from crmdesk.models import AuditEntry, Customer, Deal, Staff, Visit
from crmdesk.services import complaints, statistics
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.statistics.documents import report_pdf, write_report
from crmdesk.services.statistics.periods import Period, bucket_label, buckets, period_of

# A year end that is also a week boundary problem: 2025-12-29 is a Monday in ISO week 2026-W01.
START, END = dt.date(2025, 12, 20), dt.date(2026, 1, 12)


def test_periods_start_weeks_on_monday_and_cut_buckets_to_the_range():
    assert period_of("week", dt.date(2026, 1, 1)) == Period(dt.date(2025, 12, 29),
                                                            dt.date(2026, 1, 4))
    assert period_of("quarter", dt.date(2026, 5, 31)) == Period(dt.date(2026, 4, 1),
                                                                dt.date(2026, 6, 30))
    weeks = buckets(Period(START, END), "week")
    assert weeks[0] == Period(START, dt.date(2025, 12, 21))
    assert weeks[-1] == Period(dt.date(2026, 1, 12), END)
    assert bucket_label(dt.date(2025, 12, 29), "week") == "2026-W01"
    assert [bucket_label(b.start, "month") for b in buckets(Period(START, END), "month")] == [
        "2025-12", "2026-01"]


@pytest.fixture
def office(archive, manager, salesperson):
    """Random visits (some at 23:59 and 00:00 around the boundaries) and deals."""
    rng = random.Random(7)
    other = Staff.create(name="陈明", username="chen", roles="sales")
    sellers = [manager.staff_id, salesperson.staff_id, other.id]
    now = dt.datetime(2026, 1, 20)
    for i in range(60):
        Customer.create(archive_no=f"KH{i:06d}", name=f"客户{i}", created_at=now,
                        updated_at=now, owner=rng.choice(sellers), source="visit",
                        status="following")
    ids = [c.id for c in Customer.select(Customer.id)]
    for _i in range(300):
        day = START - dt.timedelta(days=3) + dt.timedelta(days=rng.randint(0, 30))
        moment = dt.datetime.combine(day, rng.choice((dt.time(0, 0), dt.time(10, 15),
                                                      dt.time(23, 59, 59))))
        customer = rng.choice([*ids, None])
        Visit.create(arrived_at=moment, channel=rng.choice(("visit", "call")), name="x",
                     phone="13800138000", party_size=rng.randint(1, 4),
                     source=rng.choice(("visit", "call", None)),
                     salesperson=rng.choice(sellers), customer=customer,
                     returning=rng.random() < 0.4)
    for cid in rng.sample(ids, 20):
        Deal.create(customer=cid, closed_on=START + dt.timedelta(days=rng.randint(-5, 40)),
                    salesperson=manager.staff_id, recorded_at=now)
    return sellers


def _raw_visits(start: dt.date, end: dt.date, staff_id: int | None = None) -> list[Visit]:
    rows = [v for v in Visit.select()
            if start <= v.arrived_at.date() <= end]
    return [v for v in rows if staff_id is None or v.salesperson_id == staff_id]


def _listed(figure: statistics.Figure, actor: Actor) -> set[int]:
    """The ids a click on ``figure`` lists (visits, customers or complaints)."""
    return {row.id for row in statistics.drill(figure, actor)}


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_visitor_figures_equal_counts_from_the_register(office, manager, by):
    report = statistics.run("visitors", Period(START, END), manager, by)
    section = report.sections[0]
    assert len(section.rows) == len(buckets(Period(START, END), by)) + 1
    for bucket, row in zip(buckets(Period(START, END), by), section.rows, strict=False):
        raw = _raw_visits(bucket.start, bucket.end)
        assert row[0].value == bucket_label(bucket.start, by)
        assert row[1].value == sum(v.channel == "visit" for v in raw)
        assert row[2].value == sum(v.channel == "call" for v in raw)
        assert row[3].value == sum(not v.returning for v in raw)
        assert _listed(row[4], manager) == {v.id for v in raw if v.returning}
        assert row[5].value == sum(v.party_size for v in raw if v.channel == "visit")
    total = section.rows[-1]
    raw = _raw_visits(START, END)
    deals = {(d.customer_id, d.closed_on) for d in Deal.select()}
    won = {v.customer_id for v in raw if v.customer_id and any(
        c == v.customer_id and v.arrived_at.date() <= day <= v.arrived_at.date()
        + dt.timedelta(days=30) for c, day in deals)}
    assert (total[1].value + total[2].value, _listed(total[7], manager)) == (len(raw), won)
    groups = report.sections[1].rows[:-1]  # by source, before the total
    assert sum(row[1].value + row[2].value for row in groups) == len(raw)


def test_a_salesperson_sees_only_their_own_and_not_the_office(office, salesperson):
    report = statistics.run("visitors", Period(START, END), salesperson, "month")
    total = report.sections[0].rows[-1]
    raw = _raw_visits(START, END, salesperson.staff_id)
    assert total[1].value + total[2].value == len(raw)
    with pytest.raises(PermissionDenied):
        statistics.run("visitors", Period(START, END), salesperson, "month",
                       staff_id=office[0])
    desk = Actor.of(Staff.create(name="李前台", username="desk", roles="frontdesk"))
    with pytest.raises(PermissionDenied):
        statistics.run("growth", Period(START, END), desk)


def test_reading_a_report_is_audited(office, manager):
    statistics.run("growth", Period(START, END), manager)
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "report" and '"growth"' in entry.details


def test_conversion_counts_deals_of_archives_first_contacted_in_the_period(office, manager):
    Customer.update(first_contact_date=dt.date(2026, 1, 5)).where(Customer.id <= 30).execute()
    Customer.update(first_contact_date=dt.date(2025, 11, 1)).where(Customer.id > 30).execute()
    report = statistics.run("conversion", Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
                            manager)
    _visits, archives, _hot, won = (row[1] for row in report.sections[0].rows)
    first = {c.id for c in Customer.select().where(Customer.id <= 30)}
    expected = {d.customer_id for d in Deal.select() if d.customer_id in first
                and d.closed_on >= dt.date(2026, 1, 5)}
    assert _listed(archives, manager) == first
    assert _listed(won, manager) == expected
    assert {r.customer_id for r in statistics.drill(won, manager)} == expected


def test_complaint_statistics_by_month_and_category(office, manager, salesperson):
    customer = Customer.select().where(Customer.owner == salesperson.staff_id).first()
    for day, category in ((dt.datetime(2025, 12, 31, 23, 59), "delivery"),
                          (dt.datetime(2026, 1, 1, 0, 0), "delivery"),
                          (dt.datetime(2026, 1, 2, 9, 0), "service")):
        complaints.record_complaint(customer.id, complaints.NewComplaint(
            day, "call", "不满", category), salesperson)
    first = complaints.overdue(dt.date(2026, 12, 31), manager)[-1].id
    complaints.close(first, dt.date(2026, 1, 6), "已处理", "satisfied", salesperson)
    report = statistics.run("complaints", Period(dt.date(2025, 12, 1), dt.date(2026, 1, 31)),
                            manager, "month")
    months = {row[0].value: row for row in report.sections[0].rows}
    assert (months["2025-12"][1].value, months["2026-01"][1].value) == (1, 2)
    categories = {row[0].value: row[1].value for row in report.sections[1].rows}
    assert categories["交付延误"] == 2
    assert [r.cells[2] for r in statistics.drill(months["2026-01"][1], manager)] == [
        customer.archive_no] * 2


def test_report_prints_with_a_chart_and_exports_a_workbook_with_a_chart(office, manager,
                                                                        tmp_path):
    import subprocess

    report = statistics.run("visitors", Period(START, END), manager, "week")
    pdf = tmp_path / "visitors.pdf"
    pdf.write_bytes(report_pdf(report, manager))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "来人来电统计" in text and "2026-W01" in text
    book = tmp_path / "visitors.xlsx"
    write_report(report, book, manager)
    loaded = openpyxl.load_workbook(book)
    sheet = loaded.worksheets[0]
    assert sheet.cell(4, 1).value == bucket_label(START, "week")
    total = report.sections[0].rows[-1]
    last = max(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value)
    assert sheet.cell(last, 2).value == total[1].value
    import zipfile

    assert any(name.startswith("xl/charts/chart") for name in zipfile.ZipFile(book).namelist())
    actions = Counter(e.action for e in AuditEntry.select())
    assert actions["print"] == 1 and actions["export"] == 1
