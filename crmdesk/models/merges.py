"""Duplicate archives: pairs a manager said are two people, merges, and the numbers merged away.

A merge keeps one archive (the survivor) and folds the other into it. ``Merge.snapshot`` holds
every row the merge changed or deleted, as it was, so the merge can be undone exactly while
neither archive was touched since. The merged-away number lives on as an ``ArchiveAlias`` of the
survivor: searching for it, or scanning an old printed card, finds the survivor.
"""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff


class NotSamePerson(BaseModel):
    """Two archives a person checked and found to be different people; the scan leaves the pair
    out. ``first`` has the smaller id."""

    first = peewee.ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    second = peewee.ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    marked_at = peewee.DateTimeField()
    marked_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    reason = peewee.TextField(default="")

    class Meta:
        indexes = ((("first", "second"), True), (("second",), False))


class Merge(BaseModel):
    """One merge: ``kept`` survived, ``merged_no`` (id ``merged_id``) was folded into it.

    ``kept_version`` is the survivor's version right after the merge and ``audit_mark`` the id of
    the merge's own audit entry: a later entry about the survivor means it was touched since.
    ``snapshot`` is JSON: the rows as they were before the merge, and the rows it created.
    """

    at = peewee.DateTimeField(index=True)
    by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    kept = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL", backref="+")
    kept_no = peewee.TextField()
    merged_id = peewee.IntegerField()
    merged_no = peewee.TextField(index=True)
    kept_version = peewee.IntegerField()
    audit_mark = peewee.IntegerField(default=0)
    snapshot = peewee.TextField()
    undone_at = peewee.DateTimeField(null=True)
    undone_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class ArchiveAlias(BaseModel):
    """An archive number merged away, and the archive it now belongs to."""

    archive_no = peewee.TextField(unique=True)
    customer = peewee.ForeignKeyField(Customer, on_delete="CASCADE", backref="aliases")
    merge = peewee.ForeignKeyField(Merge, on_delete="CASCADE", backref="+")


MERGE_MODELS = (NotSamePerson, Merge, ArchiveAlias)
