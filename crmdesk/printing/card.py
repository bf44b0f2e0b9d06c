"""The archive card (客户档案卡), A4 portrait, laid out from the card definition.

Front: the customer's name and a QR code holding the archive number, then the basic, decision
and business sections as labelled boxes in the definition's group order, with the decision
people and purchase tables. Back, from a new page: the communication log as a ruled table,
with empty ruled lines left for handwriting below it.
"""
from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from crmdesk.models.card import (
    CARD,
    FIELDS,
    TABLE_COLUMNS,
    Section,
    group_applies,
    table_applies,
    table_label,
)
from crmdesk.printing import styles
from crmdesk.printing.boxes import group_box, office_box
from crmdesk.printing.fonts import font_name
from crmdesk.printing.grid import Column, Grid, RuledSpace, fit_widths
from crmdesk.printing.inputs import CardSheet, PrintContext
from crmdesk.printing.layout import CardPage, UseDecoration
from crmdesk.printing.logtable import blank_row_height, log_grid, log_record
from crmdesk.printing.values import column_text, field_text
from crmdesk.printing.wrap import text_width, wrap_lines

QR_SIZE = 24 * mm
GAP = 3 * mm
BLANK_TABLE_ROWS = 3
HEADLINE_LINES = 3
MARKED = ("confidential", "secret")
BACK_TABLE = "communications"


def confidentiality_mark(sheet: CardSheet) -> str | None:
    """The mark to print (机密 or 绝密) for a card kept apart, else None."""
    key = sheet.values.get("confidentiality")
    if key not in MARKED:
        return None
    choice = FIELDS["confidentiality"].choice(key)
    return choice.label if choice else None


def qr_code(archive_no: str) -> QrCode:
    """A QR code holding the archive number, so a paper card leads back to the record.

    Level M survives a worn or stamped corner; the flowable draws straight on the page,
    several times faster than the widget drawing.
    """
    return QrCode(archive_no, width=QR_SIZE, height=QR_SIZE, qrBorder=0, qrLevel="M")


def _headline(text: str, size: float, width: float) -> str:
    """At most ``HEADLINE_LINES`` lines of ``text``, ending in … when longer. Used only where
    a name heads the page; the whole name is printed in its box below."""
    font = font_name()
    lines = wrap_lines(text, font, size, width)
    if len(lines) > HEADLINE_LINES:
        last = lines[HEADLINE_LINES - 1]
        while last and text_width(last + "…", font, size) > width:
            last = last[:-1]
        lines = [*lines[:HEADLINE_LINES - 1], last + "…"]
    return "\n".join(lines)


def _facts(sheet: CardSheet) -> str:
    names = ("kind", "level", "owner", "status", "confidentiality")
    facts = []
    for name in (n for n in names if n not in sheet.hidden):
        text = field_text(FIELDS[name], sheet.values.get(name), sheet.references)
        if text:
            facts.append(f"{FIELDS[name].label}: {text}")
    return "    ".join(facts)


def _top_block(sheet: CardSheet) -> Table:
    """The customer's name and key facts beside the QR code."""
    font = font_name()
    width = styles.FRAME_WIDTH - QR_SIZE - GAP
    name = str(sheet.values.get("name") or "")
    alias = "" if "alias" in sheet.hidden else str(sheet.values.get("alias") or "")
    rows = [
        [_headline(name, styles.NAME_SIZE, width), qr_code(sheet.archive_no)],
        [_headline(alias and f"{FIELDS['alias'].label}: {alias}", styles.BODY.size, width), ""],
        ["\n".join(wrap_lines(_facts(sheet), font, styles.BODY.size, width)), ""],
    ]
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), font, styles.BODY.size, styles.BODY.leading),
        ("FONT", (0, 0), (0, 0), font, styles.NAME_SIZE, styles.NAME_SIZE * 1.3),
        ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (1, 0), (1, -1)),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])
    return Table(rows, colWidths=[width, QR_SIZE + GAP], style=style, hAlign="LEFT")


def _heading(text: str) -> Table:
    """A section's heading: larger type over a strong rule; kept with what follows."""
    font = font_name()
    table = Table([[_headline(text, styles.SECTION_SIZE, styles.FRAME_WIDTH)]],
                  colWidths=[styles.FRAME_WIDTH], hAlign="LEFT",
                  style=TableStyle([
                      ("FONT", (0, 0), (-1, -1), font, styles.SECTION_SIZE,
                       styles.SECTION_SIZE * 1.3),
                      ("LEFTPADDING", (0, 0), (-1, -1), 0),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                      ("LINEBELOW", (0, 0), (-1, -1), 1.2, styles.RULE),
                  ]))
    table.keepWithNext = True
    return table


def _card_table(sheet: CardSheet, table: str) -> Table | None:
    """Decision people, purchases or yearly sales, with blank rows to write in when there are
    few."""
    columns = TABLE_COLUMNS[table]
    # Relative widths by kind (no column is declared with a width).
    weights = [c.kind.weight for c in columns]
    grid = Grid([Column(c.label, w) for c, w in zip(columns, fit_widths(weights), strict=True)],
                text=styles.BODY, header_fill=styles.LABEL_FILL, heading_text=styles.GROUP_TITLE,
                heading_fill=styles.HEADING_FILL)
    rows = getattr(sheet, table)
    records = [[column_text(c, row.get(c.name)) for c in columns] for row in rows]
    records += [["\n"] * len(columns)] * max(BLANK_TABLE_ROWS - len(records), 0)
    return grid.table(records, header=True, heading=table_label(table))


def _section(sheet: CardSheet, section: Section) -> list[Flowable]:
    story: list[Flowable] = [_heading(section.label), Spacer(1, 2 * mm)]
    for group in section.groups:
        if not group_applies(group, sheet.values.get("kind")):
            continue
        box = group_box(group, sheet.values.get("kind"), sheet.values, sheet.references,
                        sheet.hidden)
        if box is not None:
            story += [box, Spacer(1, GAP)]
        own = office_box(group, sheet.office.get(group.key, ()))
        if own is not None:
            story += [own, Spacer(1, GAP)]
    for table in section.tables:
        if not table_applies(table, sheet.values.get("kind")):
            continue
        flowable = _card_table(sheet, table)
        if flowable is not None:
            story += [flowable, Spacer(1, GAP)]
    return story


def _back(sheet: CardSheet) -> list[Flowable]:
    name = str(sheet.values.get("name") or "")
    grid = log_grid()
    table = grid.table([log_record(entry) for entry in sheet.communications], header=True)
    story: list[Flowable] = [_heading(f"{table_label(BACK_TABLE)}  {name}"), Spacer(1, 2 * mm)]
    if table is not None:
        story.append(table)
    story.append(RuledSpace(grid.widths, blank_row_height()))
    return story


def card_story(sheet: CardSheet, context: PrintContext) -> list[Flowable]:
    """The flowables of one card, front and back, starting with its page decoration."""
    story: list[Flowable] = [
        UseDecoration(CardPage(context, sheet.archive_no, confidentiality_mark(sheet))),
        _top_block(sheet),
        Spacer(1, GAP),
    ]
    for section in CARD:
        if BACK_TABLE in section.tables:
            story += [PageBreak(), *_back(sheet)]
        else:
            story += _section(sheet, section)
    return story


def cards_story(sheets: Sequence[CardSheet], context: PrintContext) -> list[Flowable]:
    """Several cards, each starting on a new page."""
    story: list[Flowable] = []
    for i, sheet in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story += card_story(sheet, context)
    return story
