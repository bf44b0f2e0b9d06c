"""The office's card (字段配置): fields the office adds, hides and orders, without code.

Managers and administrators add a field (labels in Chinese and English, kind, choices, how
much it matters, which customers it is for, the card's group it sits in), change it, hide it
and order the fields of a group; they also hide built-in fields the office does not use
(never a required one), and remove a field: asked first when cards hold values of it, which
then stay in the audit trail. Every change is in the audit trail.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import peewee

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import _, ngettext
from crmdesk.models.card import CARD, FIELDS, Applies, Need
from crmdesk.models.customer import Customer
from crmdesk.models.db import database
from crmdesk.models.office_fields import (
    OfficeField,
    OfficeFieldRow,
    OfficeValue,
    definition,
    office_fields,
)
from crmdesk.models.office_kinds import CHOICE, KINDS
from crmdesk.services import audit, settings
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LABEL_MAX = 40
GROUPS = {group.key: group for section in CARD for group in section.groups}


@dataclass(frozen=True)
class FieldDraft:
    """An office field as the settings dialog edits it. ``choices`` are (key, 中文, English)."""

    key: str
    zh: str
    en: str
    kind: str
    group: str
    need: str = Need.GENERAL.value
    applies: str = Applies.BOTH.value
    choices: tuple[tuple[str, str, str], ...] = ()


class FieldHoldsValues(CrmError):
    """Cards hold values of the field to remove: the person removing it is asked first."""

    def __init__(self, label: str, count: int) -> None:
        super().__init__(ngettext(
            "{n} card holds a value of {label}. Removed, the field leaves the cards; its "
            "values stay in the audit trail.",
            "{n} cards hold a value of {label}. Removed, the field leaves the cards; its "
            "values stay in the audit trail.", count).format(n=count, label=label))
        self.label, self.count = label, count


def fields_of_office(include_hidden: bool = True) -> list[OfficeField]:
    """The office's fields in card order, hidden ones too unless told otherwise."""
    return office_fields(include_hidden=include_hidden)


def hidden_builtins() -> frozenset[str]:
    """The built-in fields the office hides."""
    return frozenset(settings.get("hidden_fields"))


def _problems(draft: FieldDraft, field_id: int | None) -> list[Problem]:
    problems = []
    taken = OfficeFieldRow.select().where(OfficeFieldRow.key == draft.key)
    if field_id is not None:
        taken = taken.where(OfficeFieldRow.id != field_id)
    if not KEY_PATTERN.match(draft.key):
        problems.append(Problem("key", _("Key"), _(
            "small letters, digits and _, starting with a letter, at most 40")))
    elif draft.key in FIELDS or taken.exists():
        problems.append(Problem("key", _("Key"), _("another field already uses the key {key}")
                                .format(key=draft.key)))
    for name, label, text in (("zh", _("Chinese label"), draft.zh),
                              ("en", _("English label"), draft.en)):
        if not text.strip():
            problems.append(Problem(name, label, _("required")))
        elif len(text.strip()) > LABEL_MAX:
            problems.append(Problem(name, label, _("at most {n} characters").format(n=LABEL_MAX)))
    if draft.kind not in KINDS:
        problems.append(Problem("kind", _("Kind"), _("no such kind: {kind}").format(
            kind=draft.kind)))
    if draft.group not in GROUPS:
        problems.append(Problem("group", _("Group"), _("no such group: {group}").format(
            group=draft.group)))
    if draft.need not in {n.value for n in Need}:
        problems.append(Problem("need", _("Need"), _("required, important or ordinary")))
    if draft.applies not in {a.value for a in Applies}:
        problems.append(Problem("applies", _("For"), _("individuals, organisations or both")))
    problems += _choice_problems(draft)
    return problems


def _choice_problems(draft: FieldDraft) -> list[Problem]:
    if draft.kind != CHOICE.key:
        return [Problem("choices", _("Choices"), _("only a choice field has choices"))] \
            if draft.choices else []
    keys = [key for key, _zh, _en in draft.choices]
    if not keys:
        return [Problem("choices", _("Choices"), _("give at least one choice"))]
    if any(not k.strip() or not zh.strip() for k, zh, _en in draft.choices):
        return [Problem("choices", _("Choices"), _("each choice needs a key and a label"))]
    if len(set(keys)) != len(keys):
        return [Problem("choices", _("Choices"), _("two choices have the same key"))]
    return []


def field_by_key(key: str) -> OfficeField:
    """The office field with ``key``, hidden or not.

    Raises:
        NotFoundError: no office field has that key.
    """
    row = OfficeFieldRow.get_or_none(OfficeFieldRow.key == key)
    if row is None:
        raise NotFoundError(_("No office field has the key {key}.").format(key=key))
    return definition(row)


def values_held(field_id: int) -> int:
    """How many cards hold a value of the field."""
    return OfficeValue.select().where(OfficeValue.field == field_id).count()


def _row(field_id: int) -> OfficeFieldRow:
    row = OfficeFieldRow.get_or_none(OfficeFieldRow.id == field_id)
    if row is None:
        raise NotFoundError(_("No office field with id {id}.").format(id=field_id))
    return row


def _columns(draft: FieldDraft) -> dict[str, object]:
    en = draft.en.strip()
    return {"zh": draft.zh.strip(), "en": en, "kind": draft.kind, "group": draft.group,
            "need": draft.need, "applies": draft.applies,
            "choices": json.dumps([list(c) for c in draft.choices], ensure_ascii=False)}


