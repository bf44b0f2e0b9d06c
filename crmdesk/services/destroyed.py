"""Destroyed archives stay destroyed: the register of their numbers, and its re-application.

A destroyed archive's data lives on in every backup made before its destruction (up to a
year of them, by the rotation). Its number, and nothing else, is kept outside the archive in
``destroyed-archives.txt`` in the data folder and beside the backups, with the archive it
belongs to: where it is (the file, or the server and database) and its lineage (the seal of
its audit trail's first entry, which every backup and restore of it carries, wherever it is
restored to). Every restore reads that register, together with the destruction entries of the
archive it replaces, and destroys again any of those archives the restored backup brings back,
saying so. The register holds archive numbers, dates, where the archive is and a seal: no
personal data.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from crmdesk import paths
from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Customer
from crmdesk.services.audit_anchors import archive_identity, lineage
from crmdesk.services.context import Actor

log = logging.getLogger(__name__)
REGISTER_FILE = "destroyed-archives.txt"


def register_folders() -> list[Path]:
    """Where the register is kept: the data folder and its backups folder."""
    folder = paths.current_data_dir()
    return [folder, folder / "backups"]


def note(archive_no: str) -> None:
    """Add ``archive_no`` to the register in every folder that exists (failures logged)."""
    line = "\t".join([archive_no, dt.date.today().isoformat(), archive_identity(),
                      lineage()]) + "\n"
    for folder in register_folders():
        if not folder.is_dir():
            continue
        try:
            fd = os.open(folder / REGISTER_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as out:
                out.write(line)
        except OSError as exc:
            log.warning("could not note the destroyed archive in %s: %s", folder, exc)


def registered() -> set[str]:
    """Every archive number the registers this desk keeps list for the open archive: noted
    where it is, or noted in the archive it was restored from (same lineage). One data folder
    may serve several archives, whose numbers overlap: other archives' lines are left out."""
    numbers: set[str] = set()
    this_archive = archive_identity()
    this_lineage = lineage()
    for folder in register_folders():
        path = folder / REGISTER_FILE
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                number, _date, where, seal = [*line.split("\t"), "", "", ""][:4]
                if number.strip() and (where == this_archive
                                       or (seal and seal == this_lineage)):
                    numbers.add(number.strip())
    return numbers


def destroyed_in_archive() -> set[str]:
    """Archive numbers the open archive's audit trail records as destroyed."""
    return {row[0] for row in AuditEntry.select(AuditEntry.archive_no).where(
        (AuditEntry.action == "destroy") & AuditEntry.archive_no.is_null(False)).tuples()}


def destroyed_again_text(numbers: tuple[str, ...]) -> str:
    """What a restore says about the archives it destroyed again ("" when none)."""
    if not numbers:
        return ""
    return _("Destroyed again, as they had been after this backup was made: {numbers}.").format(
        numbers=", ".join(numbers))


def destroy_again(actor: Actor | None, numbers: set[str], source: Path) -> tuple[str, ...]:
    """Destroy, in the archive just restored, every archive of ``numbers`` it brought back."""
    from crmdesk.services.retention import destroy_unchecked

    back = sorted(number for (number,) in Customer.select(Customer.archive_no).where(
        Customer.archive_no.in_(sorted(numbers))).tuples()) if numbers else []
    reason = _("destroyed before; brought back by the restore of {file}").format(
        file=source.name)
    for number in back:
        customer_id = Customer.select(Customer.id).where(Customer.archive_no == number).scalar()
        destroy_unchecked(actor, customer_id, reason)
    if back:
        log.info("restore of %s: destroyed again %s", source, ", ".join(back))
    return tuple(back)
