"""The use cases allowed by role alone (a ``Duty`` in crmdesk.services.permissions), each run by
every role with the least it needs, inside a transaction that is rolled back: those the table
allows get past the gate (done, or stopped by the use case's own rules), the others are refused.

Where a use case takes the id of a record, the id names nothing: a refusal must come before
"no such record", so who may not act learns nothing of what is on file.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from crmdesk.models.db import close_database
from crmdesk.services import (
    access_requests,
    accounts,
    audit,
    backup,
    card_reviews,
    card_templates,
    complaints,
    confidentiality,
    customer_list,
    customer_value,
    demo,
    documents,
    duplicate_scan,
    encryption,
    frontdesk,
    levels,
    merges,
    office,
    office_fields,
    ownership,
    printouts,
    retention,
    rotation,
    statistics,
)
from crmdesk.services.context import Actor
from crmdesk.services.exports import approval, export, lists
from crmdesk.services.exports import customers as export_customers
from crmdesk.services.exports import sales_by_year as export_sales
from crmdesk.services.imports import commit, dry_run, undo
from crmdesk.services.imports import sales_by_year as import_sales
from crmdesk.services.permissions import NORMAL, ROLES, SERVICES
from crmdesk.services.search import ListQuery
from crmdesk.services.statistics import documents as report_documents
from crmdesk.services.statistics import upkeep
from crmdesk.services.statistics.periods import Period
from crmdesk.services.visibility import Duty
from tests.services.permission_office import (
    COLLEAGUE,
    PASSWORD,
    Office,
    passes_gate,
    prepared_office,
)

TODAY = dt.date.today()
NOTHING = 99_999  # an id no record has
_n = itertools.count(1)




@dataclass
class Desk:
    """The office, with what some use cases need at hand: a report and an import preview."""

    office: Office
    report: statistics.Report
    preview: object

    def staff(self, who: str) -> int:
        return self.office.people[who].staff_id

    def card(self, owner: str = COLLEAGUE) -> int:
        return self.office.cards[owner, NORMAL][0]

    def file(self, suffix: str) -> Path:
        return self.office.folder / f"duty{next(_n)}{suffix}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(request, tmp_path_factory, postgresql_server) -> Iterator[Desk]:
    yield from prepared_office(request, tmp_path_factory, postgresql_server, _desk)


def _desk(office_: Office) -> Desk:
    boss = office_.people["boss"]
    sheet = office_.folder / "customers.csv"
    sheet.write_text("姓名,手机\n导入客户,13700000001\n", encoding="utf-8")
    return Desk(office_, statistics.run("visitors", Period(TODAY, TODAY), boss),
                dry_run.preview_import(sheet, boss))


@pytest.fixture
def opened(desk) -> Iterator[Desk]:
    desk.office.reopen()
    yield desk
    close_database()


DutyCall = Callable[[Desk, Actor], object]
DUTY_CALLS: dict[str, DutyCall] = {
    "accounts.add_account": lambda d, a: accounts.add_account(
        a, "新同事", f"newcomer{next(_n)}", ("sales",), PASSWORD),
    "accounts.deactivate": lambda d, a: accounts.deactivate(a, d.staff(COLLEAGUE)),
    "accounts.set_roles": lambda d, a: accounts.set_roles(a, d.staff(COLLEAGUE), ("sales",)),
    "access_requests.decide": lambda d, a: access_requests.decide(NOTHING, True, a),
    "audit.entries": lambda d, a: audit.entries(a, audit.AuditFilter(), limit=5),
    "audit.filter_choices": lambda d, a: audit.filter_choices(a),
    "audit.export_entries": lambda d, a: audit.export_entries(
        a, audit.AuditFilter(), d.file(".xlsx")),
    "backup.back_up": lambda d, a: backup.back_up(a, d.office.folder / "backups"),
    "backup.back_up_to_file": lambda d, a: backup.back_up_to_file(a, d.file(".sqlite3")),
    "backup.restore": lambda d, a: backup.restore(a, d.file(".sqlite3")),
    "card_reviews.monthly_list": lambda d, a: card_reviews.monthly_list(TODAY, a),
    "card_reviews.sign_off": lambda d, a: card_reviews.sign_off(d.card(), a),
    "complaints.assign": lambda d, a: complaints.assign(NOTHING, d.staff(COLLEAGUE), a),
    "confidentiality.close_loan": lambda d, a: confidentiality.close_loan(
        NOTHING, "returned", a),
    "confidentiality.lend": lambda d, a: confidentiality.lend(
        d.card(), d.staff("sales"), 1, "复印", a),
    "confidentiality.leak_reports": lambda d, a: confidentiality.leak_reports(a),
    "customer_value.set_bars": lambda d, a: customer_value.set_bars({}, a),
    "customer_list.set_listed_fields": lambda d, a: customer_list.set_listed_fields([], a),
    "office_fields.add_field": lambda d, a: office_fields.add_field(office_fields.FieldDraft(
        f"years{next(_n)}", "工作年限", "Years at work", "number", "personal"), a),
    "office_fields.change_field": lambda d, a: office_fields.change_field(
        NOTHING, office_fields.FieldDraft("years", "工作年限", "Years", "number", "personal"), a),
    "office_fields.set_hidden": lambda d, a: office_fields.set_hidden(NOTHING, True, a),
    "office_fields.remove_field": lambda d, a: office_fields.remove_field("no_such_field", a),
    "office_fields.reorder": lambda d, a: office_fields.reorder("personal", [], a),
    "office_fields.hide_builtin": lambda d, a: office_fields.hide_builtin("hobbies", True, a),
    "demo.build_demo": lambda d, a: demo.build_demo(1, actor=a),
    "demo.set_demo_passwords": lambda d, a: demo.set_demo_passwords(PASSWORD, a),
    "documents.overdue_pdf": lambda d, a: documents.overdue_pdf(a, TODAY),
    "documents.roster_pdf": lambda d, a: documents.roster_pdf(ListQuery(), a),
    "documents.visits_pdf": lambda d, a: documents.visits_pdf(TODAY, TODAY, a),
    "documents.overdue_printout": lambda d, a: documents.overdue_printout(a, TODAY),
    "documents.roster_printout": lambda d, a: documents.roster_printout(ListQuery(), a),
    "documents.visits_printout": lambda d, a: documents.visits_printout(TODAY, TODAY, a),
    "duplicate_scan.mark_not_same": lambda d, a: duplicate_scan.mark_not_same(
        d.card("sales"), d.card(), a, "不同的人"),
    "duplicate_scan.scan": lambda d, a: duplicate_scan.scan(a),
    # No password typed: refused as a wrong one past the gate, and nothing converted.
    "encryption.encrypt_archive": lambda d, a: encryption.encrypt_archive(a, None),
    # A plain archive: past the gate, refused for having no recovery key to replace.
    "encryption.issue_recovery_key": lambda d, a: encryption.issue_recovery_key(a),
    "exports.approval.ask": lambda d, a: approval.ask("customers", ListQuery(), "年检", a),
    "exports.approval.decide": lambda d, a: approval.decide(NOTHING, True, a),
    "exports.customers.customer_chunks": lambda d, a: export_customers.customer_chunks(a, None),
    "exports.customers.customer_table": lambda d, a: export_customers.customer_table(a),
    "exports.export.export": lambda d, a: export.export(
        d.file(".xlsx"), export.ExportRequest(), a),
    "exports.lists.communication_table": lambda d, a: lists.communication_table(a),
    "exports.lists.overdue_table": lambda d, a: lists.overdue_table(a),
    "exports.lists.visit_table": lambda d, a: lists.visit_table(a, TODAY, TODAY),
    "exports.sales_by_year.sales_by_year_table": lambda d, a: export_sales.sales_by_year_table(a),
    "frontdesk.register_visit": lambda d, a: frontdesk.register_visit(
        frontdesk.VisitDraft("来访者", f"135{next(_n):08d}"), a),
    "frontdesk.set_departure": lambda d, a: frontdesk.set_departure(NOTHING, a),
    "imports.commit.commit_import": lambda d, a: commit.commit_import(d.preview, a),
    "imports.dry_run.preview_import": lambda d, a: dry_run.preview_import(
        d.file(".xlsx"), a),
    "imports.undo.undo_import": lambda d, a: undo.undo_import(NOTHING, a),
    "imports.sales_by_year.import_sales_by_year": lambda d, a: import_sales.import_sales_by_year(
        d.file(".xlsx"), a),
    "levels.apply_preset": lambda d, a: levels.apply_preset("showroom", a),
    "card_templates.apply_template": lambda d, a: card_templates.apply_template("showroom", a),
    "levels.create_level": lambda d, a: levels.create_level(
        levels.LevelDraft("Z", "测试级", interval_days=9), a),
    "levels.deactivate_level": lambda d, a: levels.deactivate_level(NOTHING, a),
    "levels.update_level": lambda d, a: levels.update_level(
        NOTHING, levels.LevelDraft("Z", "测试级"), a),
    "merges.merge_history": lambda d, a: merges.merge_history(a),
    "merges.undo_merge": lambda d, a: merges.undo_merge(NOTHING, a),
    "office.save_office_settings": lambda d, a: office.save_office_settings(
        a, office.office_settings()),
    "ownership.hand_over": lambda d, a: ownership.hand_over(
        d.staff(COLLEAGUE), [d.staff("sales")], "evenly", "调离", a),
    "printouts.overdue_rows": lambda d, a: printouts.overdue_rows(actor=a),
    "printouts.roster_rows": lambda d, a: printouts.roster_rows(ListQuery(), a),
    "printouts.visit_rows": lambda d, a: printouts.visit_rows(TODAY, TODAY, a),
    "retention.due_for_review": lambda d, a: retention.due_for_review(a),
    "rotation.set_duty_list": lambda d, a: rotation.set_duty_list(
        TODAY, [d.staff("sales")], a),
    "rotation.set_state": lambda d, a: rotation.set_state(TODAY, d.staff("sales"), "out", a),
    "statistics.drill": lambda d, a: statistics.drill(d.report.sections[0].rows[-1][1], a),
    "statistics.run": lambda d, a: statistics.run("visitors", Period(TODAY, TODAY), a),
    "statistics.documents.report_pdf": lambda d, a: report_documents.report_pdf(d.report, a),
    "statistics.documents.report_printout": lambda d, a: report_documents.report_printout(
        d.report, a),
    "statistics.documents.write_report": lambda d, a: report_documents.write_report(
        d.report, d.file(".pdf"), a),
    "statistics.upkeep.check_summaries": lambda d, a: upkeep.check_summaries(a),
    "statistics.upkeep.rebuild_summaries": lambda d, a: upkeep.rebuild_summaries(a),
}
DUTY_FUNCTIONS = sorted(name for name, gate in SERVICES.items() if isinstance(gate, Duty))
# Copies of the archive are made outside any transaction (and cannot be rolled back).
OUTSIDE_A_TRANSACTION = {"backup.back_up", "backup.back_up_to_file", "backup.restore"}


def test_every_duty_has_a_way_to_run_it():
    assert sorted(set(DUTY_FUNCTIONS) - set(DUTY_CALLS)) == []
    assert sorted(set(DUTY_CALLS) - set(SERVICES)) == [], "these calls name no entry"


@pytest.mark.parametrize("function", DUTY_FUNCTIONS)
def test_use_cases_allowed_by_role_follow_the_table(opened, function):
    """Each role runs the use case: allowed exactly for the roles of its duty."""
    duty = SERVICES[function]
    assert isinstance(duty, Duty)
    wrong = []
    for role in ROLES:
        got = passes_gate(partial(DUTY_CALLS[function], opened, opened.office.people[role]),
                          undo=function not in OUTSIDE_A_TRANSACTION)
        if got != (role in duty.roles):
            wrong.append(f"{role}: {'allowed' if got else 'refused'}")
    assert wrong == []


def test_only_administrators_set_a_colleagues_password(opened):
    """Setting one's own password is anyone's (see the table); a colleague's is not."""
    colleague = opened.staff(COLLEAGUE)
    for role in ROLES:
        actor = opened.office.people[role]
        allowed = passes_gate(partial(accounts.set_password, actor, colleague, PASSWORD))
        assert allowed == (role in Duty.STAFF_ADMIN.roles), role
