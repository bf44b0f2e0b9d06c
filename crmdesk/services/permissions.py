"""The permission table: every use case of the services and every subcommand, and who may.

A use case is allowed by role alone (a ``Duty`` of crmdesk.services.visibility), by the card it
concerns (a ``CardRule``: the card's mark, 普通/机密/绝密, and whether the actor owns it or was
named as a reader decide), or to ``ANYONE`` logged in, who then gets only what they may see.
``INTERNAL`` functions are steps of other use cases (recording an audit entry, the visibility
clauses): commands and windows never call them. The services check these rules through one
gate (``visibility.require`` for duties, ``visibility.require_card``/``require_view`` and
``require_card_rule`` for cards); tests/services/test_permission_matrix.py runs every entry
against every role and mark and compares the outcome with this table, so a new service
function or subcommand without an entry fails there.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crmdesk.i18n import N_, _
from crmdesk.models import CardReader, Customer
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.visibility import CONFIDENTIAL, SECRET, Duty, unchecked

NORMAL = "normal"
MARKS = (NORMAL, CONFIDENTIAL, SECRET)
ROLES = ("frontdesk", "sales", "manager", "admin")
MARK_NAMES = {NORMAL: "普通", CONFIDENTIAL: "机密", SECRET: "绝密"}
ROLE_TITLES = {"frontdesk": N_("front desk"), "sales": N_("salesperson"),
               "manager": N_("manager"), "admin": N_("administrator")}

ANYONE = "anyone"
INTERNAL = "internal"
NO_LOGIN = "no_login"


@dataclass(frozen=True)
class CardRule:
    """Who may do something to one card: ``roles`` at all; then the owner (if ``owner``), the
    people named as its readers with the grant in force (if ``named``: a manager's naming of a
    绝密 card's readers, or an approved request to read), and for cards others own the marks
    ``others`` gives each role."""

    name: str
    roles: frozenset[str]
    others: Mapping[str, frozenset[str]] = field(default_factory=dict)
    owner: bool = True
    named: bool = True

    def allows(self, roles: tuple[str, ...], mark: str, own: bool, named: bool) -> bool:
        """The table's answer for someone with ``roles`` and a card marked ``mark``."""
        if not set(roles) & self.roles:
            return False
        if own and self.owner:
            return True
        if named and self.named:
            return True
        return any(mark in self.others.get(role, ()) for role in roles)


_ANY_MARK = frozenset(MARKS)
# Read and change the whole card, log contacts on it.
READ_CARD = CardRule("read", frozenset(ROLES), {"manager": frozenset({NORMAL, CONFIDENTIAL})})
# Open it read-only and print it (card and log): the front desk too, for ordinary cards.
VIEW_CARD = CardRule("view", frozenset(ROLES), {"manager": frozenset({NORMAL, CONFIDENTIAL}),
                                                 "frontdesk": frozenset({NORMAL})})
# Claim from the public pool: a marked archive changes hands only by a manager's transfer.
CLAIM_CARD = CardRule("claim", frozenset({"sales", "manager"}),
                      {"sales": frozenset({NORMAL}),
                       "manager": frozenset({NORMAL, CONFIDENTIAL})}, named=False)
# Hand over, destroy, name the readers of: the manager's, whatever the mark.
MANAGE_CARD = CardRule("manage", frozenset({"manager"}), {"manager": _ANY_MARK},
                       owner=False, named=False)
# Record a complaint about the customer: whoever reads the card, and those who take complaints
# at reception (front desk, managers) on any card, without reading it thereby.
TAKE_COMPLAINT = CardRule("complain", frozenset(ROLES),
                          {"manager": _ANY_MARK, "frontdesk": _ANY_MARK})
# Plan and carry out a merge: a manager who reads both cards (the table names one; the other is
# an ordinary card of the same owner).
MERGE_CARDS = CardRule("merge", frozenset({"manager"}),
                       {"manager": frozenset({NORMAL, CONFIDENTIAL})})

Gate = Duty | CardRule | str

# Every public service function that takes an actor: the gate it passes.
SERVICES: dict[str, Gate] = {
    "accounts.add_account": Duty.STAFF_ADMIN,
    "accounts.change_own_password": ANYONE,
    "accounts.log_out": ANYONE,
    "accounts.require_admin_once_set_up": INTERNAL,
    "accounts.deactivate": Duty.STAFF_ADMIN,
    "accounts.set_roles": Duty.STAFF_ADMIN,
    "accounts.set_password": ANYONE,  # one's own; anyone's needs STAFF_ADMIN
    "accounts.verify_password": ANYONE,
    "access_requests.decide": Duty.REASSIGN,
    "access_requests.request": ANYONE,  # for a card one may not read
    "access_requests.requests": ANYONE,  # every one for a manager, one's own otherwise
    "appointments.book": READ_CARD,
    "appointments.cancel": READ_CARD,
    "appointments.expected_on": ANYONE,  # the front desk and managers see every booking
    "appointments.no_shows": ANYONE,  # everyone's for a manager, one's own otherwise
    "appointments.of_customer": VIEW_CARD,
    "appointments.customer_rows": INTERNAL,  # for card_view, which checked the card
    "audit.entries": Duty.READ_AUDIT,
    "card_reviews.monthly_list": Duty.REASSIGN,
    "card_reviews.put_up": READ_CARD,
    "card_reviews.sign_off": Duty.REASSIGN,
    "audit.filter_choices": Duty.READ_AUDIT,
    "audit.export_entries": Duty.READ_AUDIT,
    "audit.record": INTERNAL,
    "audit.record_on": INTERNAL,
    "backup.back_up": Duty.BACKUP,
    "backup.back_up_to_file": Duty.BACKUP,
    "backup.back_up_if_due": ANYONE,  # the automatic daily backup, made for whoever is in
    "backup.restore": Duty.BACKUP,
    "changes.record": INTERNAL,
    "changes.record_audited": INTERNAL,
    "changes.visible_to": ANYONE,
    "complaints.record_complaint": TAKE_COMPLAINT,
    "complaints.assign": Duty.ASSIGN_COMPLAINTS,
    # Steps, closing, the form: the card's readers while nobody handles it; then its handler.
    "complaints.add_step": READ_CARD,
    "complaints.close": READ_CARD,
    "complaints.complaints_of": ANYONE,  # all for the card's readers, else those one handles
    "complaints.card_rows": INTERNAL,  # for card_view, which checked the card
    "complaints.complaint": READ_CARD,
    "complaints.overdue": ANYONE,  # a manager's readable ones, else those one handles or owns
    "complaints.notify_overdue": ANYONE,  # the handlers' daily reminder, once a day each
    "complaint_printout.complaint_pdf": READ_CARD,
    "complaint_printout.complaint_printout": READ_CARD,
    "contacts.log_contact": READ_CARD,
    "confidentiality.close_loan": Duty.REASSIGN,
    "confidentiality.lend": Duty.REASSIGN,
    "confidentiality.leak_reports": Duty.REASSIGN,
    "confidentiality.loans": ANYONE,  # the keeper's whole register, a borrower's own loans
    "confidentiality.report_leak": ANYONE,
    "customer_value.customers_of_grade": ANYONE,
    "customer_value.set_bars": Duty.BUSINESS_SETTINGS,
    "customer_value.summary": ANYONE,
    "customers.new_card": ANYONE,
    "customers.open_card": VIEW_CARD,
    "customers.open_card_row": VIEW_CARD,
    "card_view.open_card_view": VIEW_CARD,
    "customers.save_card": READ_CARD,  # a new card: Duty.CREATE_CUSTOMER
    "deals.record_deal": READ_CARD,
    "encryption.encrypt_archive": Duty.STAFF_ADMIN,  # an administrator, password typed again
    "encryption.issue_recovery_key": Duty.STAFF_ADMIN,
    "deals.deals_of": READ_CARD,
    "daily_notices.post_daily": ANYONE,  # one's own notices, on logging in
    "demo.build_demo": Duty.LOAD_DEMO,
    "demo.set_demo_passwords": Duty.LOAD_DEMO,
    "destroyed.destroy_again": INTERNAL,
    "documents.cards_pdf": VIEW_CARD,
    "documents.loans_pdf": ANYONE,  # the keeper's whole register, a borrower's own loans
    "documents.loans_printout": ANYONE,
    "documents.log_pdf": VIEW_CARD,
    "documents.overdue_pdf": Duty.PRINT_FOLLOW_UPS,
    "documents.roster_pdf": Duty.PRINT_REGISTERS,
    "documents.visits_pdf": Duty.PRINT_REGISTERS,
    "documents.cards_printout": VIEW_CARD,
    "documents.log_printout": VIEW_CARD,
    "documents.overdue_printout": Duty.PRINT_FOLLOW_UPS,
    "documents.roster_printout": Duty.PRINT_REGISTERS,
    "documents.visits_printout": Duty.PRINT_REGISTERS,
    "duplicate_rule.enforce": INTERNAL,
    "duplicate_rule.record_confirmation": INTERNAL,
    "duplicate_rule.similar_archives": ANYONE,
    "duplicate_rule.similar_while_typing": ANYONE,
    "duplicate_rule.visible_ids": INTERNAL,
    "duplicate_scan.mark_not_same": Duty.REASSIGN,
    "duplicate_scan.scan": Duty.REASSIGN,
    "duplicates.find_duplicates": ANYONE,
    "duplicates.restricted_hits": ANYONE,
    "exports.approval.approvals": ANYONE,  # all for approvers, one's own otherwise
    "exports.approval.ask": Duty.EXPORT,
    "exports.approval.decide": Duty.APPROVE_EXPORTS,
    "exports.approval.scope_of": INTERNAL,
    "exports.approval.use": INTERNAL,
    "exports.customers.customer_chunks": Duty.EXPORT,
    "exports.customers.customer_table": Duty.EXPORT,
    "exports.export.export": Duty.EXPORT,
    "exports.export.record_export": INTERNAL,
    "exports.lists.communication_table": Duty.EXPORT,
    "exports.lists.overdue_table": Duty.EXPORT,
    "exports.lists.visit_table": Duty.EXPORT,
    "exports.sales_by_year.sales_by_year_table": Duty.EXPORT,
    "follow_up_counts.tallied_by_owner": INTERNAL,
    "followup.counts": ANYONE,
    "followup.due": ANYONE,
    "followup.due_count": ANYONE,
    "followup.due_this_week": ANYONE,
    "followup.due_today": ANYONE,
    "followup.never_contacted": ANYONE,
    "followup.overdue": ANYONE,
    "followup.overdue_by_owner": ANYONE,
    "followup.overdue_count": ANYONE,
    "followup.own_customers_only": INTERNAL,
    "followup.visible_count": INTERNAL,
    "frontdesk.register_visit": Duty.REGISTER_VISITS,
    "frontdesk.set_departure": Duty.REGISTER_VISITS,
    "glance.glances": ANYONE,
    "imports.commit.commit_import": Duty.IMPORT,
    "imports.dry_run.preview_import": Duty.IMPORT,
    "imports.undo.undo_import": Duty.IMPORT,
    "imports.sales_by_year.import_sales_by_year": Duty.IMPORT,
    "levels.apply_preset": Duty.BUSINESS_SETTINGS,
    "card_templates.apply_template": Duty.BUSINESS_SETTINGS,
    "levels.create_level": Duty.BUSINESS_SETTINGS,
    "levels.deactivate_level": Duty.BUSINESS_SETTINGS,
    "levels.update_level": Duty.BUSINESS_SETTINGS,
    "merges.merge": MERGE_CARDS,
    "merges.merge_history": Duty.REASSIGN,
    "merges.plan_merge": MERGE_CARDS,
    "merges.undo_merge": Duty.REASSIGN,
    "notices.mark_read": ANYONE,  # one's own notices only
    "notices.notices_for": ANYONE,
    "notices.reply_coming": ANYONE,
    "notices.send": INTERNAL,
    "notices.unread_count": ANYONE,
    "office.save_office_settings": Duty.BUSINESS_SETTINGS,
    "office_fields.add_field": Duty.BUSINESS_SETTINGS,
    "office_fields.change_field": Duty.BUSINESS_SETTINGS,
    "office_fields.hide_builtin": Duty.BUSINESS_SETTINGS,
    "office_fields.reorder": Duty.BUSINESS_SETTINGS,
    "office_fields.remove_field": Duty.BUSINESS_SETTINGS,
    "office_fields.set_hidden": Duty.BUSINESS_SETTINGS,
    "ownership.claim": CLAIM_CARD,
    "ownership.hand_over": Duty.REASSIGN,
    "ownership.record_change": INTERNAL,
    "ownership.record_registration": INTERNAL,
    "ownership.transfer": MANAGE_CARD,
    "pool.due_to_lapse": ANYONE,  # one's own; another's needs LIST_ALL_FOLLOW_UPS
    "pool.pool": ANYONE,
    "printouts.card_sheet": VIEW_CARD,
    "printouts.card_sheets": VIEW_CARD,
    "printouts.log_sheet": VIEW_CARD,
    "printouts.overdue_rows": Duty.PRINT_FOLLOW_UPS,
    "printouts.print_context": INTERNAL,
    "printouts.record_printed": INTERNAL,
    "printouts.roster_rows": Duty.PRINT_REGISTERS,
    "printouts.visit_rows": Duty.PRINT_REGISTERS,
    "readers.set_readers": MANAGE_CARD,
    "reminders.birthdays": ANYONE,
    "reminders.birthday_tile": ANYONE,
    "reminders.dormant": ANYONE,
    "reminders.dormant_count": ANYONE,
    "reminders.incomplete_archives": ANYONE,
    "reminders.incomplete_by_owner": ANYONE,
    "reminders.incomplete_count": ANYONE,
    "retention.destroy": MANAGE_CARD,
    "retention.destroy_unchecked": INTERNAL,
    "retention.due_for_review": Duty.REASSIGN,
    "rotation.set_duty_list": Duty.REGISTER_VISITS,
    "rotation.set_state": Duty.REGISTER_VISITS,
    "search.find_ids": ANYONE,
    "search.first_screen": ANYONE,
    "statistics.drill": Duty.READ_OWN_STATISTICS,  # the office's figures: READ_OFFICE_STATISTICS
    "statistics.run": Duty.READ_OWN_STATISTICS,
    "statistics.documents.report_pdf": Duty.READ_OWN_STATISTICS,
    "statistics.documents.report_printout": Duty.READ_OWN_STATISTICS,
    "statistics.documents.write_report": Duty.READ_OWN_STATISTICS,
    "statistics.scope.scope_for": INTERNAL,
    "statistics.upkeep.check_summaries": Duty.BACKUP,
    "statistics.upkeep.rebuild_summaries": Duty.BACKUP,
    "search.list_rows": ANYONE,
    "customer_list.rows": ANYONE,
    "customer_list.with_office_cells": ANYONE,
    "customer_list.set_listed_fields": Duty.BUSINESS_SETTINGS,
    "list_filters.office_value_condition": INTERNAL,
    "list_filters.office_sort_value": INTERNAL,
    "list_filters.office_ranks": INTERNAL,
    "visibility.may": INTERNAL,
    "visibility.may_read": INTERNAL,
    "visibility.may_view": INTERNAL,
    "visibility.own_only": INTERNAL,
    "visibility.readable_ids": INTERNAL,
    "visibility.readable_among_found": INTERNAL,
    "visibility.closed_marks": INTERNAL,
    "visibility.closed_marks_of": INTERNAL,
    "visibility.hidden_archives": INTERNAL,
    "visibility.granted_archives": INTERNAL,
    "visibility.require": INTERNAL,
    "visibility.require_card": INTERNAL,
    "visibility.require_view": INTERNAL,
    "visibility.searchable": INTERNAL,
    "visibility.unchecked": INTERNAL,
    "visit_register.phone_history": ANYONE,
    "visit_register.visits_between": ANYONE,
    "permissions.duty_refusal": INTERNAL,
    "permissions.require_card_rule": INTERNAL,
    "workbench.archive_size": ANYONE,  # counts only what the actor may find
    "workbench.front_desk": ANYONE,
    "workbench.full_list": ANYONE,
    "workbench.home": ANYONE,
    "workbench.home_of": ANYONE,
    "workbench.manager": ANYONE,
    "workbench.sales": ANYONE,
    "workbench.visitors_of": ANYONE,  # the actor's own visitors
}

# Every subcommand of the command line: the gate of the use case it runs.
COMMANDS: dict[tuple[str, ...], Gate] = {
    ("access", "approve"): Duty.REASSIGN,
    ("access", "list"): ANYONE,
    ("access", "refuse"): Duty.REASSIGN,
    ("access", "request"): ANYONE,
    ("appointment", "add"): READ_CARD,
    ("appointment", "cancel"): READ_CARD,
    ("appointments",): ANYONE,
    ("audit", "list"): Duty.READ_AUDIT,
    ("audit", "verify"): ANYONE,
    ("backup",): Duty.BACKUP,
    ("check",): ANYONE,
    ("claim",): CLAIM_CARD,
    ("complaints", "add"): TAKE_COMPLAINT,
    ("complaints", "assign"): Duty.ASSIGN_COMPLAINTS,
    ("complaints", "close"): READ_CARD,
    ("complaints", "list"): ANYONE,
    ("complaints", "overdue"): ANYONE,
    ("complaints", "print"): READ_CARD,
    ("complaints", "step"): READ_CARD,
    ("customers",): ANYONE,
    ("deal",): READ_CARD,
    ("db", "init"): NO_LOGIN,
    ("db", "upgrade"): NO_LOGIN,
    ("demo",): Duty.LOAD_DEMO,
    ("destroy",): MANAGE_CARD,
    ("due",): ANYONE,
    ("duplicates",): Duty.REASSIGN,
    ("encrypt",): Duty.STAFF_ADMIN,
    ("export",): Duty.EXPORT,
    ("export-approval", "approve"): Duty.APPROVE_EXPORTS,
    ("export-approval", "list"): ANYONE,
    ("export-approval", "refuse"): Duty.APPROVE_EXPORTS,
    ("history",): ANYONE,
    ("import",): Duty.IMPORT,
    ("import-undo",): Duty.IMPORT,
    ("import-sales",): Duty.IMPORT,
    ("card-template", "apply"): Duty.BUSINESS_SETTINGS,
    ("card-template", "list"): ANYONE,
    ("fields", "list"): ANYONE,
    ("fields", "remove"): Duty.BUSINESS_SETTINGS,
    ("leak",): ANYONE,
    ("levels",): ANYONE,
    ("loan", "add"): Duty.REASSIGN,
    ("loan", "cancel"): Duty.REASSIGN,
    ("loan", "return"): Duty.REASSIGN,
    ("loans",): ANYONE,
    ("merge",): MERGE_CARDS,
    ("merge-undo",): Duty.REASSIGN,
    ("merges",): Duty.REASSIGN,
    ("not-same",): Duty.REASSIGN,
    ("overdue",): ANYONE,
    ("pool",): ANYONE,
    ("print", "card"): VIEW_CARD,
    ("print", "loans"): ANYONE,  # the keeper's whole register, a borrower's own loans
    ("print", "log"): VIEW_CARD,
    ("print", "overdue"): Duty.PRINT_FOLLOW_UPS,
    ("print", "roster"): Duty.PRINT_REGISTERS,
    ("print", "visits"): Duty.PRINT_REGISTERS,
    ("recover",): NO_LOGIN,  # the recovery key stands in for a login
    ("recovery-key",): Duty.STAFF_ADMIN,
    ("register",): Duty.REGISTER_VISITS,
    ("restore",): Duty.BACKUP,
    ("review",): Duty.REASSIGN,
    ("report",): Duty.READ_OWN_STATISTICS,
    ("staff", "add"): Duty.STAFF_ADMIN,
    ("stats",): Duty.READ_OWN_STATISTICS,
    ("summaries", "check"): Duty.BACKUP,
    ("summaries", "rebuild"): Duty.BACKUP,
    ("staff", "list"): ANYONE,
    ("staff", "first-admin"): NO_LOGIN,  # only into an archive with no accounts yet
    ("staff", "password"): ANYONE,  # one's own; anyone's needs STAFF_ADMIN
    ("signoff", "list"): Duty.REASSIGN,
    ("signoff", "request"): READ_CARD,
    ("signoff", "sign"): Duty.REASSIGN,
    ("template",): ANYONE,
    ("transfer",): MANAGE_CARD,
    ("value",): ANYONE,
    ("visit", "add"): Duty.REGISTER_VISITS,
    ("visits",): ANYONE,
    ("watch",): ANYONE,
}


def role_names(roles: tuple[str, ...] | frozenset[str]) -> str:
    """Roles as the office says them (前台、销售顾问 …), in the table's order."""
    return "、".join(_(ROLE_TITLES[r]) for r in ROLES if r in roles) or _("no role")


def duty_refusal(actor: Actor | None, duty: Duty) -> PermissionDenied:
    """The refusal of ``duty``: who may, and who the actor is."""
    if actor is None:
        return PermissionDenied(_("Log in first: this archive has accounts."))
    return PermissionDenied(_("Only a {roles} may do this; you are {name} ({yours}).").format(
        roles=role_names(frozenset(duty.roles)).replace("、", _(" or ")), name=actor.name,
        yours=role_names(actor.roles)))


def card_refusal(rule: CardRule, mark: str | None) -> PermissionDenied:
    """The refusal of a card rule, naming the card's mark."""
    if rule is CLAIM_CARD and mark in (SECRET, CONFIDENTIAL):
        return PermissionDenied(_("This archive is marked {mark}: it changes hands only by a "
                                  "manager's transfer, never from the pool.").format(
                                      mark=MARK_NAMES[mark]))
    return PermissionDenied(_("Only a {roles} may do this to an archive marked {mark}.").format(
        roles=role_names(rule.roles).replace("、", _(" or ")),
        mark=MARK_NAMES.get(mark or NORMAL, mark)))


def require_card_rule(actor: Actor | None, rule: CardRule, customer_id: int) -> None:
    """Raise PermissionDenied (naming the mark) unless ``rule`` lets ``actor`` at this card.

    A card that does not exist passes: the use case then says it is not found.
    """
    if unchecked(actor):
        return
    row = Customer.select(Customer.owner, Customer.confidentiality).where(
        Customer.id == customer_id).tuples().first()
    if row is None:
        return
    owner, mark = row[0], row[1] or NORMAL
    if actor is None:
        raise duty_refusal(actor, Duty.REASSIGN)
    named = CardReader.select().where(
        (CardReader.customer == customer_id) & (CardReader.staff == actor.staff_id)
        & CardReader.in_force()).exists()
    if not rule.allows(actor.roles, mark, owner == actor.staff_id, named):
        raise card_refusal(rule, mark)
