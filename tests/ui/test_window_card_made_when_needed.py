"""The card beside the list is made when first needed: the window opens on the home page
without building it, and everything that follows the card still does once it is made."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction

from crmdesk.i18n import _
from crmdesk.ui.card.editor import CardEditor
from crmdesk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, archive, manager, boxes) -> Iterator[MainWindow]:
    """A manager's window as it opens (the shared fixture makes its card at once)."""
    main = MainWindow(manager, str(archive))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.tasks.wait()


def test_the_window_opens_on_the_home_page_without_making_the_card(window):
    assert window.pages.currentIndex() == 0 and window.pages.currentWidget() is not (
        window._archive_page)
    assert window.findChild(CardEditor) is None
    assert window.open_card_id is None


def test_showing_the_archive_page_puts_the_card_beside_the_list(window, qtbot):
    window.show_archive()
    card = window.findChild(CardEditor)
    assert card is not None and window._archive_page.widget(1) is card
    qtbot.waitUntil(card.isVisible)
    assert window.card is card  # made once


def test_the_menus_follow_the_card_once_it_is_made(window, qtbot, manager):
    from crmdesk.services import customers

    card = customers.new_card(manager)
    card.values.update(name="张伟")
    saved = customers.save_card(card, manager, accept_incomplete=True).customer_id
    print_card = next(a for a in window.findChildren(QAction) if a.text() == _("Print this card…"))
    assert not print_card.isEnabled()  # no card yet: nothing to print
    window.show_customer(saved)
    qtbot.waitUntil(lambda: window.open_card_id == saved)
    assert print_card.isEnabled()


def test_an_administrator_without_a_home_page_opens_on_the_list_and_card(qtbot, archive, boxes):
    from crmdesk.models import Staff
    from crmdesk.services.context import Actor

    admin = Actor.of(Staff.create(name="系统管理员", username="admin", roles="admin"))
    main = MainWindow(admin, str(archive))
    qtbot.addWidget(main)
    main.show()
    assert main.pages.currentWidget() is main._archive_page
    card = main.findChild(CardEditor)
    assert card is not None and main._archive_page.widget(1) is card
    main.tasks.wait()
