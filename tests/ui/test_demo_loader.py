"""Loading demo data from the window: a long operation with Cancel, which keeps nothing of it."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from crmdesk.models import Customer, Staff
from crmdesk.services import demo
from crmdesk.services.context import Actor
from crmdesk.ui.main_window import MainWindow


def test_cancelling_the_demo_loader_keeps_nothing_and_says_so(qtbot, archive, boxes,
                                                              monkeypatch):
    admin = Actor.of(Staff.create(name="管理员", username="admin", roles="admin"))
    window = MainWindow(admin, str(archive))
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_args, **_kwargs: (3000, True))
    monkeypatch.setattr(demo, "BATCH", 20)

    operation = window.load_demo()
    operation.cancel()  # as the progress window's Cancel does
    with qtbot.waitSignal(operation.finished, timeout=30000):
        pass

    assert operation.state == "cancelled", operation.error
    assert Customer.select().count() == 0
    assert "取消" in window.statusBar().currentMessage()
    window.tasks.wait()
