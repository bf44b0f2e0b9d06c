"""Committing an import: all accepted rows or nothing, duplicate policies, cancel, and undo."""
from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from openpyxl import Workbook

from crmdesk import i18n
from crmdesk.errors import StaleCardError
from crmdesk.importers.preview import Policy
from crmdesk.models import AuditEntry, Customer, ImportBatch
from crmdesk.progress import Cancelled
from crmdesk.services import contacts
from crmdesk.services.imports.commit import commit_import
from crmdesk.services.imports.dry_run import ImportOptions, preview_import
from crmdesk.services.imports.undo import ImportUndoError, undo_import
from tests.backends import archive_digest

from .conftest import CORPUS, edit_customer

MESSY = CORPUS / "messy.xlsx"


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")


class CancelAfter:
    """A cancel flag the user sets after ``checks`` looks: cancelling in the middle."""

    def __init__(self, checks: int) -> None:
        self.checks = checks

    def is_set(self) -> bool:
        self.checks -= 1
        return self.checks < 0


def _big_sheet(path, rows: int = 1200):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["客户名称", "手机"])
    for i in range(rows):
        sheet.append([f"客户{i}", f"139{i:08d}"])
    book.save(path)
    return path


def _named(name: str) -> Customer:
    return Customer.get(Customer.name == name)


def test_commit_creates_the_new_rows_and_records_the_import(office):
    preview = preview_import(MESSY, office)
    result = commit_import(preview, office)
    assert (result.created, result.updated, result.skipped, result.rejected) == (5, 0, 3, 5)
    assert Customer.select().count() == 2 + 5
    batch = ImportBatch.get_by_id(result.batch_id)
    assert (batch.file_name, batch.sha256, batch.actor_id) == (
        "messy.xlsx", preview.sha256, office.staff_id)
    assert {i.customer_id for i in batch.items} == set(result.customer_ids)
    assert _named("王五").archive_no.startswith("KH")
    assert _named("王五").next_follow_up is not None
    entry = AuditEntry.get(AuditEntry.action == "import")
    assert sorted(json.loads(entry.details)["archives"]) == sorted(
        i.archive_no for i in batch.items)


def test_the_same_file_again_is_all_duplicates_and_says_so(office):
    commit_import(preview_import(MESSY, office), office)
    again = preview_import(MESSY, office)
    assert again.counts().create == 0
    assert "already imported" in again.earlier_import


def test_fill_only_fills_empty_fields_and_merges_duplicates_inside_the_file(office):
    customers_before = Customer.select().count()
    preview = preview_import(MESSY, office, ImportOptions(policy=Policy.FILL))
    commit_import(preview, office)
    assert _named("冯十二").notes == "已在档案中"
    assert _named("张三").notes == "又来了一次"  # row 10 merged into row 5's new archive
    assert Customer.select().count() == customers_before + 5


def test_overwrite_replaces_values_but_never_with_defaults(office):
    fung = _named("冯十二")
    edit_customer(office, fung.id, notes="旧备注", status="deal")
    preview = preview_import(MESSY, office, ImportOptions(policy=Policy.OVERWRITE))
    commit_import(preview, office)
    again = _named("冯十二")
    assert again.notes == "已在档案中"
    assert again.status == "deal"  # the sheet has no status column: the default stays out


def test_a_row_can_override_the_policy(office):
    preview = preview_import(MESSY, office, ImportOptions(policy=Policy.FILL))
    preview.set_action(17, Policy.SKIP)
    preview.set_action(18, Policy.CREATE)
    commit_import(preview, office)
    assert _named("冯十二").notes is None
    assert Customer.select().where(Customer.name == "陈十三").count() == 2
    with pytest.raises(ValueError, match="errors"):
        preview.set_action(11, Policy.CREATE)


def test_owners_are_shared_round_robin_over_the_chosen_salespeople(office, salesperson):
    options = ImportOptions(owners=(office.staff_id, salesperson.staff_id))
    preview = preview_import(CORPUS / "gbk.csv", office, options)
    assert [r.values["owner"] for r in preview.rows] == [office.staff_id, salesperson.staff_id]


