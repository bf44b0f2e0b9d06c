"""Exports as use cases: which list, with which filter and columns, for whom; read from the
archive a chunk at a time, handed as plain rows to ``exporters`` to write, and recorded."""

# The lists an export can write; here, light to import, for the command line's choices.
EXPORTS = ("customers", "visits", "communications", "overdue", "sales_by_year")
