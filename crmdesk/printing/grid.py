"""Ruled tables of plain text with fixed column widths: fast to build, safe to split.

Cells are wrapped here (see ``wrap``) and handed to ReportLab as plain strings, which it lays
out far faster than Paragraphs. A record taller than ``MAX_LINES_PER_ROW`` lines is printed as
several table rows with no rule between them, so even a record longer than a page flows on
to the next page instead of being cut. Long registers come as tables of about ``CHUNK_ROWS``
rows: ReportLab slows down on one huge table.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Table, TableStyle

from crmdesk.models.lists.columns import ListColumn
from crmdesk.printing import styles
from crmdesk.printing.fonts import font_name
from crmdesk.printing.styles import CellText
from crmdesk.printing.wrap import wrap_lines

MAX_LINES_PER_ROW = 10
CHUNK_ROWS = 45


@dataclass(frozen=True)
class Column:
    """One column of a ruled table: its heading, width in points and alignment."""

    label: str
    width: float
    align: str = "LEFT"


def fit_widths(weights: Sequence[float], total: float = styles.FRAME_WIDTH) -> list[float]:
    """Scale relative column ``weights`` so the columns fill ``total`` points."""
    scale = total / sum(weights)
    return [w * scale for w in weights]


def headings(columns: Iterable[ListColumn]) -> list[tuple[str, float, str]]:
    """A declared list's columns as (heading, relative width, alignment), from their kinds."""
    return [(c.title, c.kind.weight, c.kind.align) for c in columns]


def ruled(columns: Sequence[tuple[str, float, str]]) -> Grid:
    """A grid of (heading, relative width, alignment) columns that fills the frame."""
    widths = fit_widths([weight for _label, weight, _align in columns])
    return Grid([Column(label, width, align)
                 for (label, _weight, align), width in zip(columns, widths, strict=True)])


def continuation_padding(continued: Iterable[int]) -> list[tuple]:
    """Style commands that close the gap between a row and its continuation rows, so a long
    text split over several rows reads as one."""
    cmds: list[tuple] = []
    for row in continued:
        cmds += [("TOPPADDING", (0, row), (-1, row), 0),
                 ("BOTTOMPADDING", (0, row - 1), (-1, row - 1), 0)]
    return cmds


