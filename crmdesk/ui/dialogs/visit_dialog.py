"""Registering a visitor or caller (F2): name, Enter, phone, Enter (Tab to add the purpose first);
the rest is defaulted.

Archives that may be the visitor's are listed as the phone is typed, compared by the one
duplicate rule as the card editor's panel compares a card (services.duplicates), each with why
it matches: each keystroke asks as an operation, off the UI thread, and only the newest answer
is shown (the check answers in a few milliseconds even at 200,000 customers). A phone that
already has an archive selects it, so the visit is a return visit; creating a second archive
against a strong match needs the "different customer" box ticked and the reason why. Who
receives the visitor is proposed (the protected owner, else the rotation); choosing someone
else needs a reason.

The form never reads the archive on the UI thread: the salespeople, the proposal and the
registration are operations too. Enter pressed while an answer is still coming registers once
it is in, so the visit goes to whoever the desk saw proposed.
"""
from __future__ import annotations

import dataclasses

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

from crmdesk.errors import ValidationError
from crmdesk.i18n import _
from crmdesk.models.card import SOURCES
from crmdesk.services import frontdesk, rotation
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import DuplicateArchiveError
from crmdesk.services.duplicates import Match, find_duplicates, phone_key, restricted_hits
from crmdesk.services.frontdesk import DuplicatePhoneError, Proposal, VisitDraft, VisitResult
from crmdesk.services.glance import protection_label
from crmdesk.services.staff import staff_names
from crmdesk.services.visit_register import channel_label
from crmdesk.ui.dialogs.visit_relations import RelatedArchives, look_up_typed
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

WARNING_STYLE = "color: #b3261e; font-weight: bold;"


def _match_headers() -> list[str]:
    return [_("Archive no."), _("Customer name"), _("Phone"), _("Salesperson"), _("Level"),
            _("Last contact"), _("Protection"), _("Why")]


def _why(match: Match) -> str:
    """Why an archive is listed, and how strongly the rule takes it for the visitor's."""
    if not match.score:
        return match.why
    mark = _("very likely the same customer") if match.strong else _("possibly")
    return f"{match.why}（{mark}）"


