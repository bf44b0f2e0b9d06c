"""The wizard's preview: every row as new, a duplicate of KH… or an error with its reasons.

Nothing is written yet. The user chooses what happens to customers already in the archive for
the whole import, and may choose differently for single duplicate rows (double-click the
action).
"""
from __future__ import annotations

import itertools

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.importers.preview import Policy, Preview, RowStatus
from crmdesk.ui.dialogs.import_rows import (
    ACTION,
    PROBLEMS,
    STATUS,
    ActionDelegate,
    PreviewModel,
    StatusFilter,
    action_text,
    status_text,
)
from crmdesk.ui.rows_table import WARNING_COLOUR

MAX_COLUMN_WIDTH = 260
# The reasons of a refused row are sized to be read whole: up to this wide, measured over the
# first refused rows (a longer text still shows in full below the table and in the tooltip).
MAX_PROBLEMS_WIDTH = 1600
MEASURED_ROWS = 2000
PADDING = 12  # the widths follow the first rows; later ones may be a little longer


class PreviewPage(QWidget):
    """Counts, the duplicate policy, the rows, and the reasons of the row selected.

    ``save_rejected`` fires when the user asks for the rejected rows in a workbook.
    """

    save_rejected = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: Preview | None = None
        self.model: PreviewModel | None = None
        self.earlier = QLabel(self)
        self.earlier.setWordWrap(True)
        self.earlier.setStyleSheet(f"color: {WARNING_COLOUR.name()}; font-weight: bold;")
        self.counts = QLabel(self)
        self.counts.setObjectName("importCounts")
        self.counts.setWordWrap(True)
        self.policy = QComboBox(self)
        self.policy.setObjectName("importPolicy")
        for policy in Policy:
            self.policy.addItem(policy.label, policy.value)
        self.policy.currentIndexChanged.connect(self._policy_chosen)
        self.show_only = QComboBox(self)
        for text, status in ((_("All rows"), None), (_("Errors"), RowStatus.ERROR),
                             (_("Duplicates"), RowStatus.DUPLICATE), (_("New"), RowStatus.NEW)):
            self.show_only.addItem(text, status)
        self.show_only.currentIndexChanged.connect(
            lambda _i: self.rows.show_status(self.show_only.currentData()))
        self.save_button = QPushButton(_("Save rejected rows…"), self)
        self.save_button.clicked.connect(self.save_rejected)
        choices = QHBoxLayout()
        for text, widget in ((_("Customers already in the archive:"), self.policy),
                             (_("Show:"), self.show_only)):
            choices.addWidget(QLabel(text, self))
            choices.addWidget(widget)
        choices.addStretch(1)
        choices.addWidget(self.save_button)
        self.rows = StatusFilter(self)
        self.table = QTableView(self)
        self.table.setObjectName("importPreview")
        self.table.setModel(self.rows)
        self.table.setItemDelegateForColumn(ACTION, ActionDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMinimumHeight(self.fontMetrics().height() * 3)
        hint = QLabel(_("Double-click the action of a duplicate row to choose differently "
                        "for that row."), self)
        layout = QVBoxLayout(self)
        for widget in (self.earlier, self.counts):
            layout.addWidget(widget)
        layout.addLayout(choices)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.details)

    def set_preview(self, preview: Preview) -> None:
        """Show the dry run of ``preview``."""
        earlier = self.model
        self.preview = preview
        self.model = PreviewModel(preview, self)
        self.model.dataChanged.connect(self._show_counts)
        self.rows.setSourceModel(self.model)
        if earlier is not None:
            earlier.deleteLater()  # it holds every row of the previous dry run
        self.policy.blockSignals(True)
        self.policy.setCurrentIndex(self.policy.findData(preview.policy.value))
        self.policy.blockSignals(False)
        self.earlier.setText(preview.earlier_import or "")
        self.earlier.setVisible(bool(preview.earlier_import))
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            widest = MAX_COLUMN_WIDTH * (2 if column == STATUS else 1)  # "duplicate of KH…"
            header.resizeSection(column, min(header.sectionSize(column) + PADDING, widest))
        header.resizeSection(PROBLEMS, self._problems_width(preview))
        labels = max(self.fontMetrics().horizontalAdvance(p.label) for p in Policy)
        header.resizeSection(ACTION, max(header.sectionSize(ACTION), labels + 30))
        self.details.clear()
        self._show_counts()

    def _problems_width(self, preview: Preview) -> int:
        """Wide enough for the longest reasons (of the first rows refused), never cut off."""
        texts = ["；".join(str(p) for p in row.problems)
                 for row in itertools.islice((r for r in preview.rows if r.problems),
                                             MEASURED_ROWS)]
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(t) for t in texts),
                     default=metrics.horizontalAdvance(_("Problems")))
        return min(widest + 2 * PADDING, MAX_PROBLEMS_WIDTH)

    def _policy_chosen(self, _index: int) -> None:
        if self.preview is None or self.model is None:
            return
        self.preview.policy = Policy(self.policy.currentData())
        self.model.refresh()

    def choose_policy(self, policy: Policy) -> None:
        """Apply ``policy`` to every duplicate row the user did not choose for."""
        self.policy.setCurrentIndex(self.policy.findData(policy.value))

    def set_row_action(self, row_number: int, action: Policy | None) -> bool:
        """Choose the action of the sheet's row ``row_number`` (None: the import's policy)."""
        assert self.model is not None
        numbers = [r.row for r in self.model.preview.rows]
        index = self.model.index(numbers.index(row_number), ACTION)
        return self.model.setData(index, action.value if action else None)

    def _show_counts(self, *_changed: object) -> None:
        if self.preview is None:
            return
        counts = self.preview.counts()
        self.counts.setText(_(
            "{rows} rows: {new} new, {duplicate} duplicates, {error} with errors. Importing "
            "will create {create} archives, update {update}, skip {skip} and reject {error}."
        ).format(rows=len(self.preview.rows), new=counts.new, duplicate=counts.duplicate,
                 error=counts.error, create=counts.create, update=counts.update,
                 skip=counts.skip))
        self.save_button.setEnabled(counts.error > 0)

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.model is None or not current.isValid():
            self.details.clear()
            return
        row = self.model.row_at(self.rows.mapToSource(current).row())
        self.details.setText(row.reasons or _("Row {row}: {found}; {action}.").format(
            row=row.row, found=status_text(row), action=action_text(self.model.preview, row)))
