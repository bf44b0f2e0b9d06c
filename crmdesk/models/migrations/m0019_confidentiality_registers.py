"""Schema 19: the lending register, leak reports, reviews of new cards, household links,
requests to read a card, grants that lapse by themselves, and approvals of exports."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.access import AccessRequest
from crmdesk.models.confidentiality import CardReview, ExportApproval, LeakReport, Loan
from crmdesk.models.household import HouseholdLink


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the ``loan``, ``leak_report``, ``card_review``, ``household_link``,
    ``access_request`` and ``export_approval`` tables; give ``card_reader`` its ``until`` day."""
    tables = [Loan, LeakReport, CardReview, HouseholdLink, AccessRequest, ExportApproval]
    with db.bind_ctx(tables):
        db.create_tables(tables)
    # An archive from before schema 6 got card_reader from today's model (with ``until``).
    if "until" not in {column.name for column in db.get_columns("card_reader")}:
        migrator.migrate(migrator.add_column("card_reader", "until",
                                             peewee.DateField(null=True)))
