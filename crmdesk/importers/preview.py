"""What a dry run found, row by row, before anything is written: the import preview.

Each data row of the sheet is new, a duplicate (of an archive, KH..., or of an earlier row of
the same file), or an error with every reason named. Duplicates follow the import's policy
unless the user chose otherwise for that row. The Qt preview shows these objects as they are,
and ``services.imports.commit.commit_import`` writes exactly what they say.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from crmdesk.i18n import _
from crmdesk.importers.mapping import ColumnMapping


class Policy(Enum):
    """What to do with a row that matches a customer already known."""

    SKIP = "skip"
    FILL = "fill"
    OVERWRITE = "overwrite"
    CREATE = "create"

    @property
    def label(self) -> str:
        return {
            Policy.SKIP: _("Skip"),
            Policy.FILL: _("Fill empty fields only"),
            Policy.OVERWRITE: _("Overwrite with the file's values"),
            Policy.CREATE: _("Create a new archive anyway"),
        }[self]


class RowStatus(Enum):
    """What the dry run found for one row."""

    NEW = "new"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One reason a row is refused: which row, which column (and its header), and why."""

    row: int
    column: int | None
    header: str
    label: str
    message: str

    @property
    def cell(self) -> str:
        """The cell as Excel names it (C7), or the row alone when no column is to blame."""
        if self.column is None:
            return str(self.row)
        return f"{get_column_letter(self.column + 1)}{self.row}"

    def __str__(self) -> str:
        where = self.header or self.label
        if self.column is None:
            return _("row {row}, {label}: {message}").format(
                row=self.row, label=where, message=self.message)
        return _("row {row}, cell {cell} ({header}): {message}").format(
            row=self.row, cell=self.cell, header=where, message=self.message)


@dataclass(frozen=True, slots=True)
class Match:
    """The customer a row duplicates: an archive (with the version seen) or an earlier row."""

    reason: str
    customer_id: int | None = None
    archive_no: str | None = None
    version: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        reason = {
            "archive_no": _("same archive number"),
            "mobile": _("same mobile"),
            "phone": _("same phone"),
            "name": _("same name and company"),
        }.get(self.reason, self.reason)
        if self.archive_no:
            return _("duplicate of {no} ({reason})").format(no=self.archive_no, reason=reason)
        return _("duplicate of row {row} ({reason})").format(row=self.row, reason=reason)


@dataclass(slots=True)
class PreviewRow:
    """One data row: its clean values, what the dry run found, and its original cells if it
    may be refused (None otherwise: see ``rows.parse_row``).

    ``given`` names the fields the file filled; the others hold defaults, which never
    overwrite an archive. ``referrer_row`` links a referrer written as another row of the file.
    """

    row: int
    raw: tuple[Any, ...] | None = None
    values: dict[str, Any] = field(default_factory=dict)
    given: frozenset[str] = frozenset()
    problems: list[CellProblem] = field(default_factory=list)
    archive_no: str | None = None
    referrer_text: str | None = None
    referrer_row: int | None = None
    match: Match | None = None
    action: Policy | None = None

    @property
    def status(self) -> RowStatus:
        if self.problems:
            return RowStatus.ERROR
        return RowStatus.DUPLICATE if self.match else RowStatus.NEW

    @property
    def reasons(self) -> str:
        """Every problem of the row, one per line."""
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class Counts:
    """How many rows are new, duplicates and errors, and what the commit will do."""

    new: int
    duplicate: int
    error: int
    create: int
    update: int
    skip: int


@dataclass
class Preview:
    """The dry run of one import: every data row, with the options it was run with."""

    path: Path
    sha256: str
    sheet: str
    mapping: ColumnMapping
    policy: Policy
    owners: tuple[int, ...]
    rows: list[PreviewRow]
    rotation: int = 0
    earlier_import: str | None = None

    @property
    def file_name(self) -> str:
        return self.path.name

    def action(self, row: PreviewRow) -> Policy | None:
        """What the commit does with ``row``: None for an error, else create, skip or update."""
        if row.status is RowStatus.ERROR:
            return None
        if row.status is RowStatus.NEW:
            return Policy.SKIP if row.action is Policy.SKIP else Policy.CREATE
        return row.action or self.policy

    def set_action(self, row_number: int, action: Policy | None) -> None:
        """Choose what to do with one row (None: follow the import's policy).

        Raises:
            KeyError: no data row has that number.
            ValueError: the row is an error, or the action does not fit a new row.
        """
        row = next((r for r in self.rows if r.row == row_number), None)
        if row is None:
            raise KeyError(row_number)
        if row.status is RowStatus.ERROR:
            raise ValueError(_("row {row} has errors and cannot be imported").format(
                row=row_number))
        if row.status is RowStatus.NEW and action in (Policy.FILL, Policy.OVERWRITE):
            raise ValueError(_("row {row} is new: it can only be created or skipped").format(
                row=row_number))
        row.action = action

    def counts(self) -> Counts:
        """The counts shown above the preview and printed by the command line."""
        status = [r.status for r in self.rows]
        actions = [self.action(r) for r in self.rows]
        return Counts(
            new=status.count(RowStatus.NEW),
            duplicate=status.count(RowStatus.DUPLICATE),
            error=status.count(RowStatus.ERROR),
            create=actions.count(Policy.CREATE),
            update=actions.count(Policy.FILL) + actions.count(Policy.OVERWRITE),
            skip=actions.count(Policy.SKIP),
        )

    def error_rows(self) -> list[PreviewRow]:
        """The rows that will be rejected, for the error workbook."""
        return [r for r in self.rows if r.status is RowStatus.ERROR]
