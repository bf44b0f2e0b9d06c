"""The office's own fields on the card form: a box after each card group that has some, built
from the definitions like the card's own boxes, built again when the definitions change; and
the built-in fields the office hides."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from crmdesk.i18n import _
from crmdesk.models.card import Group, Section
from crmdesk.models.office_fields import PREFIX, OfficeField
from crmdesk.ui.card.form import References, SectionForm


def office_forms(section: Section, fields: list[OfficeField],
                 references: References, page: QWidget,
                 ) -> list[SectionForm]:
    """A form for each group of ``section`` with office fields, placed right after the
    group's own box on ``page``; the editors are named ``office.<key>``."""
    forms = []
    layout = page.layout()
    for group in section.groups:
        own = [f for f in fields if f.group == group.key]
        if not own:
            continue
        title = _("{group} (office fields)").format(group=group.label)
        boxed = Group(f"office_{group.key}", title, title, tuple(f.spec() for f in own),
                      applies=group.applies, columns=group.columns)
        holder = QWidget(page)
        holder.setObjectName(f"office_{group.key}")
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        form = SectionForm(Section(section.key, section.zh, section.en, (boxed,)), references,
                           holder)
        after = page.findChild(QGroupBox, f"group_{group.key}")
        layout.insertWidget(layout.indexOf(after) + 1, holder)
        forms.append(form)
    return forms


def rebuild_office_forms(pages: list[tuple[Section, QWidget]], old: list[SectionForm],
                         fields: list[OfficeField],
                         references: References) -> list[SectionForm]:
    """Take the office boxes of ``old`` off the card's ``pages`` (each with its section) and
    place those of ``fields`` instead."""
    for form in old:
        holder = form.parent()
        if isinstance(holder, QWidget):
            holder.hide()
            holder.parentWidget().layout().removeWidget(holder)
            holder.deleteLater()
    return [form for section, page in pages
            for form in office_forms(section, fields, references, page)]


def form_values(office: dict[str, Any]) -> dict[str, Any]:
    """A card's office values as the form's editors are named."""
    return {PREFIX + key: value for key, value in office.items()}


def split_values(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The form's values parted into the card's own and the office's (by key)."""
    own = {k: v for k, v in values.items() if not k.startswith(PREFIX)}
    office = {k.removeprefix(PREFIX): v for k, v in values.items() if k.startswith(PREFIX)}
    return own, office


def hide_builtins(forms: list[SectionForm], hidden: frozenset[str]) -> None:
    """Take the built-in fields the office does not use off the form (after it was shown for
    the customer's kind)."""
    for form in forms:
        for name in hidden & form.editors.keys():
            form.editors[name].setVisible(False)
            form.labels[name].setVisible(False)