def test_an_archive_changed_after_the_preview_stops_the_whole_commit(office):
    preview = preview_import(MESSY, office, ImportOptions(policy=Policy.FILL))
    edit_customer(office, _named("冯十二").id, alias="老冯")
    before = archive_digest()
    with pytest.raises(StaleCardError, match="preview the file again"):
        commit_import(preview, office)
    assert archive_digest() == before


def test_cancel_during_the_preview_or_the_commit_writes_nothing(office, tmp_path):
    sheet = _big_sheet(tmp_path / "big.xlsx")
    before = archive_digest()
    with pytest.raises(Cancelled):
        preview_import(sheet, office, cancel=CancelAfter(1))
    preview = preview_import(sheet, office)
    seen = []
    with pytest.raises(Cancelled):
        commit_import(preview, office, progress=lambda done, total: seen.append(done),
                      cancel=CancelAfter(1))
    assert seen
    assert seen[-1] < len(preview.rows)
    assert archive_digest() == before
    stopped = threading.Event()
    stopped.set()
    with pytest.raises(Cancelled):
        commit_import(preview, office, cancel=stopped)
    assert archive_digest() == before


def test_undo_removes_the_import_while_its_archives_are_untouched(office):
    before = {c.id for c in Customer.select()}
    result = commit_import(preview_import(MESSY, office, ImportOptions(policy=Policy.FILL)),
                           office)
    undone = undo_import(result.batch_id, office)
    assert (undone.deleted, undone.restored) == (5, 2)  # 冯十二 and 陈十三 got their notes
    assert {c.id for c in Customer.select()} == before
    assert _named("冯十二").notes is None
    assert _named("陈十三").notes is None
    with pytest.raises(ImportUndoError, match="already undone"):
        undo_import(result.batch_id, office)


def test_undo_is_refused_once_an_archive_was_edited_or_contacted(office):
    result = commit_import(preview_import(MESSY, office), office)
    edited = _named("王五")
    edit_customer(office, edited.id, alias="老王")
    with pytest.raises(ImportUndoError, match=edited.archive_no):
        undo_import(result.batch_id, office)

    result = commit_import(preview_import(CORPUS / "gbk.csv", office), office)
    called = _named("刘一")
    contacts.log_contact(called.id, contacts.Contact(dt.datetime.now(), "phone", "回访"), office)
    with pytest.raises(ImportUndoError, match=called.archive_no):
        undo_import(result.batch_id, office)


@pytest.mark.sqlite_only
def test_imported_archives_are_searchable_and_stored_as_a_saved_card_would_be(office):
    """The import writes through a staging table; search (the trigram index included) finds the
    new archives, and their stored values equal those of the same card saved in the form."""
    from crmdesk.models.db import database
    from crmdesk.services.search import ListQuery, find_ids

    from .conftest import add_customer

    result = commit_import(preview_import(MESSY, office), office)
    imported = _named("王五")
    assert find_ids(ListQuery(text="北方重"), office) == sorted(
        c.id for c in Customer.select().where(Customer.employer == "北方重工"))
    assert imported.id in find_ids(ListQuery(text="王五"), office)
    assert imported.id in find_ids(ListQuery(text="wangwu"), office)
    database.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")
    saved = Customer.get_by_id(add_customer(
        office, second_archive="the same customer, saved to compare", name="王五",
        mobile="13700137000", employer="北方重工", kind="individual",
        birth_date=dt.date(1990, 5, 6), consent=None, first_contact_date=dt.date(2023, 5, 6),
        source="exhibition", gender="male", level=imported.level_id, owner=imported.owner_id,
        notes="同一批展会客户"))
    skip = {"id", "archive_no", "created_at", "updated_at", "next_follow_up", "registered_by"}
    columns = [f for f in Customer._meta.sorted_field_names if f not in skip]
    stored = Customer.select().where(Customer.id.in_([imported.id, saved.id])).dicts()
    first, second = ({c: row[c] for c in columns} for row in stored)
    assert first == second
    assert imported.id in result.customer_ids