def add_field(draft: FieldDraft, actor: Actor | None) -> OfficeField:
    """Add a field to the office's card, last in its group.

    Raises:
        PermissionDenied: the actor is not a manager or administrator.
        ValidationError: every problem with the draft, by its part.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    problems = _problems(draft, None)
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        last = OfficeFieldRow.select(peewee.fn.MAX(OfficeFieldRow.position)).where(
            OfficeFieldRow.group == draft.group).scalar()
        row = OfficeFieldRow.create(key=draft.key, position=(last or 0) + 1, **_columns(draft))
        audit.record(actor, "office_field_add", None, key=draft.key, label=draft.zh.strip(),
                     kind=draft.kind, group=draft.group)
    return definition(row)


def change_field(field_id: int, draft: FieldDraft, actor: Actor | None) -> OfficeField:
    """Change an office field's labels, need, group, customers and choices. Its key stays,
    and its kind too once a card holds a value of it.

    Raises:
        PermissionDenied, ValidationError: see ``add_field``.
        NotFoundError: no such field.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    row = _row(field_id)
    problems = _problems(draft, field_id)
    if draft.key != row.key:
        problems.append(Problem("key", _("Key"), _("the key of a field cannot change")))
    if draft.kind != row.kind and OfficeValue.select().where(OfficeValue.field == row.id).exists():
        problems.append(Problem("kind", _("Kind"), _(
            "cards hold values of this field: its kind cannot change")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        before = _columns(FieldDraft(row.key, row.zh, row.en, row.kind, row.group, row.need,
                                     row.applies, tuple(tuple(c) for c in json.loads(row.choices))))
        after = _columns(draft)
        OfficeFieldRow.update(**after).where(OfficeFieldRow.id == field_id).execute()
        audit.record(actor, "office_field_change", None, key=row.key,
                     changed={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return definition(_row(field_id))


def set_hidden(field_id: int, hidden: bool, actor: Actor | None) -> OfficeField:
    """Hide an office field from the card (its values stay) or show it again.

    Raises:
        PermissionDenied: see ``add_field``.
        NotFoundError: no such field.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    row = _row(field_id)
    with database.atomic():
        OfficeFieldRow.update(hidden=hidden).where(OfficeFieldRow.id == field_id).execute()
        audit.record(actor, "office_field_hidden", None, key=row.key, hidden=hidden)
    return definition(_row(field_id))


def reorder(group: str, keys: Sequence[str], actor: Actor | None) -> list[OfficeField]:
    """Put the office fields of ``group`` in the order of ``keys`` (every one of them).

    Raises:
        PermissionDenied: see ``add_field``.
        ValidationError: ``keys`` are not exactly the group's fields.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    rows = {r.key: r for r in OfficeFieldRow.select().where(OfficeFieldRow.group == group)}
    if sorted(keys) != sorted(rows):
        raise ValidationError([Problem("order", _("Order"), _(
            "give every field of the group once"))])
    with database.atomic():
        for position, key in enumerate(keys, start=1):
            OfficeFieldRow.update(position=position).where(
                OfficeFieldRow.id == rows[key].id).execute()
        audit.record(actor, "office_field_order", None, group=group, order=list(keys))
    return [f for f in office_fields(include_hidden=True) if f.group == group]


def remove_field(key: str, actor: Actor | None, confirmed: bool = False) -> int:
    """Remove the office field ``key`` and every card's value of it; returns how many values
    went.

    The values go into the field's removal entry of the audit trail first (the text each card
    showed, by archive number), so what the cards held stays on record.

    Raises:
        PermissionDenied: see ``add_field``.
        NotFoundError: no such field.
        FieldHoldsValues: cards hold values and ``confirmed`` is False; nothing is removed.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    field = field_by_key(key)
    field_id = field.id
    with database.atomic():
        held = list(OfficeValue.select(Customer.archive_no, OfficeValue.value)
                    .join(Customer, on=(OfficeValue.customer == Customer.id))
                    .where(OfficeValue.field == field_id).order_by(Customer.archive_no).tuples())
        if held and not confirmed:
            raise FieldHoldsValues(field.label, len(held))
        audit.record(actor, "office_field_remove", None, key=key, label=field.zh,
                     kind=field.kind.key, group=field.group,
                     values={number: field.display(field.kind.load(stored))
                             for number, stored in held})
        OfficeValue.delete().where(OfficeValue.field == field_id).execute()
        OfficeFieldRow.delete().where(OfficeFieldRow.id == field_id).execute()
    return len(held)


def hide_builtin(name: str, hidden: bool, actor: Actor | None) -> frozenset[str]:
    """Hide a built-in field the office does not use, or show it again; returns those hidden.

    Raises:
        PermissionDenied: see ``add_field``.
        ValidationError: no such field, or a required one (it cannot be hidden).
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    spec = FIELDS.get(name)
    if spec is None:
        raise ValidationError([Problem("name", name, _("no such field"))])
    if spec.need is Need.REQUIRED and hidden:
        raise ValidationError([Problem(name, spec.label, _(
            "a required field cannot be hidden"))])
    now = set(hidden_builtins())
    now = now | {name} if hidden else now - {name}
    with database.atomic():
        settings.put("hidden_fields", sorted(now))
        audit.record(actor, "builtin_field_hidden", None, field=name, hidden=hidden)
    return frozenset(now)
