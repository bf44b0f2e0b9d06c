"""Customer value (客户价值): how much a customer buys, graded from the purchase history.

The handbook grades by orders: A (战略性) more than 5 orders and over 100K in all, B more than 3
and 10K-100K, C scattered small orders under 10K. The product calls the grades 主力客户 / 一般客户 /
零散客户 (the archive handbook's words), so nobody mistakes them for the follow-up level, which
also uses letters. A customer who bought once or more but meets neither bar is 零散; one with no
purchase has no grade. The bars are the office's setting (``value_grades``).

Nothing is stored: the grade is worked out from the purchases whenever it is asked for.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import peewee

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import Customer, Purchase
from crmdesk.models.db import database
from crmdesk.services import audit, settings, visibility
from crmdesk.services.context import Actor

GRADES = ("main", "general", "scattered")
GRADE_TITLES = {"main": N_("Key customer"), "general": N_("Regular customer"),
                "scattered": N_("Occasional customer")}
BARRED = ("main", "general")  # the grades with a bar of their own, highest first
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Bar:
    """More than ``orders`` orders and more than ``amount`` yuan in all."""

    orders: int
    amount: Decimal


@dataclass(frozen=True)
class Value:
    """One customer's purchases in sum, and the grade they earn."""

    orders: int
    amount: Decimal
    grade: str | None

    @property
    def grade_label(self) -> str:
        return _(GRADE_TITLES[self.grade]) if self.grade else ""


def _money(total: object) -> Decimal:
    """A database SUM as yuan and fen (SQLite sums amounts as floating point)."""
    return Decimal(str(total or 0)).quantize(CENT)


def bars() -> dict[str, Bar]:
    """The office's bars for the graded levels, by grade."""
    return bars_from(settings.get("value_grades"))


def bars_from(stored: dict) -> dict[str, Bar]:
    """The bars of the ``value_grades`` setting as stored."""
    return {g: Bar(int(stored[g]["orders"]), Decimal(str(stored[g]["amount"]))) for g in BARRED}


def grade_of(orders: int, amount: Decimal, by: dict[str, Bar] | None = None) -> str | None:
    """The grade earned by ``orders`` purchases worth ``amount``; None without a purchase."""
    if orders <= 0:
        return None
    by = by or bars()
    for grade in BARRED:
        if orders > by[grade].orders and amount > by[grade].amount:
            return grade
    return "scattered"


def values_of(customer_ids: list[int]) -> dict[int, Value]:
    """The value of each customer with a purchase, in one query (others are left out)."""
    if not customer_ids:
        return {}
    by = bars()
    rows = (Purchase.select(Purchase.customer, peewee.fn.COUNT(Purchase.id),
                            peewee.fn.SUM(Purchase.amount))
            .where(Purchase.customer.in_(customer_ids)).group_by(Purchase.customer).tuples())
    return {cid: value_from(orders, amount, by) for cid, orders, amount in rows}


def value_from(orders: int, amount: object, by: dict[str, Bar]) -> Value:
    """The value of ``orders`` purchases worth ``amount`` in all, graded by the bars ``by``."""
    total = _money(amount)
    return Value(orders, total, grade_of(orders, total, by))


def with_grade(grade: str) -> peewee.Expression:
    """SQL for customers of ``grade``, for list filters."""
    if grade not in GRADES:
        raise ValidationError([Problem("grade", _("Customer value"), _(
            "not one of the choices: {value}").format(value=grade))])
    by = bars()
    orders, amount = peewee.fn.COUNT(Purchase.id), peewee.fn.SUM(Purchase.amount)
    having = orders > 0
    for barred in BARRED:
        # The bar goes in as a NUMERIC, not as text (SQLite ranks any text above any number).
        bar = peewee.Cast(peewee.Value(str(by[barred].amount)), "NUMERIC")
        earns = (orders > by[barred].orders) & (amount > bar)
        if barred == grade:
            having &= earns
            break
        having &= ~earns
    graded = Purchase.select(Purchase.customer).group_by(Purchase.customer).having(having)
    return Customer.id.in_(graded)


