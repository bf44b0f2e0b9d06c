"""Leaving the desk: log out returns to the login without quitting, switch user changes hands
only once the next person is in, and changing one's password needs the current one."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from crmdesk.models import AuditEntry
from crmdesk.services import accounts
from crmdesk.services.context import Actor
from crmdesk.ui.desk_session import DeskSession
from crmdesk.ui.dialogs.login import ChangePasswordDialog


class Logins:
    """Answers the session's login prompts in turn (None: cancelled) and counts quits."""

    def __init__(self, *answers: Actor | None) -> None:
        self.answers = list(answers)
        self.asked = 0

    def __call__(self, _parent: object) -> Actor | None:
        self.asked += 1
        return self.answers.pop(0)


@pytest.fixture
def quits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    seen: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_a: seen.append(True))
    yield seen
    QApplication.instance().setQuitOnLastWindowClosed(True)


@pytest.fixture
def sessions(qtbot, archive, boxes) -> Iterator[list[DeskSession]]:
    """Sessions made by a test; their windows close (and finish their work) before the
    archive does. Windows a session closed itself are already gone."""
    made: list[DeskSession] = []
    yield made
    boxes.answer = QMessageBox.StandardButton.Discard
    for session in made:
        if session.window is not None:
            session.window.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _session(sessions: list[DeskSession], actor: Actor, logins: Logins) -> DeskSession:
    session = DeskSession("archive", ask=logins)
    sessions.append(session)
    session.start(actor)
    return session


def _trigger(session: DeskSession, name: str) -> None:
    assert session.window is not None
    session.window.findChild(QAction, name).trigger()


def test_log_out_returns_to_the_login_and_opens_the_next_persons_window(
        sessions, archive, manager, salesperson, quits, boxes):
    logins = Logins(salesperson)
    session = _session(sessions, manager, logins)
    first = session.window
    _trigger(session, "logOut")
    assert logins.asked == 1
    assert session.window is not None and session.window is not first
    assert session.window.actor == salesperson
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not quits  # the first window's going did not end the program
    assert AuditEntry.select().where(AuditEntry.action == "logout").count() == 1


def test_cancelling_the_login_after_log_out_quits(sessions, archive, manager, quits, boxes):
    session = _session(sessions, manager, Logins(None))
    _trigger(session, "logOut")
    assert session.window is None
    assert quits == [True]


def _unsaved_card(qtbot, session: DeskSession) -> None:
    card = session.window.card
    with qtbot.waitSignal(card.load_new("individual").finished, timeout=5000):
        pass
    qtbot.keyClicks(card.editor("name"), "zhang")
    assert card.is_dirty()


@pytest.mark.parametrize(("answer", "stays"), [(QMessageBox.StandardButton.Cancel, True),
                                                (QMessageBox.StandardButton.Discard, False)])
def test_log_out_asks_about_an_unsaved_card_first(qtbot, sessions, archive, manager,
                                                  salesperson, quits, boxes, answer, stays):
    boxes.answer = answer
    logins = Logins(salesperson)
    session = _session(sessions, manager, logins)
    first = session.window
    _unsaved_card(qtbot, session)
    _trigger(session, "logOut")
    assert (session.window is first) == stays
    assert logins.asked == (0 if stays else 1)
    assert not quits


def test_switch_user_cancelled_keeps_the_window_and_its_person(sessions, archive, manager,
                                                               salesperson, quits, boxes):
    logins = Logins(None, salesperson)
    session = _session(sessions, manager, logins)
    first = session.window
    _trigger(session, "switchUser")
    assert session.window is first and first.isVisible() and first.actor == manager
    _trigger(session, "switchUser")
    assert session.window is not first and session.window.actor == salesperson
    assert not quits


def test_changing_my_password_checks_the_current_one(qtbot, archive, manager):
    accounts.set_password(None, manager.staff_id, "old password")
    dialog = ChangePasswordDialog(manager)
    qtbot.addWidget(dialog)
    dialog.current.setText("wrong one")
    dialog.password.setText("new password")
    dialog.repeat.setText("new password")
    dialog.submit()
    assert dialog.actor is None and dialog.error.text()
    dialog.current.setText("old password")
    dialog.repeat.setText("new passw0rd")
    dialog.submit()
    assert dialog.actor is None and dialog.error.text()
    dialog.repeat.setText("new password")
    dialog.submit()
    assert dialog.actor == manager
    assert accounts.log_in("manager", "new password") == manager