@pytest.mark.sqlite_only
def test_the_commit_has_its_own_cache_and_temporary_files_and_gives_them_back(office, tmp_path):
    from crmdesk.models.db import SQLITE_PRAGMAS, database
    from crmdesk.services.imports.new_archives import COMMIT_CACHE_KIB

    def setting(name: str) -> int:
        return database.execute_sql(f"PRAGMA {name}").fetchone()[0]

    memory = 2  # temp_store: MEMORY, as every connection opens; FILE (1) during a commit
    during: set[tuple[int, int]] = set()
    preview = preview_import(_big_sheet(tmp_path / "big.xlsx", rows=600), office)
    commit_import(preview, office, progress=lambda _d, _t: during.add(
        (setting("temp_store"), setting("cache_size"))))
    assert (1, -COMMIT_CACHE_KIB) in during
    assert setting("cache_size") == SQLITE_PRAGMAS["cache_size"]
    assert setting("temp_store") == memory
    preview = preview_import(MESSY, office, ImportOptions(policy=Policy.FILL))
    edit_customer(office, _named("冯十二").id, alias="老冯")
    with pytest.raises(StaleCardError):
        commit_import(preview, office)
    assert setting("cache_size") == SQLITE_PRAGMAS["cache_size"]
    assert setting("temp_store") == memory


def _pieces_of(text: str) -> set[str]:
    """The one- and two-character pieces of a search text the piece table keeps."""
    found = {text[i:i + size] for size in (1, 2) for i in range(len(text) - size + 1)}
    return {p for p in found if " " not in p and "|" not in p and not p.isdigit()}


@pytest.mark.sqlite_only
def test_new_archives_get_their_search_pieces_and_the_trigger_stays(office, tmp_path):
    from crmdesk.models.db import database
    from crmdesk.services.search import ListQuery, find_ids

    def trigger_kept() -> bool:
        return database.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name = 'search_piece_ai'").fetchone() is not None

    sheet = _big_sheet(tmp_path / "big.xlsx", rows=600)
    preview = preview_import(sheet, office)
    with pytest.raises(Cancelled):
        commit_import(preview, office, cancel=CancelAfter(1))
    assert trigger_kept()
    # While the rows are copied the trigger is set aside: the pieces are added after them.
    during: set[bool] = set()
    result = commit_import(preview, office, progress=lambda _d, _t: during.add(trigger_kept()))
    assert False in during
    assert trigger_kept()
    for customer in Customer.select().where(Customer.id.in_(result.customer_ids)):
        kept = {p for (p,) in database.execute_sql(
            "SELECT piece FROM search_piece WHERE customer_id = ?", [customer.id])}
        assert kept == _pieces_of(customer.search_text)
    assert _named("客户7").id in find_ids(ListQuery(text="客"), office)


def test_new_ids_are_found_by_number_when_other_archives_came_between(office):
    from crmdesk.services import customers
    from crmdesk.services.imports.new_archives import ids_of_numbers, last_customer_id

    def add(name: str) -> tuple[int, str]:
        card = customers.new_card(office)
        card.values.update(name=name, mobile=None)
        saved = customers.save_card(card, office, accept_incomplete=True)
        return saved.customer_id, Customer.get_by_id(saved.customer_id).archive_no

    mark = last_customer_id()
    first, second, third = add("甲"), add("乙"), add("丙")
    # In the order inserted: read as they come.
    assert ids_of_numbers(mark, [first[1], second[1], third[1]]) == [first[0], second[0], third[0]]
    # Another desk's archive among them (the second): looked up by number.
    assert ids_of_numbers(mark, [first[1], third[1]]) == [first[0], third[0]]
    assert ids_of_numbers(mark, [third[1], first[1]]) == [third[0], first[0]]