class Grid:
    """Turns records (sequences of cell text) into ruled tables with the given columns."""

    def __init__(self, columns: Sequence[Column], text: CellText = styles.REGISTER,
                 header_text: CellText = styles.HEADER, header_fill: Color = styles.HEADING_FILL,
                 heading_text: CellText | None = None,
                 heading_fill: Color = styles.GROUP_FILL) -> None:
        self.columns = tuple(columns)
        self.widths = [c.width for c in self.columns]
        self.text = text
        self.header_text = header_text
        self.header_fill = header_fill
        self.heading_text = heading_text or text
        self.heading_fill = heading_fill
        self.font = font_name()
        self._base = self._base_style(text)

    def _base_style(self, text: CellText) -> list[tuple]:
        cmds: list[tuple] = [
            ("FONT", (0, 0), (-1, -1), self.font, text.size, text.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), text.pad_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), text.pad_x),
            ("TOPPADDING", (0, 0), (-1, -1), text.pad_y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), text.pad_y),
            ("BOX", (0, 0), (-1, -1), styles.BOX_WIDTH, styles.RULE),
            ("LINEAFTER", (0, 0), (-2, -1), styles.RULE_WIDTH, styles.RULE),
        ]
        cmds += [("ALIGN", (i, 0), (i, -1), c.align)
                 for i, c in enumerate(self.columns) if c.align != "LEFT"]
        return cmds

    def wrap_cell(self, value: str, column: int, text: CellText | None = None) -> list[str]:
        """The lines ``value`` takes in ``column``."""
        text = text or self.text
        return wrap_lines(value, self.font, text.size, self.widths[column] - 2 * text.pad_x)

    def segments(self, cells: Sequence[str]) -> list[list[str]]:
        """One record as table rows: usually one, more when a cell runs past the line limit."""
        wrapped = [self.wrap_cell(value, i) for i, value in enumerate(cells)]
        tallest = max(len(lines) for lines in wrapped)
        if tallest <= MAX_LINES_PER_ROW:
            return [["\n".join(lines) for lines in wrapped]]
        return [
            ["\n".join(lines[start:start + MAX_LINES_PER_ROW]) for lines in wrapped]
            for start in range(0, tallest, MAX_LINES_PER_ROW)
        ]

    def header_table(self) -> Table:
        """The column headings as a one-row table, shaded, ruled like the body."""
        labels = ["\n".join(self.wrap_cell(c.label, i, self.header_text))
                  for i, c in enumerate(self.columns)]
        cmds = self._base_style(self.header_text)
        cmds += [("BACKGROUND", (0, 0), (-1, -1), self.header_fill),
                 ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        return Table([labels], colWidths=self.widths, style=TableStyle(cmds), hAlign="LEFT")

    def table(self, records: Iterable[Sequence[str]], header: bool = False,
              heading: str | None = None) -> Table | None:
        """All ``records`` as one table (None when there is nothing to print).

        ``heading`` adds a full-width shaded first row (a group's title); ``header`` adds the
        column headings below it. Both repeat after a page break when there is a header.
        """
        rows: list[list[str]] = []
        if heading is not None:
            title = wrap_lines(heading, self.font, self.heading_text.size, sum(self.widths)
                               - 2 * self.heading_text.pad_x)
            rows.append(["\n".join(title)] + [""] * (len(self.columns) - 1))
        if header:
            rows.append(["\n".join(self.wrap_cell(c.label, i, self.header_text))
                         for i, c in enumerate(self.columns)])
        top = len(rows)
        record_ends = list(range(top))
        for record in records:
            rows.extend(self.segments(record))
            record_ends.append(len(rows) - 1)
        if not rows:
            return None
        cmds = list(self._base)
        if len(record_ends) == len(rows):
            cmds.append(("LINEBELOW", (0, 0), (-1, -1), styles.RULE_WIDTH, styles.RULE))
        else:
            cmds += [("LINEBELOW", (0, r), (-1, r), styles.RULE_WIDTH, styles.RULE)
                     for r in record_ends]
            cmds += continuation_padding(set(range(len(rows))) - {r + 1 for r in record_ends}
                                         - {0})
        if heading is not None:
            text = self.heading_text
            cmds += [("SPAN", (0, 0), (-1, 0)),
                     ("BACKGROUND", (0, 0), (-1, 0), self.heading_fill),
                     ("FONT", (0, 0), (-1, 0), self.font, text.size, text.leading),
                     ("TOPPADDING", (0, 0), (-1, 0), text.pad_y),
                     ("BOTTOMPADDING", (0, 0), (-1, 0), text.pad_y),
                     ("ALIGN", (0, 0), (-1, 0), "LEFT"),
                     ("NOSPLIT", (0, 0), (-1, min(top, len(rows) - 1)))]
        if header:
            h = top - 1
            cmds += [("BACKGROUND", (0, h), (-1, h), self.header_fill),
                     ("FONT", (0, h), (-1, h), self.font, self.header_text.size,
                      self.header_text.leading),
                     ("ALIGN", (0, h), (-1, h), "CENTER"), ("VALIGN", (0, h), (-1, h), "MIDDLE")]
        return Table(rows, colWidths=self.widths, style=TableStyle(cmds), hAlign="LEFT",
                     repeatRows=top if header else 0)

    def chunked_tables(self, records: Iterable[Sequence[str]],
                       heading: str | None = None) -> Iterator[Table]:
        """``records`` as consecutive tables of about ``CHUNK_ROWS`` rows each, without header.

        ``heading`` is printed as the first row of the first table.
        """
        batch: list[Sequence[str]] = []
        for record in records:
            batch.append(record)
            if len(batch) == CHUNK_ROWS:
                table = self.table(batch, heading=heading)
                heading, batch = None, []
                if table is not None:
                    yield table
        table = self.table(batch, heading=heading)
        if table is not None:
            yield table


class RuledSpace(Flowable):
    """Empty ruled rows in the given columns, down to the bottom of the frame: room to write."""

    def __init__(self, widths: Sequence[float], row_height: float) -> None:
        super().__init__()
        self.widths = list(widths)
        self.row_height = row_height
        self.rows = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Take as many whole rows as fit in what is left of the frame."""
        self.rows = max(int((avail_height - 0.5) // self.row_height), 0)
        return sum(self.widths), self.rows * self.row_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Never continues on a new page: an empty page of lines helps nobody."""
        return []

    def draw(self) -> None:
        """Rule the rows and the column lines."""
        if not self.rows:
            return
        canvas = self.canv
        width, height = sum(self.widths), self.rows * self.row_height
        canvas.saveState()
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(styles.RULE_WIDTH)
        for r in range(1, self.rows):
            canvas.line(0, r * self.row_height, width, r * self.row_height)
        x = 0.0
        for w in self.widths[:-1]:
            x += w
            canvas.line(x, 0, x, height)
        canvas.setLineWidth(styles.BOX_WIDTH)
        canvas.rect(0, 0, width, height)
        canvas.restoreState()
