"""The office's important fields in the reminder of archives left incomplete."""
from __future__ import annotations

from dataclasses import replace

from crmdesk.services import customers, office_fields, reminders
from tests.office_field_samples import CLUB, PARKING, WORK_YEARS, add_fields


def test_an_empty_important_office_field_makes_an_archive_incomplete(complete_card, manager,
                                                                     salesperson):
    work_years, _club, parking = add_fields(manager, WORK_YEARS, CLUB,
                                            replace(PARKING, need="important"))
    filled = complete_card(salesperson)
    filled.office = {"work_years": "3", "parking": "是"}
    filled_id = customers.save_card(filled, salesperson).customer_id
    empty = complete_card(salesperson)
    empty.office = {"parking": "否"}  # an unticked box is an unanswered question
    empty_id = customers.save_card(empty, salesperson, accept_incomplete=True).customer_id
    company = complete_card(salesperson, kind="organisation", name="华信科技有限公司")
    company.office = {"parking": "是"}  # 工作年限 is for individuals only
    company_id = customers.save_card(company, salesperson).customer_id
    rows = {r.customer_id: r for r in reminders.incomplete_archives()}
    assert filled_id not in rows and company_id not in rows
    assert rows[empty_id].missing == ("office.parking", "office.work_years")
    assert rows[empty_id].missing_labels == ("需要车位", "工作年限")
    assert reminders.incomplete_count() == 1
    assert {c.owner_name: c.count for c in reminders.incomplete_by_owner()} == {"王强": 1}
    office_fields.set_hidden(work_years.id, True, manager)
    office_fields.set_hidden(parking.id, True, manager)
    assert reminders.incomplete_archives() == []
