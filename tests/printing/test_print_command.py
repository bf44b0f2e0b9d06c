"""``crmdesk print``: the PDF files it writes, and what it refuses."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.cli import main
from crmdesk.i18n import _
from crmdesk.models import AuditEntry
from crmdesk.services import customers
from crmdesk.services.accounts import create_first_admin, set_password
from crmdesk.services.contacts import Contact, log_contact
from tests.backends import location_options


@pytest.fixture
def numbers(archive, salesperson) -> list[str]:
    """Archive numbers of two saved customers, the first with a log and a marked card."""
    saved = []
    for name, mark, mobile in (("张三", "secret", "13800138000"),
                               ("北京华信科技有限公司", "normal", "13800138001")):
        card = customers.new_card(salesperson)
        card.values.update(name=name, mobile=mobile, address="上海市长宁路1号",
                           source="visit", consent=True, employer="华信科技", needs="家用",
                           confidentiality=mark)
        saved.append(customers.save_card(card, salesperson))
    log_contact(saved[0].customer_id,
                Contact(dt.datetime(2026, 4, 1, 10), "phone", "客户来电询问报价",
                        conclusion="约定到店", next_follow_up=dt.date(2026, 4, 3)), salesperson)
    return [s.archive_no for s in saved]


def crmdesk(archive, *args: str) -> int:
    return main([*location_options(archive), *args])


def test_print_card_writes_every_card_named_into_one_pdf(archive, numbers, tmp_path, pdf):
    target = tmp_path / "cards.pdf"
    assert crmdesk(archive, "print", "card", *numbers, "-o", str(target)) == 0
    text = pdf.squeeze("".join(pdf.pages_text(target.read_bytes())))
    assert numbers[0] in text
    assert numbers[1] in text
    assert "张三" in text
    assert "北京华信科技有限公司" in text
    assert "绝密" in text
    assert "客户来电询问报价" in text
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 2


def test_unknown_archive_numbers_exit_1_naming_them_and_write_nothing(archive, numbers,
                                                                     tmp_path, capsys):
    target = tmp_path / "cards.pdf"
    code = crmdesk(archive, "print", "card", numbers[0], "KH2099000001", "KH2099000002",
                   "-o", str(target))
    assert code == 1
    message = capsys.readouterr().err
    assert "KH2099000001" in message
    assert "KH2099000002" in message
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == []
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 0


def test_print_log_of_an_unknown_customer_exits_1(archive, numbers, tmp_path):
    target = tmp_path / "log.pdf"
    assert crmdesk(archive, "print", "log", "KH2099000001", "-o", str(target)) == 1
    assert not target.exists()


def test_print_log_writes_the_customers_log(archive, numbers, tmp_path, pdf):
    target = tmp_path / "log.pdf"
    assert crmdesk(archive, "print", "log", numbers[0], "-o", str(target)) == 0
    text = pdf.squeeze("".join(pdf.pages_text(target.read_bytes())))
    assert pdf.squeeze(_("Communication log")) in text
    assert "客户来电询问报价" in text
    assert "约定到店" in text
    assert numbers[0] in text


def test_print_roster_follows_the_search_text(archive, numbers, tmp_path, pdf):
    target = tmp_path / "roster.pdf"
    assert crmdesk(archive, "print", "roster", "--query", "张", "-o", str(target)) == 0
    text = pdf.squeeze("".join(pdf.pages_text(target.read_bytes())))
    assert numbers[0] in text
    assert numbers[1] not in text
    assert pdf.squeeze(_("Filter: {text}").format(text="张")) in text


def test_print_overdue_lists_customers_past_their_date(archive, numbers, tmp_path, pdf):
    target = tmp_path / "overdue.pdf"
    code = crmdesk(archive, "print", "overdue", "--as-of", "2026-04-10", "-o", str(target))
    assert code == 0
    text = pdf.squeeze("".join(pdf.pages_text(target.read_bytes())))
    assert numbers[0] in text
    assert "约定到店" in text
    assert pdf.squeeze(_("Overdue follow-ups")) in text


def test_a_missing_output_folder_is_a_plain_error(archive, numbers, tmp_path, capsys):
    target = tmp_path / "nowhere" / "cards.pdf"
    assert crmdesk(archive, "print", "card", numbers[0], "-o", str(target)) == 1
    assert "nowhere" in capsys.readouterr().err


def test_a_card_the_user_may_not_read_is_refused_and_nothing_written(
        archive, numbers, manager, tmp_path, capsys, monkeypatch):
    admin = create_first_admin("管理员", "admin", "correct horse battery")
    set_password(admin, manager.staff_id, "manager password 1")
    monkeypatch.setenv("CRMDESK_PASSWORD", "manager password 1")
    target = tmp_path / "cards.pdf"
    # The first card is top secret (绝密) and belongs to the salesperson.
    code = crmdesk(archive, "--user", "manager", "print", "card", numbers[0], "-o", str(target))
    assert code == 1
    assert capsys.readouterr().err
    assert not target.exists()
    assert crmdesk(archive, "--user", "manager", "print", "card", numbers[1],
                   "-o", str(target)) == 0
    assert target.exists()