class VisitDialog(QDialog):
    """The register form; once accepted, ``registered`` says what was registered."""

    def __init__(self, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Register a visitor (F2)"))
        self._actor = actor
        self._operations = operations
        self._matches: list[Match] = []
        self._restricted = False  # the phone has an archive this desk may not see
        self._hidden_match = False  # an archive it may not see matches the name and company
        self._proposal = Proposal(None, "manual")  # until the first proposal is read
        # The newest matches and proposal still being read, and whether Enter waits on them.
        self._asking: dict[str, Operation] = {}
        self._register_waiting = False
        self._registering = False
        self.registered: VisitResult | None = None
        self.received_by = ""  # the name of whoever receives the registered visitor
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
        self.related = RelatedArchives(operations, self)
        self.source.currentIndexChanged.connect(
            lambda: self.related.set_source(self.source.currentData()))
        self.related.changed.connect(self._match_chosen)
        self.matches = RowsTable(_match_headers(), self, stretch=1,
                                 empty=_("No archive matches what is typed."))
        self.matches.setObjectName("matches")
        self.matches.setMinimumHeight(150)
        self.matches.itemSelectionChanged.connect(self._match_chosen)
        self.different = QCheckBox(_("A different customer: create a new archive anyway"), self)
        self.different.setObjectName("confirmNew")
        self.different.toggled.connect(self._different_toggled)
        self.confirm_reason = self._line(
            "confirmReason", _("Why is this a different customer? (kept in the audit trail)"))
        self.confirm_reason.setVisible(False)
        self.restricted_note = QLabel(self)
        self.restricted_note.setWordWrap(True)
        self.restricted_note.setObjectName("restrictedNote")
        self.restricted_note.setStyleSheet("color: #c5221f; font-weight: bold;")
        self.restricted_note.setVisible(False)
        self.link_note = QLabel(self)
        self.link_note.setObjectName("linkNote")
        self.link_note.setWordWrap(True)
        self.salesperson = QComboBox(self)
        self.salesperson.setObjectName("salesperson")
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
        # Enter moves on from the name to the phone.
        self.name.returnPressed.connect(self.phone.setFocus)
        # Enter registers from every line but the name (the phone is still needed there).
        for line in (self.phone, self.purpose, self.company, self.reason, self.confirm_reason):
            line.returnPressed.connect(self.register)
        self._receiver_changed()
        self._track("proposal", operations.run(
            lambda: (rotation.salespeople(), frontdesk.propose(None)), self._take_salespeople,
            title=_("Front desk"), parent=self))
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
        self._receiver_form = receiver
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(main)
        layout.addLayout(more)
        layout.addWidget(self.related)
        layout.addWidget(QLabel(_("Archives that may be this visitor's (choose one for a return "
                                  "visit):"), self))
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.different)
        layout.addWidget(self.confirm_reason)
        layout.addWidget(self.restricted_note)
        layout.addWidget(self.link_note)
        layout.addLayout(receiver)
        layout.addWidget(self.proposal_note)
        layout.addLayout(buttons)

    # -- the duplicate check ------------------------------------------------------------------

    def refresh_matches(self) -> Operation:
        """Look up the archives matching what is typed (the newest answer wins) and list them;
        a phone with an archive selects it."""
        phone, name, company, actor = (self.phone.text(), self.name.text(), self.company.text(),
                                       self._actor)

        def check() -> tuple[list[Match], bool, bool]:
            return (find_duplicates(phone, name, company, actor=actor),
                    bool(restricted_hits(phone, actor)),
                    bool(company.strip() and restricted_hits("", actor, name, company)))

        return self._track("matches", self._operations.run(
            check, lambda found: self._show_matches(phone, *found),
            channel=f"visit-matches-{id(self)}", title=_("Archives not checked"), parent=self))

    def _track(self, question: str, operation: Operation) -> Operation:
        """Remember ``operation`` as the newest answer coming to ``question`` until it is in."""
        if operation.is_running():
            self._asking[question] = operation
            operation.finished.connect(lambda: self._answered(question, operation))
        return operation

    def _answered(self, question: str, operation: Operation) -> None:
        if self._asking.get(question) is operation:
            del self._asking[question]
        if self._register_waiting and not self._asking:
            self._register_waiting = False
            self.register()

    def _show_matches(self, phone: str, matches: list[Match], restricted: bool,
                      hidden_match: bool) -> None:
        chosen = self.linked_id()
        self._matches = matches
        self.matches.blockSignals(True)
        self.matches.set_rows(
            [(m.customer_id, (m.archive_no, m.name, m.phone, m.owner, m.level,
                              m.last_contact.isoformat() if m.last_contact else "",
                              protection_label(m), _why(m))) for m in self._matches],
            warn=[not m.protected for m in self._matches])
        self.matches.blockSignals(False)
        self.restricted_note.setText(self._restricted_text(restricted, hidden_match))
        self.restricted_note.setVisible(restricted or hidden_match)
        self._restricted, self._hidden_match = restricted, hidden_match
        phone_matches = [m for m in self._matches if m.matched_on == "phone"]
        known_phone = phone_key(phone).complete and bool(phone_matches)
        # A strong match refuses a new archive until the desk confirms a different customer.
        self.different.setEnabled(known_phone or hidden_match
                                  or any(m.strong for m in self._matches))
        if not self.different.isEnabled():
            self.different.setChecked(False)
        if chosen is None and known_phone and not self.different.isChecked():
            chosen = min(m.customer_id for m in phone_matches)  # 客户首访原则: the earliest
        self.matches.select_key(chosen)
        self._match_chosen()

    @staticmethod
    def _restricted_text(restricted: bool, hidden_match: bool) -> str:
        if restricted:
            return _("An archive exists for this phone that you may not see: registering "
                     "records the visit for the manager, who receives the visitor.")
        return _("An archive you may not see matches too: ask the manager.") \
            if hidden_match else ""

    def linked_id(self) -> int | None:
        """The archive the visit will be linked to (None: a new archive)."""
        return self.matches.current_key()

    def _match_chosen(self) -> None:
        linked = self.linked_id()
        if linked is not None and self.different.isChecked():
            self.different.setChecked(False)
        match = next((m for m in self._matches if m.customer_id == linked), None)
        if match is None:
            self.link_note.setText(self._no_link_text())
            self.link_note.setStyleSheet("")
        else:
            self.link_note.setText(_("Return visit of {no} {name} (owner {owner}, {protection})")
                                   .format(no=match.archive_no, name=match.name,
                                           owner=match.owner or "-",
                                           protection=protection_label(match)))
            self.link_note.setStyleSheet("" if match.protected else WARNING_STYLE)
        related = self.related.found()
        self._track("proposal", self._operations.run(
            lambda: frontdesk.propose(linked, **related), self._take_proposal,
            channel=f"visit-proposal-{id(self)}", title=_("Front desk"), parent=self))

    def _no_link_text(self) -> str:
        """What happens when no archive is chosen: a new one, or the manager's visit."""
        if self._restricted and not any(m.matched_on == "phone" for m in self._matches):
            return _("No new archive is created: the visit is recorded for the manager.")
        if not self.different.isChecked() and any(m.strong for m in self._matches):
            return _("An archive above is very likely this visitor's: choose it for a return "
                     "visit, or tick \"a different customer\" and say why.")
        if self._matches:
            return _("None of the archives above is chosen: a new archive will be created. "
                     "Choose one for a return visit.")
        return _("A new archive will be created.")

    def _different_toggled(self, checked: bool) -> None:
        """A different customer: no archive is chosen, and the desk says why (asked for by
        the rule when the match is strong)."""
        if checked:
            self.matches.clearSelection()
        self.confirm_reason.setVisible(checked)
        if checked:
            self.confirm_reason.setFocus()
        else:
            self.confirm_reason.clear()
        if self.linked_id() is None:
            self.link_note.setText(self._no_link_text())

    # -- who receives the visitor -------------------------------------------------------------

    def _take_salespeople(self, read: tuple[list[tuple[int, str]], Proposal]) -> None:
        salespeople, proposal = read
        for staff_id, name in salespeople:
            self.salesperson.addItem(name, staff_id)
        self._take_proposal(proposal, first=True)

    def _take_proposal(self, proposal: Proposal, first: bool = False) -> None:
        changed = (proposal.salesperson_id, proposal.assignment) != (
            self._proposal.salesperson_id, self._proposal.assignment)
        self._proposal = proposal
        self._show_proposal(keep_choice=not (changed or first))

    def _show_proposal(self, keep_choice: bool = False) -> None:
        """Show who is proposed and why; select them unless the desk already chose someone."""
        proposal = self._proposal
        if not keep_choice:
            self.salesperson.setCurrentIndex(self.salesperson.findData(proposal.salesperson_id))
        texts = {
            "owner": _("Goes to the owner, still protected: uses no rotation turn."),
            "referral": _("Goes to the salesperson of the old customer who brought them: uses "
                          "no rotation turn."),
            "household": _("Goes to whoever received the first member of the household: uses "
                           "no rotation turn."),
            "rotation": _("Next in the rotation."),
            "make_up": _("Next in the rotation: a turn missed while out."),
            "manual": _("Nobody is present on the duty list: choose who receives the visitor."),
        }
        text = texts[proposal.assignment]
        if proposal.protection is not None and proposal.assignment != "owner":
            # A return visit not going to its owner: the owner's protection has lapsed.
            text = _("The owner's protection has lapsed, or the owner has left: whoever "
                     "receives this return keeps the customer, and no rotation turn is "
                     "used.") + " " + text
            self.proposal_note.setStyleSheet(WARNING_STYLE)
        else:
            self.proposal_note.setStyleSheet("")
        self.proposal_note.setText(text)
        self._receiver_changed()

    def _receiver_changed(self) -> None:
        overridden = (self._proposal.salesperson_id is not None
                      and self.salesperson.currentData() != self._proposal.salesperson_id)
        self.reason.setEnabled(overridden)
        # The reason is asked for only when someone other than the one proposed is chosen.
        self._receiver_form.setRowVisible(self.reason, overridden)
        if not overridden:
            self.reason.clear()

    # -- registering --------------------------------------------------------------------------

    def draft(self) -> VisitDraft:
        """The visit as entered, with the related archives as last looked up (registering
        looks up again what is typed then)."""
        return VisitDraft(
            name=self.name.text(), phone=self.phone.text(), purpose=self.purpose.text(),
            channel=self.channel.currentData(), company=self.company.text(),
            party_size=self.party.value(), source=self.source.currentData(),
            customer_id=self.linked_id(), salesperson_id=self.salesperson.currentData(),
            override_reason=self.reason.text(), confirm_new=self.different.isChecked(),
            confirm_reason=self.confirm_reason.text(),
            **self.related.found(),
        )

    def register(self) -> Operation | None:
        """Register the visit as an operation (after the answers still coming); on refusal
        keep everything typed and say why."""
        if self._registering:
            return None
        if self._asking:
            self._register_waiting = True
            return None
        draft, typed, actor = self.draft(), self.related.typed(), self._actor

        def work() -> tuple[VisitResult, str]:
            related = look_up_typed(typed) if typed else {}
            result = frontdesk.register_visit(dataclasses.replace(draft, **related), actor)
            return result, staff_names().get(result.salesperson_id, "")

        self._set_registering(True)
        return self._operations.run(work, self._registered, on_error=self._refused,
                                    title=_("Visitor not registered"), parent=self)

    def _set_registering(self, registering: bool) -> None:
        self._registering = registering
        self.register_button.setEnabled(not registering)

    def _registered(self, result: tuple[VisitResult, str]) -> None:
        self._set_registering(False)
        self.registered, self.received_by = result
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._set_registering(False)
        if isinstance(error, (DuplicatePhoneError, DuplicateArchiveError)):
            self.refresh_matches()
            QMessageBox.warning(self, _("Visitor not registered"), str(error))
        elif isinstance(error, ValidationError):
            QMessageBox.warning(self, _("Visitor not registered"),
                                "\n".join(f"• {p}" for p in error.problems))
            if any(p.field == "confirm_reason" for p in error.problems):
                self.confirm_reason.setFocus()
        else:
            self._operations.fail(error, _("Visitor not registered"), self)
