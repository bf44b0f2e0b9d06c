"""A list's columns: each with its key, heading, kind and how its value is read from a row."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any

from crmdesk.i18n import _
from crmdesk.models.card import FIELDS
from crmdesk.models.lists.kinds import ColumnKind

Heading = Callable[[], str]


def says(message: str) -> Heading:
    """A heading that is the translation of ``message`` (mark it with ``N_``)."""
    return lambda: _(message)


def field_label(name: str) -> Heading:
    """A heading that is the card field ``name``'s label."""
    return lambda: FIELDS[name].label


@dataclass(frozen=True)
class ListColumn:
    """One column: ``read`` takes the value from a row (default: the row's ``key``, by
    attribute or, for a mapping, by key)."""

    key: str
    heading: Heading
    kind: ColumnKind
    read: Callable[[Any], Any] | None = None

    @property
    def title(self) -> str:
        """The heading in the current language."""
        return self.heading()

    def value(self, row: Any) -> Any:
        """This column's value in ``row``."""
        if self.read is not None:
            return self.read(row)
        return row.get(self.key) if isinstance(row, Mapping) else getattr(row, self.key)

    def display(self, row: Any) -> str:
        """The text the list shows for ``row``."""
        return self.kind.display(self.value(row))

    def printed(self, row: Any) -> str:
        """The text the printed register shows for ``row``."""
        return self.kind.printed(self.value(row))

    def cell(self, row: Any) -> Any:
        """The .xlsx cell value for ``row``."""
        return self.kind.cell(self.value(row))


@dataclass(frozen=True)
class ColumnList:
    """The columns of one list, in order."""

    name: str
    columns: tuple[ListColumn, ...]

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self) -> Iterator[ListColumn]:
        return iter(self.columns)

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns' keys, in order."""
        return tuple(c.key for c in self.columns)

    def titles(self) -> tuple[str, ...]:
        """The headings in the current language."""
        return tuple(c.title for c in self.columns)

    def without(self, *keys: str) -> ColumnList:
        """The list less the columns ``keys`` (a printout grouped by one of them)."""
        return replace(self, columns=tuple(c for c in self.columns if c.key not in keys))

    def plus(self, extra: Sequence[ListColumn]) -> ColumnList:
        """The list with ``extra`` columns after its own."""
        return replace(self, columns=(*self.columns, *extra))

    def only(self, keys: Sequence[str]) -> ColumnList:
        """The columns named by ``keys``, in that order.

        Raises:
            KeyError: a key names no column of the list.
        """
        by_key = {c.key: c for c in self.columns}
        return replace(self, columns=tuple(by_key[key] for key in keys))

    def positional(self) -> ColumnList:
        """The same columns reading rows that are sequences of values in column order."""
        return replace(self, columns=tuple(replace(c, read=itemgetter(n))
                                           for n, c in enumerate(self.columns)))

    def displayed(self, row: Any) -> tuple[str, ...]:
        """A row as the list shows it."""
        return tuple(c.display(row) for c in self.columns)

    def printed(self, row: Any) -> list[str]:
        """A row as the printed register shows it."""
        return [c.printed(row) for c in self.columns]

    def cells(self, row: Any) -> list[Any]:
        """A row as its .xlsx cells."""
        return [c.cell(row) for c in self.columns]
