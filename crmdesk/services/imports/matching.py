"""Recognising customers already known: duplicates and referrers, in the archive and the file.

A row duplicates an archive when it carries that archive's number, else when it shares a
normalised mobile or phone, else when it has the same name and company. Rows of the same file
are compared the same way, the earlier row being the original. Lookups in the archive are
batched (a few hundred keys per query), so a 50,000-row file costs a few hundred queries.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crmdesk.i18n import _
from crmdesk.importers.cells import normalized
from crmdesk.importers.preview import Match, PreviewRow, RowStatus
from crmdesk.importers.rows import RowContext
from crmdesk.models import Customer
from crmdesk.models.db import database
from crmdesk.services import duplicate_rule

BATCH = 500
_ARCHIVE_COLUMNS = (Customer.id, Customer.archive_no, Customer.version, Customer.mobile,
                    Customer.phone, Customer.name, Customer.employer, Customer.kind)


def _chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for key in keys:
        batch.append(key)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _name_key(name: Any, employer: Any, kind: Any) -> str | None:
    if not name:
        return None
    company = "" if kind == "organisation" else normalized(str(employer or ""))
    return normalized(str(name)) + "\x1f" + company


def _numbers(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [(field, values[field]) for field in ("mobile", "phone") if values.get(field)]


class _Archive:
    """The archives the file's rows may match, fetched in batches."""

    def __init__(self, rows: list[PreviewRow]) -> None:
        self.by_number: dict[str, tuple] = {}
        self.by_phone: dict[str, tuple] = {}
        self.by_name: dict[str, list[tuple]] = {}
        numbers = {r.archive_no for r in rows if r.archive_no}
        numbers |= {r.referrer_text.upper() for r in rows if r.referrer_text}
        phones = {value for r in rows for _f, value in _numbers(r.values)}
        names = {r.values["name"] for r in rows if r.values.get("name")}
        names |= {r.referrer_text for r in rows if r.referrer_text}
        for batch in _chunks(numbers):
            self._add("{archive_no} IN ({marks})", batch)
        for batch in _chunks(phones):
            self._add("{mobile} IN ({marks}) OR {phone} IN ({marks})", batch + batch)
        for batch in _chunks(names):
            self._add("{name} IN ({marks})", batch)

    def _add(self, condition: str, keys: list[str]) -> None:
        """Add the archives matching ``condition`` (over the columns named in braces and the
        placeholders ``marks``) for ``keys``.

        Written as SQL text: peewee composes an IN list of 500 keys value by value, which took
        longer than running the query.
        """
        columns = {f.name: f'"{f.column_name}"' for f in _ARCHIVE_COLUMNS}
        marks = ", ".join([database.param] * (len(keys) // condition.count("{marks}")))
        sql = 'SELECT {} FROM "{}" WHERE {}'.format(
            ", ".join(columns.values()), Customer._meta.table_name,
            condition.format(marks=marks, **columns))
        for found in database.execute_sql(sql, keys).fetchall():
            customer_id, archive_no, _version, mobile, phone, name, employer, kind = found
            self.by_number[archive_no] = found
            for number in (mobile, phone):
                if number:
                    self.by_phone.setdefault(number, found)
            key = _name_key(name, employer, kind)
            if key is not None:
                named = self.by_name.setdefault(key, [])
                if all(f[0] != customer_id for f in named):
                    named.append(found)


def _archive_match(row: PreviewRow, archive: _Archive, name_key: str | None) -> Match | None:
    def match(reason: str, found: tuple) -> Match:
        return Match(reason, customer_id=found[0], archive_no=found[1], version=found[2])

    if row.archive_no and row.archive_no in archive.by_number:
        return match("archive_no", archive.by_number[row.archive_no])
    for field, number in _numbers(row.values):
        if number in archive.by_phone:
            return match(field, archive.by_phone[number])
    named = archive.by_name.get(name_key or "")
    return match("name", named[0]) if named else None


def _file_keys(row: PreviewRow, name_key: str | None) -> list[tuple[str, str]]:
    """The keys by which a later row of the file is a duplicate of ``row``, with the reason."""
    keys = [(f"n:{row.archive_no}", "archive_no")] if row.archive_no else []
    keys += [(f"p:{number}", field) for field, number in _numbers(row.values)]
    return [*keys, (f"c:{name_key}", "name")] if name_key else keys


def find_duplicates(rows: list[PreviewRow]) -> None:
    """Set ``match`` on every valid row that duplicates an archive or an earlier row."""
    valid = [r for r in rows if r.status is not RowStatus.ERROR]
    _match_by_keys(valid)
    _match_by_identity([r for r in valid if r.match is None])


def _match_by_keys(valid: list[PreviewRow]) -> None:
    """Match rows by archive number, phone and name, in the archive and among earlier rows.
    (A function of its own so that its look-ups are let go before the identities are built.)"""
    archive = _Archive(valid)
    seen: dict[str, tuple[int, str]] = {}
    for row in valid:
        values = row.values
        name_key = _name_key(values.get("name"), values.get("employer"), values.get("kind"))
        row.match = _archive_match(row, archive, name_key)
        if row.match is not None:
            continue
        keys = _file_keys(row, name_key)
        earlier = next(((seen[k], reason) for k, reason in keys if k in seen), None)
        if earlier is not None:
            row.match = Match(earlier[1], row=earlier[0][0])
            continue
        for key, reason in keys:
            seen.setdefault(key, (row.row, reason))


def _match_by_identity(rows: list[PreviewRow]) -> None:
    """The duplicate rule's other keys (name and birth date, a same-sounding name, the other
    phones, licence numbers): a row strongly matching an archive duplicates it."""
    hits = duplicate_rule.strong_matches([row.values for row in rows])
    found = {hit.customer_id for hit in hits if hit is not None}
    versions = dict(Customer.select(Customer.id, Customer.version).where(
        Customer.id.in_(sorted(found))).tuples()) if found else {}
    for row, hit in zip(rows, hits, strict=True):
        if hit is not None:
            row.match = Match(hit.why, customer_id=hit.customer_id, archive_no=hit.archive_no,
                              version=versions[hit.customer_id])


def resolve_referrers(rows: list[PreviewRow], context: RowContext) -> None:
    """Find the customer each row names as its referrer: by archive number or unique name, in
    the archive first, then among the file's rows; a name nobody has is an error."""
    with_referrer = [r for r in rows if r.referrer_text]
    if not with_referrer:
        return
    archive = _Archive(with_referrer)
    by_name: dict[str, list[int]] = {}
    for found in archive.by_number.values():
        by_name.setdefault(normalized(found[5] or ""), []).append(found[0])
    file_numbers = {r.archive_no: r.row for r in rows if r.archive_no}
    file_names: dict[str, list[int]] = {}
    for r in rows:
        if r.values.get("name"):
            file_names.setdefault(normalized(str(r.values["name"])), []).append(r.row)
    for row in with_referrer:
        text = row.referrer_text or ""
        number = text.upper()
        named = by_name.get(normalized(text), [])
        in_file = file_names.get(normalized(text), [])
        if number in archive.by_number:
            row.values["referrer"] = archive.by_number[number][0]
        elif number in file_numbers:
            row.referrer_row = file_numbers[number]
        elif len(named) == 1:
            row.values["referrer"] = named[0]
        elif not named and len(in_file) == 1 and in_file[0] != row.row:
            row.referrer_row = in_file[0]
        elif named or len(in_file) > 1:
            row.problems.append(context.problem(row.row, "referrer", _(
                "several customers are called {name}; write the archive number instead").format(
                    name=text)))
        else:
            row.problems.append(context.problem(row.row, "referrer", _(
                "no customer with that archive number or name: {name}").format(name=text)))
