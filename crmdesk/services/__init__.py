"""Use cases of the archive: they own transactions and auditing and return plain data."""
