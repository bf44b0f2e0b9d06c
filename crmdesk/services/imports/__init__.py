"""Imports as use cases: the dry run (``dry_run``), the commit (``commit``), undo and history
(``undo``), remembered mappings and the rejected rows. ``importers`` reads and cleans the file;
everything that asks the archive, checks a permission or writes happens here."""
