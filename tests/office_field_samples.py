"""Office fields the tests add as a manager would: 工作年限 from the personal template and more."""
from __future__ import annotations

from crmdesk.models.office_fields import OfficeField
from crmdesk.services import office_fields
from crmdesk.services.context import Actor
from crmdesk.services.office_fields import FieldDraft

WORK_YEARS = FieldDraft("work_years", "工作年限", "Years of work", "number", "person",
                        need="important", applies="individual")
CLUB = FieldDraft("club", "俱乐部", "Club", "choice", "profile",
                  choices=(("golf", "高尔夫", "Golf"), ("tennis", "网球", "Tennis")))
VIP_SINCE = FieldDraft("vip_since", "贵宾起始日", "VIP since", "date", "archive")
DEPOSIT = FieldDraft("deposit", "意向金(元)", "Deposit (yuan)", "money", "opportunity")
PARKING = FieldDraft("parking", "需要车位", "Needs parking", "yes_no", "contact")
EVERY_KIND = (WORK_YEARS, CLUB, VIP_SINCE, DEPOSIT, PARKING)


def add_fields(actor: Actor, *drafts: FieldDraft) -> list[OfficeField]:
    """Add ``drafts`` (all of ``EVERY_KIND`` when none are given) as office fields."""
    return [office_fields.add_field(d, actor) for d in drafts or EVERY_KIND]
