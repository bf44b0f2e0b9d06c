"""Registering a visitor or caller (F2): name, phone, purpose, Enter; the rest is defaulted.

Archives matching the phone (and name, company) are listed as the phone is typed, straight from
the service: the check answers in a few milliseconds even at 200,000 customers. A phone that
already has an archive selects it, so the visit is a return visit; creating a second archive for
that phone needs the "different customer" box ticked. Who receives the visitor is proposed (the
protected owner, else the rotation); choosing someone else needs a reason.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError, ValidationError
from crmdesk.i18n import _
from crmdesk.models.card import SOURCES
from crmdesk.services import frontdesk, rotation
from crmdesk.services.context import Actor
from crmdesk.services.duplicates import Match, find_duplicates, phone_key, restricted_hits
from crmdesk.services.frontdesk import DuplicatePhoneError, VisitDraft, VisitResult
from crmdesk.services.glance import protection_label
from crmdesk.services.visit_register import channel_label
from crmdesk.ui.rows_table import RowsTable

WARNING_STYLE = "color: #b3261e; font-weight: bold;"


def _match_headers() -> list[str]:
    return [_("Archive no."), _("Customer name"), _("Phone"), _("Salesperson"), _("Level"),
            _("Last contact"), _("Protection")]


class VisitDialog(QDialog):
    """The register form; once accepted, ``registered`` says what was registered."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Register a visitor (F2)"))
        self._actor = actor
        self._matches: list[Match] = []
        self._proposal = frontdesk.propose(None)
        self.registered: VisitResult | None = None
        self.name = self._line("visitName", _("Visitor's name"))
        self.phone = self._line("visitPhone", _("Mobile or phone, e.g. 138 0013 8000"))
        self.purpose = self._line("visitPurpose", _("What they came for"))
        self.company = self._line("visitCompany", _("Company (optional)"))
        self.channel = QComboBox(self)
        for key in ("visit", "call"):
            self.channel.addItem(channel_label(key), key)
        self.party = QSpinBox(self)
        self.party.setRange(1, 99)
        self.source = QComboBox(self)
        self.source.addItem(_("as the channel"), None)
        for choice in SOURCES:
            self.source.addItem(choice.label, choice.key)
        self.matches = RowsTable(_match_headers(), self, stretch=1)
        self.matches.setObjectName("matches")
        self.matches.setMinimumHeight(150)
        self.matches.itemSelectionChanged.connect(self._match_chosen)
        self.different = QCheckBox(_("A different customer: create a new archive anyway"), self)
        self.different.setObjectName("confirmNew")
        self.different.toggled.connect(self._different_toggled)
        self.restricted_note = QLabel(
            _("An archive exists for this phone that you may not see: ask the manager."), self)
        self.restricted_note.setObjectName("restrictedNote")
        self.restricted_note.setStyleSheet("color: #c5221f; font-weight: bold;")
        self.restricted_note.setVisible(False)
        self.link_note = QLabel(self)
        self.link_note.setObjectName("linkNote")
        self.link_note.setWordWrap(True)
        self.salesperson = QComboBox(self)
        self.salesperson.setObjectName("salesperson")
        for staff_id, name in rotation.salespeople():
            self.salesperson.addItem(name, staff_id)
        self.salesperson.activated.connect(self._receiver_changed)
        self.reason = self._line("overrideReason", _("Why someone else? (required)"))
        self.proposal_note = QLabel(self)
        self.proposal_note.setObjectName("proposalNote")
        self.proposal_note.setWordWrap(True)
        self.register_button = QPushButton(_("Register (Enter)"), self)
        self.register_button.setObjectName("registerVisit")
        cancel = QPushButton(_("Cancel (Esc)"), self)
        for button in (self.register_button, cancel):
            button.setAutoDefault(False)
        self.register_button.clicked.connect(self.register)
        cancel.clicked.connect(self.reject)
        self._layout(cancel)
        self.phone.textEdited.connect(self.refresh_matches)
        self.name.editingFinished.connect(self.refresh_matches)
        self.company.editingFinished.connect(self.refresh_matches)
        # Enter moves on from name to phone to purpose, and registers from the other lines.
        self.name.returnPressed.connect(self.phone.setFocus)
        self.phone.returnPressed.connect(self.purpose.setFocus)
        for line in (self.purpose, self.company, self.reason):
            line.returnPressed.connect(self.register)
        self._show_proposal()
        self.resize(880, 600)
        self.name.setFocus()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        return line

    def _layout(self, cancel: QPushButton) -> None:
        main = QFormLayout()
        main.addRow(_("Visitor's name") + " *", self.name)
        main.addRow(_("Phone") + " *", self.phone)
        main.addRow(_("Purpose"), self.purpose)
        more = QGridLayout()
        for col, (label, widget) in enumerate(((_("Channel"), self.channel),
                                               (_("Party size"), self.party),
                                               (_("Source"), self.source))):
            more.addWidget(QLabel(label, self), 0, col * 2)
            more.addWidget(widget, 0, col * 2 + 1)
        more.addWidget(QLabel(_("Company"), self), 1, 0)
        more.addWidget(self.company, 1, 1, 1, 5)
        receiver = QFormLayout()
        receiver.addRow(_("Received by"), self.salesperson)
        receiver.addRow(_("Reason"), self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(main)
        layout.addLayout(more)
        layout.addWidget(QLabel(_("Archives that may be this visitor's (choose one for a return "
                                  "visit):"), self))
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.different)
        layout.addWidget(self.restricted_note)
        layout.addWidget(self.link_note)
        layout.addLayout(receiver)
        layout.addWidget(self.proposal_note)
        layout.addLayout(buttons)

    # -- the duplicate check ------------------------------------------------------------------

    def refresh_matches(self) -> None:
        """List the archives matching what is typed; a phone with an archive selects it."""
        chosen = self.linked_id()
        self._matches = find_duplicates(self.phone.text(), self.name.text(),
                                        self.company.text(), actor=self._actor)
        self.matches.blockSignals(True)
        self.matches.set_rows(
            [(m.customer_id, (m.archive_no, m.name, m.phone, m.owner, m.level,
                              m.last_contact.isoformat() if m.last_contact else "",
                              protection_label(m))) for m in self._matches],
            warn=[not m.protected for m in self._matches])
        self.matches.blockSignals(False)
        restricted = restricted_hits(self.phone.text(), self._actor)
        self.restricted_note.setVisible(bool(restricted))
        phone_matches = [m for m in self._matches if m.matched_on == "phone"]
        known_phone = phone_key(self.phone.text()).complete and bool(phone_matches)
        self.different.setEnabled(known_phone)
        if not known_phone:
            self.different.setChecked(False)
        if chosen is None and known_phone and not self.different.isChecked():
            chosen = min(m.customer_id for m in phone_matches)  # 客户首访原则: the earliest
        self.matches.select_key(chosen)
        self._match_chosen()

    def linked_id(self) -> int | None:
        """The archive the visit will be linked to (None: a new archive)."""
        return self.matches.current_key()

    def _match_chosen(self) -> None:
        linked = self.linked_id()
        if linked is not None and self.different.isChecked():
            self.different.setChecked(False)
        match = next((m for m in self._matches if m.customer_id == linked), None)
        if match is None:
            self.link_note.setText(_("A new archive will be created."))
            self.link_note.setStyleSheet("")
        else:
            self.link_note.setText(_("Return visit of {no} {name} (owner {owner}, {protection})")
                                   .format(no=match.archive_no, name=match.name,
                                           owner=match.owner or "-",
                                           protection=protection_label(match)))
            self.link_note.setStyleSheet("" if match.protected else WARNING_STYLE)
        proposal = frontdesk.propose(linked)
        changed = (proposal.salesperson_id, proposal.assignment) != (
            self._proposal.salesperson_id, self._proposal.assignment)
        self._proposal = proposal
        self._show_proposal(keep_choice=not changed)

    def _different_toggled(self, checked: bool) -> None:
        if checked:
            self.matches.clearSelection()

    # -- who receives the visitor -------------------------------------------------------------

    def _show_proposal(self, keep_choice: bool = False) -> None:
        """Show who is proposed and why; select them unless the desk already chose someone."""
        proposal = self._proposal
        if not keep_choice:
            self.salesperson.setCurrentIndex(self.salesperson.findData(proposal.salesperson_id))
        texts = {
            "owner": _("Goes to the owner, still protected: uses no rotation turn."),
            "rotation": _("Next in the rotation."),
            "make_up": _("Next in the rotation: a turn missed while out."),
            "manual": _("Nobody is present on the duty list: choose who receives the visitor."),
        }
        text = texts[proposal.assignment]
        if proposal.protection is not None and proposal.assignment != "owner":
            # A return visit not going to its owner: the owner's protection has lapsed.
            text = _("The owner's protection has lapsed; the front desk may give the visit to "
                     "the rotation.") + " " + text
            self.proposal_note.setStyleSheet(WARNING_STYLE)
        else:
            self.proposal_note.setStyleSheet("")
        self.proposal_note.setText(text)
        self._receiver_changed()

    def _receiver_changed(self) -> None:
        overridden = (self._proposal.salesperson_id is not None
                      and self.salesperson.currentData() != self._proposal.salesperson_id)
        self.reason.setEnabled(overridden)
        if not overridden:
            self.reason.clear()

    # -- registering --------------------------------------------------------------------------

    def draft(self) -> VisitDraft:
        """The visit as entered."""
        return VisitDraft(
            name=self.name.text(), phone=self.phone.text(), purpose=self.purpose.text(),
            channel=self.channel.currentData(), company=self.company.text(),
            party_size=self.party.value(), source=self.source.currentData(),
            customer_id=self.linked_id(), salesperson_id=self.salesperson.currentData(),
            override_reason=self.reason.text(), confirm_new=self.different.isChecked(),
        )

    def register(self) -> None:
        """Register the visit; on refusal keep everything typed and say why."""
        try:
            self.registered = frontdesk.register_visit(self.draft(), self._actor)
        except DuplicatePhoneError as exc:
            self.refresh_matches()
            QMessageBox.warning(self, _("Visitor not registered"), str(exc))
            return
        except ValidationError as exc:
            QMessageBox.warning(self, _("Visitor not registered"),
                                "\n".join(f"• {p}" for p in exc.problems))
            return
        except CrmError as exc:
            QMessageBox.warning(self, _("Visitor not registered"), str(exc))
            return
        self.accept()
