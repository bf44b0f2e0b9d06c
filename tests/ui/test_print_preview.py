"""Print preview shows the real PDF; it saves and prints every page."""
from __future__ import annotations

import datetime as dt
import io
import zlib

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QPushButton

from crmdesk.models import AuditEntry, Visit
from crmdesk.services import customers
from crmdesk.ui import print_actions
from crmdesk.ui.dialogs.print_preview import PrintPreview
from crmdesk.ui.pages.frontdesk import FrontDeskPage


def _customer(manager, name: str) -> int:
    # A mobile of their own: the duplicate rule refuses a second archive for one mobile.
    card = customers.new_card(manager)
    card.values.update(name=name, mobile="138" + str(zlib.crc32(name.encode()) % 10**8).zfill(8))
    return customers.save_card(card, manager, accept_incomplete=True).customer_id


@pytest.mark.usefixtures("inline_operations")  # the card opens before the call returns
def test_print_card_from_the_window_previews_the_card_pdf(window, qtbot, manager, monkeypatch,
                                                          boxes):
    window.card.load(_customer(manager, "张三"))
    shown = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: shown.append(self) or 0)

    print_actions.print_card(window)
    qtbot.waitUntil(lambda: bool(shown) or bool(boxes.shown), timeout=15000)
    assert not boxes.shown, boxes.texts()

    preview = shown[0]
    qtbot.addWidget(preview)
    assert preview.data.startswith(b"%PDF")
    assert preview.page_count() >= 2  # front and back
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 1


def test_the_register_pages_print_button_previews_the_days_shown(window, qtbot, monkeypatch,
                                                                boxes):
    Visit.create(name="欧阳一鸣", phone="13800138000", arrived_at=dt.datetime.now())
    register = window.findChild(FrontDeskPage).register
    register.reload()
    shown = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: shown.append(self) or 0)

    register.findChild(QPushButton, "printRegister").click()
    qtbot.waitUntil(lambda: bool(shown) or bool(boxes.shown), timeout=15000)
    assert not boxes.shown, boxes.texts()

    preview = shown[0]
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "来人来电登记表"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(preview.data)).pages)
    assert "欧阳一鸣" in text
    assert dt.date.today().isoformat() in text
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 1


def test_preview_saves_and_prints_every_page(qtbot, archive, manager, tmp_path, monkeypatch):
    from crmdesk.services import documents

    ids = [_customer(manager, name) for name in ("李四", "王五")]
    preview = PrintPreview(documents.cards_pdf(ids, manager), "cards")
    qtbot.addWidget(preview)
    pages = preview.page_count()
    assert pages >= 4
    preview.go_to(pages - 1)
    assert preview.page_label.text().startswith(("第", "Page"))

    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    preview.save_as()
    assert len(PdfReader(target).pages) == pages

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.print_to(printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_the_lending_registers_print_button_previews_the_register(window, qtbot, monkeypatch,
                                                                 boxes, manager, salesperson):
    from crmdesk.services import confidentiality, customers
    from crmdesk.ui.pages.confidentiality import ConfidentialityPage

    card = customers.new_card(manager)
    card.values.update(name="欧阳一鸣")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    confidentiality.lend(customer_id, salesperson.staff_id, 1, "外出拜访", manager)
    shown = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: shown.append(self) or 0)

    page = window.findChild(ConfidentialityPage)
    window.pages.setCurrentWidget(page)
    page.loans.findChild(QPushButton, "printLoans").click()
    qtbot.waitUntil(lambda: bool(shown) or bool(boxes.shown), timeout=15000)

    assert not boxes.shown, boxes.texts()
    preview = shown[0]
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "外借登记册"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(preview.data)).pages)
    assert "欧阳一鸣" in text and "外出拜访" in text
