""""Put up for review" (提交审核) on the card's header: whoever writes the card puts it to the
manager for review and sign-off (审核签字确认); the manager signs it off on the 保密登记 page."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QPushButton

from crmdesk.i18n import _
from crmdesk.services import card_reviews
from crmdesk.ui.operations import Operation, Operations

if TYPE_CHECKING:
    from crmdesk.services.context import Actor
    from crmdesk.ui.card.editor import CardEditor


class ReviewButton(QPushButton):
    """Puts the card open in ``editor`` up for review; enabled for a saved card one may write."""

    def __init__(self, editor: CardEditor, actor: Actor | None, operations: Operations) -> None:
        super().__init__(_("Put up for review"), editor)
        self.setObjectName("putUpForReview")
        self.setToolTip(_("Ask a manager to review this card and sign it off"))
        self._editor, self._actor, self._operations = editor, actor, operations
        self.clicked.connect(self.put_up)
        editor.loaded.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.setEnabled(self._editor.customer_id is not None and not self._editor.read_only)

    def put_up(self) -> Operation | None:
        """Put the card up; a card already up or signed off is refused with the reason."""
        customer_id, actor = self._editor.customer_id, self._actor
        if customer_id is None:
            return None

        def done(_result: None) -> None:
            QMessageBox.information(self, _("Put up for review"), _(
                "The card is up for a manager's review and sign-off."))

        return self._operations.run(lambda: card_reviews.put_up(customer_id, actor), done,
                                    title=_("Not put up for review"), parent=self)
