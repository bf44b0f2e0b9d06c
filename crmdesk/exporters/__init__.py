"""Writing .xlsx and .csv files from plain rows: the exports, the audit trail, the import
template and the rejected rows of an import. Nothing here reads the archive."""
