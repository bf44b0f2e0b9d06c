"""Anchors of the audit trail, kept outside the archive: where the chain's head was, and when.

A hash chain shows an edited entry only to someone who knows what the chain looked like before:
whoever holds the archive can rewrite an entry and seal every later one again, delete the newest
entries and lower the counter, or empty the table. So the head of the chain (its newest entry's
number and seal, with the seal of entry 1 naming the trail) is written down where the archive's
holder does not reach: a file in each desk's data folder, a copy beside the backups (which go to
USB drives), and the footer of printed registers, from which an administrator can type it back.
``check`` compares the trail with every anchor it is given; an anchor that no longer matches
says exactly which entry was rewritten, cut off or removed.

Only entries already committed are anchored (the head before the action being recorded), so
a rolled-back transaction never leaves an anchor behind.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from crmdesk.i18n import N_
from crmdesk.models import AuditEntry

log = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchors.txt"
# Actions after which the head is anchored: the moments a copy of the archive or of its data
# leaves the program, and every login (so little is ever newer than the newest anchor).
ANCHORING_ACTIONS = frozenset({"backup", "export", "export_audit", "print", "restore", "login"})
_TYPED = re.compile(r"^\s*#?(\d+)\s*[:：]\s*([0-9a-fA-F]{12,64})\s*$")


@dataclass(frozen=True)
class Anchor:
    """The trail's head as it was: entry ``seq`` sealed ``hash``, in the trail whose entry 1 is
    sealed ``first``; ``source`` says where the anchor was kept."""

    seq: int
    hash: str
    first: str
    at: dt.datetime | None = None
    source: str = ""

    def text(self) -> str:
        """How the anchor is printed: ``#SEQ:HASH`` (the first 16 hex digits of the seal)."""
        return f"#{self.seq}:{self.hash[:16]}"


@dataclass(frozen=True)
class AnchorProblem:
    seq: int
    reason: str
    source: str


def head() -> Anchor | None:
    """The newest committed entry, or None when the trail is empty."""
    newest = (AuditEntry.select(AuditEntry.seq, AuditEntry.hash)
              .order_by(AuditEntry.seq.desc()).limit(1).tuples().first())
    first = lineage()
    if newest is None or not first:
        return None
    return Anchor(newest[0], newest[1], first)


def lineage() -> str:
    """The seal of the audit trail's first entry: the same in the archive, its backups and
    every archive restored from them, wherever they are ("" while the trail is empty)."""
    return AuditEntry.select(AuditEntry.hash).where(AuditEntry.seq == 1).scalar() or ""


def archive_identity() -> str:
    """Which archive anchors belong to: the SQLite file, or the server and database (never the
    user or password), so one data folder can anchor several archives without mixing them."""
    from urllib.parse import urlsplit

    from crmdesk.models.db import database, is_sqlite

    if is_sqlite():
        return str(Path(database.obj.database).resolve())
    parts = urlsplit(getattr(database.obj, "url", "") or "")
    return f"{parts.hostname or 'local'}:{parts.port or 5432}/{parts.path.lstrip('/')}"


def write(folder: Path, source: str, anchor: Anchor | None = None) -> Anchor | None:
    """Append the head (or ``anchor``) to ``folder``'s anchor file; returns what was written.

    A failure to write (a read-only folder) is logged, never raised: anchoring must not stop
    the backup or the printout that triggers it.
    """
    anchor = anchor or head()
    if anchor is None:
        return None
    line = "\t".join([str(anchor.seq), anchor.hash, anchor.first,
                      f"{dt.datetime.now():%Y-%m-%dT%H:%M:%S}", archive_identity(), source]) + "\n"
    path = folder / ANCHOR_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(line)
    except OSError as exc:
        log.warning("could not write the audit anchor to %s: %s", path, exc)
        return None
    return anchor


def read(folder: Path) -> list[Anchor]:
    """The anchors of the open archive kept in ``folder`` (lines that do not parse, and other
    archives' anchors, are skipped)."""
    path = folder / ANCHOR_FILE
    if not path.is_file():
        return []
    anchors = []
    this_archive = archive_identity()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 5 and parts[0].isdigit() and parts[4] == this_archive:
            try:
                at = dt.datetime.fromisoformat(parts[3])
            except ValueError:
                continue
            if len(parts) > 5 and parts[5] == "restore":
                # A restore puts an older trail in place: earlier anchors describe the
                # trail that was replaced.
                anchors.clear()
            anchors.append(Anchor(int(parts[0]), parts[1], parts[2], at, str(path)))
    return anchors


def typed(text: str) -> Anchor:
    """An anchor typed from paper, ``#SEQ:HASH`` (at least 12 hex digits of the seal).

    Raises:
        ValueError: the text is not in that form.
    """
    match = _TYPED.match(text)
    if match is None:
        raise ValueError(text)
    return Anchor(int(match.group(1)), match.group(2).lower(), "", None, "typed")


def check(anchors: list[Anchor]) -> list[AnchorProblem]:
    """What the trail in the archive contradicts in ``anchors`` (empty: nothing)."""
    if not anchors:
        return []
    first = AuditEntry.select(AuditEntry.hash).where(AuditEntry.seq == 1).scalar()
    newest = AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1).scalar()
    problems: list[AnchorProblem] = []
    ours = [a for a in anchors if not a.first or a.first == first]
    if not ours:
        newest_anchor = max(anchors, key=lambda a: a.seq)
        reason = (N_("the audit trail is empty, but it had entries") if first is None else
                  N_("entry 1 is not the one anchored: the trail was rewritten from its start "
                     "(or the anchors are another archive's)"))
        return [AnchorProblem(newest_anchor.seq, reason, newest_anchor.source)]
    wanted = {a.seq for a in ours}
    sealed = dict(AuditEntry.select(AuditEntry.seq, AuditEntry.hash)
                  .where(AuditEntry.seq.in_(sorted(wanted))).tuples())
    for anchor in sorted(ours, key=lambda a: a.seq):
        found = sealed.get(anchor.seq)
        if found is None:
            reason = (N_("entries up to this one were cut off after it was anchored")
                      if newest is None or anchor.seq > newest else
                      N_("this entry was deleted after it was anchored"))
            problems.append(AnchorProblem(anchor.seq, reason, anchor.source))
        elif not found.startswith(anchor.hash):
            problems.append(AnchorProblem(anchor.seq, N_(
                "the trail up to this entry was rewritten after it was anchored"), anchor.source))
    return problems
