"""The strip at the top of the window counts what the lists it opens hold."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Customer
from crmdesk.services import reminders
from crmdesk.services.demo import build_demo
from crmdesk.ui.dashboard import read_figures

TODAY = dt.date(2026, 12, 28)  # the week runs over the new year


def test_the_strips_birthdays_are_the_birthdays_list_of_the_week(archive, manager, salesperson):
    build_demo(80, seed=3, today=TODAY)
    ids = [cid for (cid,) in Customer.select(Customer.id).order_by(Customer.id).tuples()]
    days = [TODAY + dt.timedelta(days=k) for k in (0, 3, 5, 9)]
    for n, cid in enumerate(ids[:24]):
        Customer.update(birth_date=days[n % 4].replace(year=1980),
                        spouse_birth_date=days[(n + 1) % 4].replace(year=1982),
                        owner=salesperson.staff_id if n % 2 else manager.staff_id,
                        ).where(Customer.id == cid).execute()
    for actor in (manager, salesperson):
        listed = reminders.birthdays(TODAY, actor=actor)
        assert len(listed) >= 12
        assert read_figures(actor, TODAY).birthdays == len(listed)
