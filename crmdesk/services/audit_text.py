"""The audit trail in the office's words: each action by name, its details as one readable
line with people's names and archive numbers instead of codes and internal ids.

The stored entries keep their codes (the chain seals them); this is only how they are shown
and exported. An action or a detail this table does not know yet is shown as stored.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from crmdesk.i18n import N_, _
from crmdesk.models.card import CONTACT_METHODS, FIELDS, TABLE_LABELS, table_label
from crmdesk.services.staff import staff_names
from crmdesk.services.visit_register import channel_label

ACTION_TITLES: dict[str, str] = {
    "create": N_("Archive created"), "update": N_("Card changed"),
    "destroy": N_("Archive destroyed"), "open_card": N_("Card opened"),
    "print": N_("Printed"), "export": N_("Exported"), "export_audit": N_("Audit trail exported"),
    "report": N_("Report viewed"), "rebuild_summaries": N_("Statistics summaries rebuilt"),
    "import": N_("Imported"),
    "import_update": N_("Changed by an import"), "import_undo": N_("Import undone"),
    "demo_data": N_("Demo data loaded"), "backup": N_("Backed up"),
    "restore": N_("Backup restored"), "set_readers": N_("Readers of a top-secret card named"),
    "register_visit": N_("Visitor registered"), "visit_departure": N_("Visitor left"),
    "duty_list": N_("Duty list set"), "duty_state": N_("Duty state changed"),
    "log_contact": N_("Contact logged"), "second_archive": N_("Second archive confirmed"),
    "ownership_registration": N_("Owner by first registration"),
    "ownership_transfer": N_("Customer handed over"),
    "ownership_claim": N_("Claimed from the public pool"),
    "ownership_return": N_("Owner on a return after protection lapsed"),
    "appointment_book": N_("Appointment booked"),
    "appointment_cancel": N_("Appointment cancelled"),
    "level_create": N_("Level added"), "level_update": N_("Level changed"),
    "level_preset": N_("Level scheme applied"), "first_admin": N_("Administrator created"),
    "add_staff": N_("Staff added"), "set_roles": N_("Roles changed"),
    "deactivate_staff": N_("Staff deactivated"), "set_password": N_("Password set"),
    "login": N_("Logged in"), "login_failed": N_("Login refused"), "logout": N_("Logged out"),
    "office_settings": N_("Office settings changed"),
    "complaint_record": N_("Complaint recorded"), "complaint_assign": N_("Complaint assigned"),
    "complaint_step": N_("Complaint handled"), "complaint_close": N_("Complaint closed"),
    "deal_record": N_("Deal recorded"), "merge": N_("Archives merged"),
    "merge_undo": N_("Merge undone"), "not_same_person": N_("Marked as different people"),
    "value_grades": N_("Value grades set"), "access_request": N_("Reading asked for"),
    "access_decision": N_("Reading request decided"), "loan_out": N_("Archive lent out"),
    "leak_report": N_("Leak reported"), "recovery_key_used": N_("Recovery key used"),
    "encrypt_archive": N_("Archive encrypted"), "new_recovery_key": N_("Recovery key issued"),
    "review_put_up": N_("Card put up for review"),
    "review_signed": N_("Card review signed"),
    "export_approval_asked": N_("Export approval asked for"),
    "export_approval_decided": N_("Export approval decided"),
    "office_field_add": N_("Office field added"),
    "office_field_change": N_("Office field changed"),
    "office_field_hidden": N_("Office field hidden or shown"),
    "office_field_order": N_("Office fields reordered"),
    "office_field_remove": N_("Office field removed"),
    "builtin_field_hidden": N_("Card field hidden or shown"),
    "list_columns": N_("Customer list's columns chosen"),
    "card_template": N_("Card template chosen"),
}
ROLE_TITLES = {"frontdesk": N_("Front desk"), "sales": N_("Salesperson"),
               "manager": N_("Manager"), "admin": N_("Administrator")}
VALUE_TITLES = {
    "inactive": N_("account deactivated"), "locked": N_("account locked"),
    "present": N_("Present"), "out": N_("Out"), "off": N_("Off duty"),
    "owner": N_("Owner"), "referral": N_("Old customer's salesperson"),
    "rotation": N_("Rotation"), "make_up": N_("Make-up turn"), "override": N_("Override"),
    "manual": N_("Chosen by the desk"), "manager": N_("Manager"),
    "card": N_("archive card"), "log": N_("communication log"), "roster": N_("customer roster"),
    "overdue": N_("overdue list"), "visits": N_("visitor register"),
    "customers": N_("customers"), "communications": N_("communications"),
    "sales_by_year": N_("sales by year"),
    "complaint": N_("complaint"),
}
# Detail keys whose values are codes named in VALUE_TITLES.
CODED_KEYS = frozenset({"reason", "state", "assignment", "printout", "what"})
# Detail keys not worth showing: digests that only the chain check reads.
HIDDEN = frozenset({"accounts", "sha256"})
# Detail keys naming one member of staff, or several, by id.
STAFF_KEYS = frozenset({"staff_id", "salesperson", "handler", "borrower"})
STAFF_LIST_KEYS = frozenset({"staff"})
# old/new pairs: what they hold, by action.
PAIR_KINDS = {"set_roles": "roles", "set_readers": "staff_list", "ownership_registration": "staff",
              "ownership_transfer": "staff", "ownership_claim": "staff",
              "ownership_return": "staff"}
DETAIL_TITLES = {
    "username": N_("User name"), "usernames": N_("User names"), "staff_id": N_("Staff"),
    "staff": N_("Staff"), "salesperson": N_("Salesperson"), "handler": N_("Handler"),
    "reason": N_("Reason"), "locked": N_("Account locked"), "roles": N_("Roles"),
    "can_log_in": N_("Can log in"), "file": N_("File"), "size": N_("Size"),
    "automatic": N_("Automatic"), "removed": N_("Older backups removed"),
    "kept": N_("Previous archive kept as"), "schema": N_("Schema"), "by": N_("By"),
    "damaged": N_("Replaced a damaged archive"), "visit": N_("Visit no."),
    "channel": N_("Channel"), "assignment": N_("Assigned by"), "created": N_("Created"),
    "at": N_("At"), "code": N_("Level"), "interval_days": N_("Follow-up every (days)"),
    "active": N_("Active"), "recomputed": N_("Follow-ups recomputed"), "preset": N_("Scheme"),
    "deactivated": N_("Deactivated"), "seq": N_("Contact no."), "method": N_("Method"),
    "printout": N_("Printout"), "customers": N_("Customers"), "filter": N_("Filter"),
    "as_of": N_("As of"), "visits": N_("Visits"), "start": N_("From"), "end": N_("Until"),
    "batch": N_("Import no."), "updated": N_("Updated"), "skipped": N_("Skipped"),
    "rejected": N_("Rejected"), "archives": N_("Archives"), "deleted": N_("Deleted"),
    "restored": N_("Restored"), "what": N_("What"), "rows": N_("Rows"), "day": N_("Day"),
    "state": N_("State"), "report": N_("Report"), "complaint": N_("Complaint no."),
    "category": N_("Category"), "severity": N_("Severity"), "step": N_("Step"),
    "satisfaction": N_("Satisfaction"), "deal": N_("Deal no."), "closed_on": N_("Closed on"),
    "amount": N_("Amount"), "appointment": N_("Appointment no."), "request": N_("Request no."),
    "loan": N_("Loan no."), "borrower": N_("Borrower"), "remark": N_("Remark"),
    "matches": N_("Similar archives"), "changes": N_("Changes"), "changed": N_("Changed"),
    "communications": N_("Contacts logged"), "complaints": N_("Complaints"),
    "deals": N_("Deals"), "decision_people": N_("Decision people"),
    "purchases": N_("Purchases"),
}
OFFICE_TITLES = {"branch_name": N_("Branch name"), "branch_address": N_("Branch address"),
                 "branch_logo": N_("Logo"), "backup_folder": N_("Backup folder")}


def action_title(action: str) -> str:
    """The action's name in the current language (the code itself when unknown)."""
    title = ACTION_TITLES.get(action)
    return _(title) if title else action


