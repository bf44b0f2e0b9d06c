"""One group of the card definition as a labelled box: shaded labels beside their values.

The box has the group's title as its first row, then ``group.columns`` label/value pairs per
row; a field with a ``span`` takes that many pairs' room. Fields for the other kind of
customer are left out. A value too long for one row goes on in rows below, unruled between.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from crmdesk.i18n import _
from crmdesk.models.card import FieldSpec, Group
from crmdesk.printing import styles
from crmdesk.printing.fonts import font_name
from crmdesk.printing.grid import MAX_LINES_PER_ROW, continuation_padding
from crmdesk.printing.styles import CellText
from crmdesk.printing.values import field_text
from crmdesk.printing.wrap import wrap_lines

LABEL_WIDTH = 23 * mm


@dataclass
class _Placed:
    spec: FieldSpec
    column: int  # first table column (the label's)
    span: int  # pairs taken


def _rows(fields: list[FieldSpec], pairs: int) -> list[list[_Placed]]:
    """Fields placed row by row; the last field of a row widens to fill it."""
    rows: list[list[_Placed]] = []
    row: list[_Placed] = []
    used = 0
    for spec in fields:
        span = max(1, min(spec.span, pairs))
        if used + span > pairs:
            row[-1].span += pairs - used
            rows.append(row)
            row, used = [], 0
        row.append(_Placed(spec, 2 * used, span))
        used += span
    if row:
        row[-1].span += pairs - used
        rows.append(row)
    return rows


def _lines(text: str, style: CellText, width: float) -> list[str]:
    return wrap_lines(text, font_name(), style.size, width - 2 * style.pad_x)


def group_box(group: Group, kind: str | None, values: Mapping[str, Any],
              references: Mapping[str, str], hidden: Collection[str] = ()) -> Table | None:
    """The box for ``group`` filled from ``values``, without the ``hidden`` fields; None when
    no field applies to ``kind``."""
    fields = [f for f in group.fields if f.for_kind(kind) and f.name not in hidden]
    if not fields:
        return None
    pairs = max(group.columns, 1)
    value_width = styles.FRAME_WIDTH / pairs - LABEL_WIDTH
    widths = [LABEL_WIDTH, value_width] * pairs
    font = font_name()
    ncols = 2 * pairs
    title = _lines(group.label, styles.GROUP_TITLE, styles.FRAME_WIDTH)
    data: list[list[str]] = [["\n".join(title)] + [""] * (ncols - 1)]
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font, styles.BODY.size, styles.BODY.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), styles.BODY.pad_x),
        ("RIGHTPADDING", (0, 0), (-1, -1), styles.BODY.pad_x),
        ("TOPPADDING", (0, 0), (-1, -1), styles.BODY.pad_y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.BODY.pad_y),
        ("SPAN", (0, 0), (-1, 0)),
        ("FONT", (0, 0), (-1, 0), font, styles.GROUP_TITLE.size, styles.GROUP_TITLE.leading),
        ("TOPPADDING", (0, 0), (-1, 0), styles.GROUP_TITLE.pad_y),
        ("BOTTOMPADDING", (0, 0), (-1, 0), styles.GROUP_TITLE.pad_y),
        ("BACKGROUND", (0, 0), (-1, 0), styles.HEADING_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), styles.RULE_WIDTH, styles.RULE),
        ("BOX", (0, 0), (-1, -1), styles.BOX_WIDTH, styles.RULE),
        ("NOSPLIT", (0, 0), (-1, 1)),
    ]
    for placed_row in _rows(fields, pairs):
        cells: dict[int, list[str]] = {}
        for placed in placed_row:
            width = sum(widths[placed.column + 1: placed.column + 2 * placed.span])
            text = field_text(placed.spec, values.get(placed.spec.name), references)
            cells[placed.column] = _lines(placed.spec.label, styles.LABEL, LABEL_WIDTH)
            cells[placed.column + 1] = _lines(text, styles.BODY, width)
        tallest = max(len(lines) for lines in cells.values())
        first = len(data)
        for start in range(0, tallest, MAX_LINES_PER_ROW):
            row = [""] * ncols
            for column, lines in cells.items():
                row[column] = "\n".join(lines[start:start + MAX_LINES_PER_ROW])
            data.append(row)
        last = len(data) - 1
        cmds += continuation_padding(range(first + 1, last + 1))
        for placed in placed_row:
            c = placed.column
            cmds += [
                ("BACKGROUND", (c, first), (c, last), styles.LABEL_FILL),
                ("FONT", (c, first), (c, last), font, styles.LABEL.size, styles.LABEL.leading),
                ("LINEAFTER", (c, first), (c, last), styles.RULE_WIDTH, styles.FAINT_RULE),
            ]
            end = c + 2 * placed.span - 1
            if end < ncols - 1:
                cmds.append(("LINEAFTER", (end, first), (end, last), styles.RULE_WIDTH,
                             styles.RULE))
            for r in range(first, last + 1):
                if end > c + 1:
                    cmds.append(("SPAN", (c + 1, r), (end, r)))
        cmds.append(("LINEBELOW", (0, last), (-1, last), styles.RULE_WIDTH, styles.RULE))
    return Table(data, colWidths=widths, style=TableStyle(cmds), repeatRows=1, hAlign="LEFT")


def office_box(group: Group, printed: Sequence[tuple[str, str]]) -> Table | None:
    """The office's own fields that follow ``group``, as a box like the group's: ``printed``
    holds each field's label and its text, in order; None when it holds none."""
    specs = tuple(FieldSpec(f"office{n}", label, label) for n, (label, _text) in
                  enumerate(printed))
    title = _("{group} (office fields)").format(group=group.label)
    box = Group(f"office_{group.key}", title, title, specs, columns=group.columns)
    values = {spec.name: text for spec, (_label, text) in zip(specs, printed, strict=True)}
    return group_box(box, None, values, {})
