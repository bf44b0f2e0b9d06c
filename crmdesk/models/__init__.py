"""peewee models of the archive. Import models from here; open the database with ``db``."""
from __future__ import annotations

from crmdesk.models.access import AccessRequest, CardReader
from crmdesk.models.appointment import Appointment
from crmdesk.models.audit import AuditEntry
from crmdesk.models.complaints import Complaint, ComplaintStep, Deal
from crmdesk.models.confidentiality import CardReview, ExportApproval, LeakReport, Loan
from crmdesk.models.customer import Customer
from crmdesk.models.follow_up_tally import FollowUpTally
from crmdesk.models.frontdesk import DutyEntry, OwnershipChange, Visit
from crmdesk.models.household import HouseholdLink
from crmdesk.models.imports import ImportBatch, ImportItem
from crmdesk.models.level import Level
from crmdesk.models.live import ChangeEvent, Notice
from crmdesk.models.merges import ArchiveAlias, Merge, NotSamePerson
from crmdesk.models.office_fields import OfficeFieldRow, OfficeValue
from crmdesk.models.records import Communication, DecisionPerson, Purchase, YearlySale
from crmdesk.models.setting import Counter, Setting
from crmdesk.models.staff import Staff
from crmdesk.models.summaries import (
    ClassTally,
    ContactTally,
    GrowthTally,
    LevelChange,
    Milestone,
    StartTally,
)

ALL_MODELS = (Staff, Level, Setting, Counter, Customer, DecisionPerson, Purchase, Communication,
              AuditEntry, ImportBatch, ImportItem, CardReader, Visit, OwnershipChange, DutyEntry,
              ChangeEvent, Notice, Complaint, ComplaintStep, Deal, NotSamePerson, Merge,
              ArchiveAlias, Appointment, Loan, LeakReport, CardReview, HouseholdLink,
              AccessRequest, ExportApproval, OfficeFieldRow, OfficeValue, YearlySale,
              FollowUpTally, ContactTally, LevelChange, Milestone, GrowthTally, StartTally,
              ClassTally)

__all__ = [
    "ALL_MODELS",
    "AccessRequest",
    "Appointment",
    "ArchiveAlias",
    "AuditEntry",
    "CardReader",
    "CardReview",
    "ChangeEvent",
    "Communication",
    "Complaint",
    "ComplaintStep",
    "Counter",
    "Customer",
    "Deal",
    "DecisionPerson",
    "DutyEntry",
    "ExportApproval",
    "FollowUpTally",
    "HouseholdLink",
    "ImportBatch",
    "ImportItem",
    "LeakReport",
    "Level",
    "Loan",
    "Merge",
    "NotSamePerson",
    "Notice",
    "OfficeFieldRow",
    "OfficeValue",
    "OwnershipChange",
    "Purchase",
    "Setting",
    "Staff",
    "Visit",
    "YearlySale",
]