def action_choices(found: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(name, code) of every known action and of ``found`` codes, by name."""
    codes = set(ACTION_TITLES) | set(found)
    return sorted(((action_title(code), code) for code in codes), key=lambda pair: pair[0])


class Describer:
    """Turns entries' details into lines; reads the staff names once."""

    def __init__(self) -> None:
        self.names = staff_names()
        self.methods = {c.key: c.label for c in CONTACT_METHODS}

    def describe(self, action: str, details: dict[str, Any]) -> str:
        """The details of one entry of ``action`` as one line."""
        parts = []
        if "old" in details or "new" in details:
            show = self._show_kind(PAIR_KINDS.get(action, "text"))
            parts.append(_("{old} → {new}").format(old=show(details.get("old")) or "—",
                                                    new=show(details.get("new")) or "—"))
        for key, value in details.items():
            if key in HIDDEN or key in ("old", "new") or value in (None, "", [], {}):
                continue
            title = DETAIL_TITLES.get(key)
            text = self._value(key, value)
            parts.append(f"{_(title)}：{text}" if title else f"{key}: {text}")
        return "；".join(parts)

    def _show_kind(self, kind: str) -> Callable[[Any], str]:
        return {"staff": self._staff, "staff_list": self._staff_list,
                "roles": self._roles}.get(kind, self._plain)

    def _staff(self, value: Any) -> str:
        if value is None:
            return ""
        return self.names.get(value, _("staff #{id}").format(id=value)) if isinstance(
            value, int) else str(value)

    def _staff_list(self, value: Any) -> str:
        return "、".join(self._staff(v) for v in value or [])

    def _roles(self, value: Any) -> str:
        return "、".join(_(ROLE_TITLES.get(r, r)) for r in str(value or "").split(",") if r)

    def _plain(self, value: Any) -> str:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list):
            return "、".join(self._plain(v) for v in value)
        if isinstance(value, dict):
            return "，".join(f"{k} {self._plain(v)}" for k, v in value.items())
        return str(value)

    def _value(self, key: str, value: Any) -> str:
        if key in STAFF_KEYS:
            return self._staff(value)
        if key in STAFF_LIST_KEYS:
            return self._staff_list(value)
        if key == "roles":
            return self._roles(value)
        if key == "channel":
            return channel_label(str(value))
        if key == "method":
            return self.methods.get(value, str(value))
        if key in CODED_KEYS and isinstance(value, str) and value in VALUE_TITLES:
            return _(VALUE_TITLES[value])
        if key in ("file", "kept"):
            return str(value).replace("\\", "/").rsplit("/", 1)[-1]
        if key == "size" and isinstance(value, int):
            return f"{value / 1_000_000:.1f} MB"
        if key == "changes" and isinstance(value, dict):
            return "，".join(f"{_field(k)} {self._change(v)}" for k, v in value.items())
        if key == "changed" and isinstance(value, dict):
            return "，".join(f"{_setting(k)} {self._change(v)}" for k, v in value.items())
        if key == "matches" and isinstance(value, list):
            return "、".join(str(m.get("archive_no", m)) if isinstance(m, dict) else str(m)
                            for m in value)
        return self._plain(value)

    def _change(self, value: Any) -> str:
        if isinstance(value, list) and len(value) == 2:
            return _("{old} → {new}").format(old=self._plain(value[0]) or "—",
                                             new=self._plain(value[1]) or "—")
        return self._plain(value)


def _field(name: str) -> str:
    spec = FIELDS.get(name)
    if spec is None and name in TABLE_LABELS:
        return table_label(name)
    return spec.label if spec else name


def _setting(key: str) -> str:
    from crmdesk.services.office import NUMBERS

    title = OFFICE_TITLES.get(key) or (NUMBERS[key].label if key in NUMBERS else None)
    return _(title) if title else key


def readable(rows: list[dict]) -> list[dict]:
    """Audit entries (``audit.entries``) with ``action_title`` and ``text`` added."""
    describer = Describer()
    return [row | {"action_title": action_title(row["action"]),
                   "text": describer.describe(row["action"], row["details"] or {})}
            for row in rows]


def when(at: dt.datetime) -> str:
    """An entry's time as the page and the workbook show it."""
    return at.strftime("%Y-%m-%d %H:%M:%S")
