"""Schema 30: one definition of a complete card (crmdesk.models.completeness) for the
statistics too.

The archive-growth report counted a card complete by the card's own important fields alone, an
unticked consent box as an answer; the incomplete-card reminder also asked the office's
important fields and took an unticked box for no answer. Each archive's milestone is worked
out again by the one definition, and its monthly growth tally from those; the triggers that
keep it so (on the office's fields and values too) are made once every step has run, as after
any step (``refresh_summaries``).
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.summaries import recount_completeness


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Count every archive's completeness again by the one definition."""
    recount_completeness(db)
