"""Locks that make one desk wait for another where a rule checks and then writes.

A rule such as "one archive per phone" reads, decides and writes. Two desks doing that at the
same moment must not both decide on what they read before the other wrote. On SQLite every
write transaction starts with BEGIN IMMEDIATE, so only one desk is inside one at a time and
nothing more is needed. On PostgreSQL a transaction takes an advisory lock on what it is about
to decide on (a phone, a day's rotation, a customer); another desk asking for the same lock
waits until the first commits, and then reads what it wrote. Locks are released when the
transaction ends, whatever way it ends.
"""
from __future__ import annotations

import enum

from crmdesk.models.db import database, is_sqlite


class Subject(enum.IntEnum):
    """What a lock is about; the number is the first half of PostgreSQL's two-part lock key.

    Take locks in this order within one transaction, so two desks never wait on each other.
    """

    PHONE = 1
    ROTATION = 2
    CUSTOMER = 3
    NAME = 4  # a customer's name or licence number (the duplicate rule)


def hold(subject: Subject, key: object) -> None:
    """Wait until no other desk holds the lock on ``subject`` ``key``; keep it until commit.

    Call inside ``database.atomic()``, before reading what the rule decides on.
    """
    if not database.in_transaction():
        raise RuntimeError("locks.hold needs an open transaction")
    if is_sqlite():
        return
    database.execute_sql("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                         (int(subject), str(key)))
