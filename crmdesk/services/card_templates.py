"""Ready-made cards for a kind of office (展厅 showroom, 电话销售 telesales, 单位/大客户
organisation sales): which built-in fields the card shows, and the level scheme.

A new office picks one when it is set up (the first administrator's dialog, or
``crmdesk staff first-admin --card-template``); a manager or administrator may pick another
later in the office settings. Picking one hides exactly the template's built-in fields (through
the office's hidden fields, ``services.office_fields``) and applies its level preset
(``services.levels``). Nothing is deleted: a hidden field keeps its values and shows them
again under a template that shows it; levels customers use stay. Each pick is audited.
"""
from __future__ import annotations

from dataclasses import dataclass

from crmdesk.errors import NotFoundError
from crmdesk.i18n import N_, _
from crmdesk.models.db import database
from crmdesk.services import audit, levels, settings
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require

# What an office that sells to distributors and organisations asks (the 丸石 card) and a shop
# selling to walk-in or phoned-in people does not.
_DISTRIBUTOR = frozenset({
    "store_type", "ownership", "business_mode", "wholesale_share", "main_brands",
    "yearly_sales", "our_yearly_sales", "local_rank", "market_share", "sales_capability",
    "business_philosophy", "potential", "direction"})
_PRINCIPALS_PRIVATE = frozenset(f"{who}_{item}" for who in ("legal_rep", "manager")
                                for item in ("religion", "native_place", "hobbies", "fax"))
# The personal template's family and life items (seed 001), gathered face to face.
_FAMILY = frozenset({
    "family", "spouse_name", "spouse_phone", "spouse_employer", "spouse_education",
    "spouse_birth_date", "spouse_interests", "parents", "children", "child_birth_date",
    "children_school", "children_interests", "closest_family"})
_PROFILE = frozenset({
    "favourite_restaurants", "favourite_shops", "favourite_cuisine", "drinking", "smoking",
    "health", "travel_means", "car_brand", "car_plate", "associations", "sociability",
    "housing", "property_investment", "buying_priorities", "dress", "information_sources",
    "admired_person", "independence", "career_goals", "personal_goals",
    "proudest_achievement", "purchase_reason", "bought_from_us", "knows_us",
    "cares_about_clientele"})


@dataclass(frozen=True)
class CardTemplate:
    """A ready-made card: its title and description (message ids), the built-in fields it
    hides, and the key of its level preset."""

    key: str
    title: str
    description: str
    hidden: frozenset[str]
    level_preset: str

    @property
    def label(self) -> str:
        return _(self.title)

    @property
    def about(self) -> str:
        return _(self.description)


TEMPLATES: dict[str, CardTemplate] = {
    "showroom": CardTemplate(
        "showroom", N_("Showroom (展厅)"),
        N_("Walk-in customers met face to face: the whole personal profile; organisations "
           "without the distributor items. Levels O, H, A, B, C, lost."),
        _DISTRIBUTOR | _PRINCIPALS_PRIVATE, "showroom"),
    "telesales": CardTemplate(
        "telesales", N_("Telesales (电话销售)"),
        N_("Customers reached by phone: contact and basic personal items, no family or life "
           "profile, no distributor items. Levels A daily, B weekly, C 15 days, D 30 days."),
        _DISTRIBUTOR | _PRINCIPALS_PRIVATE | _FAMILY | _PROFILE | {"home_phone"}, "telesales"),
    "organisation": CardTemplate(
        "organisation", N_("Organisation sales (单位/大客户)"),
        N_("Organisations and distributors: every organisation item, its principals and the "
           "sales by year; no family or life profile. Levels A weekly to D every 90 days."),
        _FAMILY | _PROFILE | {"home_phone"}, "organisation"),
}


@dataclass(frozen=True)
class TemplateResult:
    """What picking a template changed: fields now hidden and shown again, levels made,
    and customers whose next follow-up was worked out again."""

    template: str
    hidden: tuple[str, ...]
    shown: tuple[str, ...]
    levels: levels.PresetResult


def templates() -> list[CardTemplate]:
    """The ready-made cards, showroom first."""
    return list(TEMPLATES.values())


def current_template() -> str | None:
    """The key of the template the office picked last, or None."""
    return settings.get("card_template")


def apply_template(key: str, actor: Actor | None) -> TemplateResult:
    """Make the card and the levels those of template ``key``, in one transaction.

    The built-in fields hidden become exactly the template's (the office's own fields stay as
    they are); no value is deleted.

    Raises:
        PermissionDenied: the actor is not a manager or administrator.
        NotFoundError: no template has that key.
    """
    require(actor, Duty.BUSINESS_SETTINGS)
    template = TEMPLATES.get(key)
    if template is None:
        raise NotFoundError(_("No card template called {key}; there are: {keys}.").format(
            key=key, keys=", ".join(TEMPLATES)))
    with database.atomic():
        before = frozenset(settings.get("hidden_fields"))
        settings.put("hidden_fields", sorted(template.hidden))
        settings.put("card_template", key)
        scheme = levels.apply_preset(template.level_preset, actor)
        hidden = tuple(sorted(template.hidden - before))
        shown = tuple(sorted(before - template.hidden))
        audit.record(actor, "card_template", None, template=key, hidden=list(hidden),
                     shown=list(shown))
    return TemplateResult(key, hidden, shown, scheme)
