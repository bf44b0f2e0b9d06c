"""The front desk's records: the visitor and caller register, ownership history, the duty list.

Seed 001 (案场管理): every visitor and caller is registered (来人/来电登记表); the earliest
registration decides whose customer it is (客户首访原则); salespeople receive new visitors in
turn (轮流接待) and make up the turns they missed while out.
"""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff

CHANNELS = ("visit", "call")
DUTY_STATES = ("present", "out", "off")
# How the salesperson of a visit was chosen: the protected owner (no turn used), the salesperson
# of the old customer who brought a new one or the first receiver of the visitor's household (no
# turn used), the rotation
# (a regular or a make-up turn), the front desk's override (with a reason), or by hand when
# nobody was on the duty list.
# "manager": the phone belongs to an archive the front desk may not see; a manager takes it.
ASSIGNMENTS = ("owner", "referral", "household", "rotation", "make_up", "override", "manual",
               "manager")
# What changed an archive's owner.
OWNERSHIP_KINDS = ("registration", "transfer", "claim", "return")


class Visit(BaseModel):
    """One line of the register: a walk-in (来访) or an enquiry call (来电).

    ``phone`` is stored normalised (crmdesk.models.phones) so a dispute finds every line of a
    number however it was typed. ``returning`` is False for a first visit, which created the
    archive ``customer``; True when the visit was linked to an existing archive.
    """

    arrived_at = peewee.DateTimeField(index=True)
    channel = peewee.TextField(default="visit")
    name = peewee.TextField()
    phone = peewee.TextField(index=True)
    company = peewee.TextField(null=True)
    party_size = peewee.IntegerField(default=1)
    purpose = peewee.TextField(null=True)
    source = peewee.TextField(null=True)
    referrer = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL",
                                      backref="referred_visits")
    receptionist = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                          backref="visits_registered")
    salesperson = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                         backref="visits_received")
    customer = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL",
                                      backref="visits")
    returning = peewee.BooleanField(default=False)
    assignment = peewee.TextField(default="manual")
    override_reason = peewee.TextField(null=True)
    departed_at = peewee.DateTimeField(null=True)
    notes = peewee.TextField(null=True)


class OwnershipChange(BaseModel):
    """One change of an archive's owner: who gave it to whom, when, by whose hand, and why."""

    customer = peewee.ForeignKeyField(Customer, backref="ownership_changes", on_delete="CASCADE",
                                      index=False)
    at = peewee.DateTimeField()
    kind = peewee.TextField()
    from_staff = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                        backref="customers_given")
    to_staff = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                      backref="customers_taken")
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                backref="ownership_changes_made")
    reason = peewee.TextField(default="")

    class Meta:
        indexes = ((("customer", "at"), False),)


class DutyEntry(BaseModel):
    """One salesperson on one day's duty list, in ``position`` order.

    ``owed`` counts the turns that passed them while they were out (空几轮补接几名);
    ``last_turn`` is the number of the last regular turn they took that day (0: none yet), so
    the rotation goes on after whoever has the highest, even after a restart.
    """

    day = peewee.DateField()
    staff = peewee.ForeignKeyField(Staff, on_delete="CASCADE", backref="duty_days")
    position = peewee.IntegerField()
    state = peewee.TextField(default="present")
    owed = peewee.IntegerField(default=0)
    last_turn = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("day", "staff"), True),)


FRONTDESK_MODELS = (Visit, OwnershipChange, DutyEntry)
