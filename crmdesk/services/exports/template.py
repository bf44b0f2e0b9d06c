"""The import template of this office: its levels, staff and own fields, without the built-in
fields it hides (the workbook itself: ``crmdesk.exporters.template``)."""
from __future__ import annotations

from pathlib import Path

from crmdesk.models.office_fields import office_fields
from crmdesk.services.levels import levels
from crmdesk.services.office_fields import hidden_builtins
from crmdesk.services.staff import active_staff


def write_import_template(path: Path | str) -> None:
    """Write the office's import template to ``path``.

    Raises:
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    from crmdesk.exporters.template import write_template  # openpyxl: loaded when first used

    write_template(path, [lv.code for lv in levels(active_only=True)],
                   [name for _id, name in active_staff()], office_fields(), hidden_builtins())
