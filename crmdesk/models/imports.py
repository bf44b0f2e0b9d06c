"""Imports from spreadsheets: one batch per committed file, one item per archive it touched.

A batch remembers who imported which file (name and SHA-256) when, the counts, and every archive
it created or updated with that archive's version right after the import, so the import can be
undone while those archives are untouched since.
"""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff


class ImportBatch(BaseModel):
    """One committed import of a file.

    ``audit_mark`` is the last audit entry written by the import: a later entry naming one of
    its archives means someone touched that archive since.
    """

    at = peewee.DateTimeField(index=True)
    actor = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="imports")
    file_name = peewee.TextField()
    sha256 = peewee.TextField(index=True)
    sheet = peewee.TextField(default="")
    policy = peewee.TextField()
    created = peewee.IntegerField(default=0)
    updated = peewee.IntegerField(default=0)
    skipped = peewee.IntegerField(default=0)
    rejected = peewee.IntegerField(default=0)
    audit_mark = peewee.IntegerField(default=0)
    undone_at = peewee.DateTimeField(null=True)
    undone_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                       backref="undone_imports")


class ImportItem(BaseModel):
    """An archive an import created or updated.

    ``version`` is the archive's version right after the import; ``previous`` is JSON holding,
    for an update, the values the import replaced.
    """

    batch = peewee.ForeignKeyField(ImportBatch, backref="items", on_delete="CASCADE")
    customer = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL",
                                      backref="import_items")
    archive_no = peewee.TextField()
    action = peewee.TextField()
    version = peewee.IntegerField()
    previous = peewee.TextField(default="{}")
