"""Run as a program on a 1366 x 768 screen: open the main window for each role and the larger
dialogs, and print every top-level window that is larger than the available screen."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog


def main() -> int:
    app = QApplication(sys.argv[:1])
    from crmdesk.models import Staff
    from crmdesk.models.db import open_database
    from crmdesk.services import accounts
    from crmdesk.services.context import Actor
    from crmdesk.ui.app import install_font
    from crmdesk.ui.dialogs.contact_dialog import ContactDialog
    from crmdesk.ui.dialogs.print_preview import PrintPreview
    from crmdesk.ui.dialogs.visit_dialog import VisitDialog
    from crmdesk.ui.main_window import MainWindow

    install_font(app)
    folder = Path(tempfile.mkdtemp())
    open_database(folder / "archive.sqlite3")
    admin = accounts.create_first_admin("管理员", "admin", "a long password")
    windows = []
    for roles in ("frontdesk", "sales", "manager"):
        actor = Actor.of(Staff.create(name=roles, username=roles, roles=roles))
        window = MainWindow(actor, str(folder))
        windows.append(window)
        windows.append(VisitDialog(actor, window.tasks, window))
    windows.append(MainWindow(admin, str(folder)))
    windows += [ContactDialog(None, "", None, admin, windows[-1].tasks),
                PrintPreview(b"", "preview")]
    room = app.primaryScreen().availableGeometry()
    print(f"screen {room.width()}x{room.height()}")
    for window in windows:
        window.show()
        app.processEvents()
    too_large = [w for w in QApplication.topLevelWidgets() if w.isVisible()
                 and (w.frameGeometry().width() > room.width()
                      or w.frameGeometry().height() > room.height())]
    for widget in too_large:
        size = widget.frameGeometry()
        print(f"too large: {type(widget).__name__} {size.width()}x{size.height()}")
    for window in windows:
        if isinstance(window, QDialog):
            window.reject()
    return 1 if too_large else 0


if __name__ == "__main__":
    sys.exit(main())
