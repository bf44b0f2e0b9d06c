"""The customer export's rows: read as plain rows and made a row at a time, the same cells as
peewee's reading and the renderer's cell-by-cell values give."""
from __future__ import annotations

from crmdesk.models import Customer
from crmdesk.services.exports.customers import (
    Renderer,
    customer_chunks,
    customer_records,
    export_columns,
)


def test_records_are_what_peewee_reads(office):
    ids = [c.id for c in Customer.select(Customer.id)]
    assert customer_records(ids) == {r["id"]: r for r in Customer.select().dicts()}


def test_a_row_at_a_time_gives_the_cells_of_each_column_in_turn(office):
    columns = export_columns(None)
    renderer = Renderer()
    row = renderer.row_maker(columns)
    _total, chunks = customer_chunks(office, None)
    records = [record for chunk in chunks for record in chunk]
    renderer.prepare(records)
    assert len(records) == 3
    for record in records:
        assert row(record) == [renderer.value(c, record) for c in columns]
    # The same record twice: a choice's remembered label is the label.
    assert row(records[0]) == [renderer.value(c, records[0]) for c in columns]
