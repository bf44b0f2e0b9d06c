"""The audit trail: who did what to which archive, and when; each entry sealed to the last."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff

# What a destroyed archive's earlier entries keep as details (see services.retention).
REDACTED_DETAILS = '{"redacted": true}'


class AuditEntry(BaseModel):
    """One recorded action; ``details`` is JSON (changed fields with old and new values, counts).

    ``seq`` numbers entries without gaps; ``hash`` covers this entry's content and the previous
    entry's hash, so editing, deleting or reordering an entry breaks the chain. The archive
    number is kept as text: it outlives a destroyed archive, whose ``customer`` link is cleared.
    The chain seals ``details_digest`` (SHA-256 of the details), so destroying an archive can
    blank the personal values in its entries' details while the chain still verifies.
    """

    at = peewee.DateTimeField(index=True)
    actor = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    actor_name = peewee.TextField(default="")
    action = peewee.TextField(index=True)
    customer = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL", index=True)
    archive_no = peewee.TextField(null=True, index=True)
    # The customer's id for good: the link above is cleared when the archive is destroyed, and
    # the seal must still cover which archive the entry was about.
    customer_ref = peewee.IntegerField(null=True)
    details = peewee.TextField(default="{}")
    details_digest = peewee.TextField(default="")
    seq = peewee.BigIntegerField(null=True, unique=True)
    prev_hash = peewee.TextField(default="")
    hash = peewee.TextField(default="")
