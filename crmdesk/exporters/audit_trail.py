"""The audit trail as an Excel workbook, for a manager's review."""
from __future__ import annotations

import json
from pathlib import Path

from crmdesk.i18n import _


def audit_headers() -> list[str]:
    """Column headings of the audit view and its workbook."""
    return [_("No."), _("When"), _("Who"), _("Action"), _("Archive no."), _("Details")]


def write_audit_workbook(rows: list[dict], path: Path) -> None:
    """Write audit entries (services.audit_text.readable) to ``path``: the action by name and
    its details as a line, with the stored code and details beside them for checking."""
    from openpyxl import Workbook  # heavy: loaded when a manager exports, not at start

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    sheet.append([*audit_headers(), _("Action code"), _("Stored details")])
    for entry in rows:
        sheet.append([entry["seq"], entry["at"], entry["person"], entry["action_title"],
                      entry["archive_no"], entry["text"], entry["action"],
                      json.dumps(entry["details"], ensure_ascii=False)])
    book.save(path)
