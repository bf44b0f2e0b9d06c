"""The overdue follow-up list (逾期跟进): on the follow-up page, exported, and printed grouped by
owner. Its rows are ``services.followup.FollowUpRow``."""
from __future__ import annotations

from crmdesk.i18n import N_
from crmdesk.models.card import CONTACT_METHODS, SOURCES
from crmdesk.models.lists import kinds
from crmdesk.models.lists.columns import ColumnList, ListColumn, says

OVERDUE_LIST = ColumnList("overdue", (
    ListColumn("days_overdue", says(N_("Days overdue")), kinds.OVERDUE_DAYS),
    ListColumn("next_follow_up", says(N_("Next follow-up")), kinds.DAY),
    ListColumn("archive_no", says(N_("Archive no.")), kinds.ARCHIVE_NO),
    ListColumn("name", says(N_("Name")), kinds.NAME),
    ListColumn("level_code", says(N_("Level")), kinds.CODE),
    ListColumn("owner_name", says(N_("Salesperson")), kinds.PERSON),
    ListColumn("last_contact_at", says(N_("Last contact")), kinds.LAST_CONTACT),
    ListColumn("last_method", says(N_("Method")), kinds.choices(CONTACT_METHODS)),
    ListColumn("last_conclusion", says(N_("Last conclusion")), kinds.LINE),
    ListColumn("mobile", says(N_("Mobile")), kinds.PHONE),
    ListColumn("source", says(N_("Source")), kinds.choices(SOURCES)),
))
