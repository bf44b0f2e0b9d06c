"""What a front desk, a salesperson and a manager meet in their first hour: read-only cards for
the front desk, named refusals, honest menus, placeholders that are no data, tables that fit."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from crmdesk.models import Customer, Staff
from crmdesk.models.fieldtypes import Kind, parse_text
from crmdesk.models.parsers import ValueProblem
from crmdesk.services import customers, visibility
from crmdesk.services.context import Actor
from crmdesk.ui.itemmodels.customer_table import CLOSED_MARK_ROLE
from crmdesk.ui.main_window import MainWindow


def _customer(owner: Actor, name: str, mobile: str, mark: str = "normal") -> int:
    card = customers.new_card(owner)
    card.values.update(name=name, mobile=mobile, confidentiality=mark)
    return customers.save_card(card, owner, accept_incomplete=True).customer_id


@pytest.fixture
def desk(archive) -> Actor:
    """The front desk, in an archive past setting up (it has accounts, so every rule applies)."""
    from crmdesk.services import accounts

    accounts.create_first_admin("管理员", "admin", "a long password")
    return Actor.of(Staff.create(name="刘前台", username="desk", roles="frontdesk"))


def _window(qtbot, qapp, archive, actor: Actor) -> MainWindow:
    window = MainWindow(actor, str(archive))
    qtbot.addWidget(window)
    window.show()
    return window


def _action(window: MainWindow, text: str):
    return next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                if a.text() == text)


def test_front_desk_opens_an_ordinary_card_read_only_and_may_print_it(
        qtbot, qapp, archive, desk, salesperson, boxes, inline_operations):
    normal = _customer(salesperson, "张三", "13800000001")
    window = _window(qtbot, qapp, archive, desk)
    print_card = _action(window, "打印本档案卡…")
    assert not print_card.isEnabled() and "保存" in print_card.toolTip()

    window.open_customer(normal)
    qtbot.waitUntil(lambda: window.card.customer_id == normal)
    assert not window.card.banner.isHidden() and "只读" in window.card.banner.text()
    assert not window.card.save_button.isEnabled()
    name = window.card.editor("name")
    assert isinstance(name, QLineEdit) and name.isReadOnly()
    assert not window.card.editor("level").isEnabled()
    assert print_card.isEnabled()
    roster = _action(window, "打印列表（客户一览表）…")
    assert roster.isEnabled()


def test_a_confidential_row_is_marked_and_refused_by_name_of_its_mark(
        qtbot, qapp, archive, desk, salesperson, boxes, inline_operations):
    _customer(salesperson, "张三", "13800000001")
    secret_ish = _customer(salesperson, "李四", "13800000002", "confidential")
    window = _window(qtbot, qapp, archive, desk)
    model = window.customers.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    row = model.row_of(secret_ish)
    index = model.index(row, 1)
    assert model.data(index, CLOSED_MARK_ROLE) == "confidential"
    assert "机密" in model.data(index) and "机密" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(1 - row, 1), CLOSED_MARK_ROLE) is None

    window.open_customer(secret_ish)
    refusal = window.card.access_offer.box  # the refusal, offering to request access
    assert refusal is not None and "机密" in refusal.text()
    refusal.close()


def test_a_top_secret_card_shows_its_banner_to_its_owner(qtbot, qapp, archive, salesperson,
                                                        boxes, inline_operations):
    secret = _customer(salesperson, "王五", "13800000003", "secret")
    window = _window(qtbot, qapp, archive, salesperson)
    window.open_customer(secret)
    qtbot.waitUntil(lambda: window.card.customer_id == secret)
    assert not window.card.banner.isHidden() and "绝密" in window.card.banner.text()
    assert window.card.save_button.isEnabled()


def test_the_front_desk_has_no_follow_up_pages_and_salespeople_find_the_pool(
        qtbot, qapp, archive, desk, salesperson, boxes):
    titles = lambda w: [w.pages.tabText(i) for i in range(w.pages.count())]  # noqa: E731
    front = _window(qtbot, qapp, archive, desk)
    assert "客户跟进" not in titles(front) and "提醒" not in titles(front)
    assert "公海" not in titles(front)
    desk_tabs = front.frontdesk_page.tabs
    assert [desk_tabs.tabText(i) for i in range(desk_tabs.count())][1:] == ["轮值表",
                                                                            "号码归属记录"]
    sales = _window(qtbot, qapp, archive, salesperson)
    assert {"客户跟进", "提醒", "公海"} <= set(titles(sales))


def test_a_salesperson_prints_their_own_overdue_list(salesperson, archive):
    from crmdesk.services import accounts, documents

    accounts.create_first_admin("管理员", "admin", "a long password")
    assert documents.overdue_pdf(salesperson, dt.date.today()).startswith(b"%PDF")
    assert visibility.may(salesperson, visibility.Duty.PRINT_FOLLOW_UPS)


def test_the_mobile_field_says_mobiles_have_eleven_digits():
    with pytest.raises(ValueProblem, match="11"):
        parse_text(Kind.MOBILE, "1380013")


@pytest.mark.parametrize("kind", [Kind.DATE, Kind.MONEY, Kind.MOBILE, Kind.PHONE])
def test_empty_fields_hint_the_form_and_show_no_data(kind):
    hint = kind.hint()
    assert hint and not any(char.isdigit() for char in hint.replace("11", ""))


def test_the_contact_dialog_starts_at_phone_and_levels_read_neutrally(qtbot, archive, manager,
                                                                     inline_operations):
    from crmdesk.services.levels import levels
    from crmdesk.ui.dialogs.contact_dialog import ContactDialog
    from crmdesk.ui.operations import Operations

    cid = _customer(manager, "张三", "13800000001")
    dialog = ContactDialog(cid, "张三", None, manager, Operations())
    qtbot.addWidget(dialog)
    assert dialog.method.currentData() == "phone"
    names = [lv.name for lv in levels()]
    assert names[0] == "O 已成交待交付" and not any("车" in name for name in names)


def test_the_visit_form_asks_a_reason_only_when_someone_else_receives(
        qtbot, window, boxes, inline_operations):
    Staff.create(name="王强", username="wq", roles="sales")
    Staff.create(name="李娜", username="ln", roles="sales")
    page = window.frontdesk_page
    page.duty.reload()
    page.register_visitor()
    form = page.dialog
    qtbot.waitUntil(form.isVisible)
    assert not form.reason.isVisible()
    other = next(i for i in range(form.salesperson.count())
                 if form.salesperson.itemData(i) != form.salesperson.currentData())
    form.salesperson.setCurrentIndex(other)
    form.salesperson.activated.emit(other)
    assert form.reason.isVisible()


def test_a_partial_phone_with_a_candidate_does_not_promise_a_plain_new_archive(
        qtbot, window, manager, boxes, inline_operations):
    _customer(manager, "李四", "13912345678")
    window.frontdesk_page.register_visitor()
    form = window.frontdesk_page.dialog
    form.phone.setText("1391234")
    form.refresh_matches()
    assert form.matches.rowCount() == 1 and form.linked_id() is None
    assert "未选择" in form.link_note.text()
    assert not form.matches.empty_note.isVisible()
    form.phone.setText("150")
    form.refresh_matches()
    assert form.matches.empty_note.isVisible()


def test_a_hidden_archive_phone_says_the_manager_gets_the_visit(
        qtbot, qapp, archive, desk, salesperson, boxes, inline_operations):
    _customer(salesperson, "王五", "13800000003", "secret")
    window = _window(qtbot, qapp, archive, desk)
    window.frontdesk_page.register_visitor()
    form = window.frontdesk_page.dialog
    form.name.setText("王先生")
    form.phone.setText("13800000003")
    form.refresh_matches()
    assert form.restricted_note.isVisible() and "经理" in form.link_note.text()
    assert "不会新建" in form.link_note.text()
    QTest.keyClick(form.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert Customer.select().count() == 1
    assert "经理" in window.frontdesk_page.last.text()
    assert "经理" in window.statusBar().currentMessage()


def test_destroying_needs_a_saved_card(window, inline_operations):
    destroy = window.findChild(type(window.menuBar().actions()[0]), "destroyArchive")
    assert not destroy.isEnabled() and destroy.toolTip()


@pytest.fixture
def no_kept_widths() -> None:
    """Forget the column widths users left (the other backend's run of a test keeps them)."""
    from PySide6.QtCore import QSettings

    QSettings().remove("columns")


def test_list_columns_fit_the_list_and_are_kept_per_user(qtbot, no_kept_widths, window):
    view = window.customers.view
    window.pages.setCurrentWidget(window.customers.parentWidget())
    view.resize(900, 400)
    qtbot.waitUntil(lambda: abs(sum(window.customers.widths.widths()) - view.viewport().width())
                    < 12)
    view.setColumnWidth(1, 222)
    window.customers.widths.save()
    again = MainWindow(window.actor, "x")
    qtbot.addWidget(again)
    assert again.customers.view.columnWidth(1) == 222


def test_the_print_preview_fits_the_screen_and_can_be_closed(qtbot):
    from PySide6.QtWidgets import QPushButton

    from crmdesk.printing.render import write_pdf  # noqa: F401  (the preview's save path)
    from crmdesk.ui.dialogs.print_preview import PrintPreview, default_pdf_path

    preview = PrintPreview(b"", "客户档案卡 KH2026000001 张三")
    qtbot.addWidget(preview)
    room = preview.screen().availableSize()
    assert preview.width() <= room.width() and preview.height() <= room.height()
    assert "关闭" in [b.text() for b in preview.findChildren(QPushButton)]
    path = default_pdf_path('客户档案卡 KH2026000001 张/三')
    assert path.name == "客户档案卡 KH2026000001 张_三.pdf"


def test_the_file_dialog_speaks_chinese(qapp):
    from PySide6.QtWidgets import QFileDialog, QLabel

    from crmdesk.ui.app import install_qt_translation

    install_qt_translation(qapp)
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "查找范围" in labels and "文件类型" in labels


def test_the_shared_widths_fill_the_view_and_keep_minimums():
    from crmdesk.ui.column_widths import shared_widths

    widths = shared_widths(600, (12, 13, 11, 15, 5, 6, 7, 9, 9), [40] * 9)
    assert sum(widths) <= 600 and min(widths) >= 40
    assert QSize(sum(widths), 0).width() > 560


def test_no_window_is_larger_than_a_1366_by_768_screen(tmp_path):
    """Every role's main window and the larger dialogs fit an office PC's screen."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "office", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
        "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "tests.ui.screen_check"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "screen 1366x768" in done.stdout
    assert done.returncode == 0, done.stdout
