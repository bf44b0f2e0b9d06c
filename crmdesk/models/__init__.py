"""peewee models of the archive. Import models from here; open the database with ``db``."""
from __future__ import annotations

from crmdesk.models.access import CardReader
from crmdesk.models.audit import AuditEntry
from crmdesk.models.customer import Customer
from crmdesk.models.frontdesk import DutyEntry, OwnershipChange, Visit
from crmdesk.models.imports import ImportBatch, ImportItem
from crmdesk.models.level import Level
from crmdesk.models.live import ChangeEvent, Notice
from crmdesk.models.records import Communication, DecisionPerson, Purchase
from crmdesk.models.setting import Counter, Setting
from crmdesk.models.staff import Staff

ALL_MODELS = (Staff, Level, Setting, Counter, Customer, DecisionPerson, Purchase, Communication,
              AuditEntry, ImportBatch, ImportItem, CardReader, Visit, OwnershipChange, DutyEntry,
              ChangeEvent, Notice)

__all__ = [
    "ALL_MODELS",
    "AuditEntry",
    "CardReader",
    "ChangeEvent",
    "Communication",
    "Counter",
    "Customer",
    "DecisionPerson",
    "DutyEntry",
    "ImportBatch",
    "ImportItem",
    "Level",
    "Notice",
    "OwnershipChange",
    "Purchase",
    "Setting",
    "Staff",
    "Visit",
]