@dataclass(frozen=True)
class GradeCount:
    """How many customers ``actor`` may see hold a grade, and what they bought in all."""

    grade: str
    customers: int
    amount: Decimal

    @property
    def grade_label(self) -> str:
        return _(GRADE_TITLES[self.grade])


def summary(actor: Actor | None) -> list[GradeCount]:
    """Customers and amounts per grade: a manager's whole office, a salesperson's own."""
    mine = visibility.own_only(actor)
    by = bars()
    query = (Purchase.select(Purchase.customer, peewee.fn.COUNT(Purchase.id),
                             peewee.fn.SUM(Purchase.amount))
             .join(Customer).group_by(Purchase.customer))
    if mine is not None:
        query = query.where(Customer.owner == mine)
    counts = {g: [0, Decimal(0)] for g in GRADES}
    for _cid, orders, amount in query.tuples():
        total = _money(amount)
        tally = counts[grade_of(orders, total, by)]
        tally[0] += 1
        tally[1] += total
    return [GradeCount(g, *counts[g]) for g in GRADES]


def set_bars(new: dict[str, Bar], actor: Actor | None) -> None:
    """Store the office's bars (managers and administrators), audited.

    Raises:
        PermissionDenied: the actor may not change business settings.
        ValidationError: a bar missing, negative, or the key grade's bar not above the other's.
    """
    visibility.require(actor, visibility.Duty.BUSINESS_SETTINGS)
    problems = []
    for grade in BARRED:
        bar = new.get(grade)
        if bar is None or bar.orders < 0 or bar.amount < 0:
            problems.append(Problem(grade, _(GRADE_TITLES[grade]),
                                    _("orders and amount must be zero or more")))
    if not problems and (new["main"].orders < new["general"].orders
                         or new["main"].amount < new["general"].amount):
        problems.append(Problem("main", _(GRADE_TITLES["main"]), _(
            "must ask at least as much as a regular customer")))
    if problems:
        raise ValidationError(problems)
    stored = {g: {"orders": new[g].orders, "amount": str(new[g].amount)} for g in BARRED}
    with database.atomic():
        settings.put("value_grades", stored)
        audit.record(actor, "value_grades", None, **stored)


def parse_bar(orders: str, amount: str, grade: str) -> Bar:
    """A bar typed as text, or ValidationError naming the grade."""
    try:
        return Bar(int(orders), Decimal(amount.replace(",", "")))
    except (ValueError, InvalidOperation) as exc:
        raise ValidationError([Problem(grade, _(GRADE_TITLES[grade]), _(
            "orders must be a whole number and the amount a number"))]) from exc


@dataclass(frozen=True)
class ValuedCustomer:
    """A customer of a grade, as the list of that grade shows them."""

    customer_id: int
    archive_no: str
    name: str
    owner: str
    orders: int
    amount: Decimal


def customers_of_grade(grade: str, actor: Actor | None, limit: int = 500) -> list[ValuedCustomer]:
    """The customers of ``grade`` ``actor`` may see (a salesperson's own), biggest buyers first."""
    from crmdesk.models import Staff

    query = (Customer.select(Customer.id, Customer.archive_no, Customer.name, Staff.name)
             .join(Staff, peewee.JOIN.LEFT_OUTER, on=(Customer.owner == Staff.id))
             .where(with_grade(grade)))
    mine = visibility.own_only(actor)
    if mine is not None:
        query = query.where(Customer.owner == mine)
    rows = list(query.tuples())
    values = values_of([r[0] for r in rows])
    found = [ValuedCustomer(cid, no, name, owner or "", values[cid].orders, values[cid].amount)
             for cid, no, name, owner in rows]
    found.sort(key=lambda c: (-c.amount, c.archive_no))
    return found[:limit]
