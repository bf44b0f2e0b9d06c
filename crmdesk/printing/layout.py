"""Pages: the document template, running headers and footers, and "第 x 页 / 共 y 页".

The total page count is only known at the end, so ``NumberedCanvas`` keeps every page until
the document is saved and then draws each page's header and footer (its ``Decoration``).
A decoration is chosen per page: registers use one for the whole document; every archive
card sets its own as its first flowable, so several cards in one PDF are numbered apart.
"""
from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table

from crmdesk.i18n import _
from crmdesk.printing import styles
from crmdesk.printing.fonts import font_name
from crmdesk.printing.inputs import PrintContext
from crmdesk.printing.wrap import text_width, wrap_lines

PAGE_WIDTH, PAGE_HEIGHT = styles.PAGE_SIZE
# Compressed streams are binary already; ASCII85 on top makes files larger and costs a
# tenth of a register's build time (ReportLab reads this when it writes each stream).
rl_config.useA85 = 0
RIGHT_EDGE = PAGE_WIDTH - styles.MARGIN_RIGHT
# Lines each period or filter text may take in a register's header: a filter of thousands of
# characters would otherwise leave no room on the page for a single row.
PERIOD_LINES = 3


def printed_text(context: PrintContext) -> str:
    """"Printed by … at …" for a page's header or footer."""
    return _("Printed by {user} at {time}").format(
        user=context.user or "-", time=context.printed_at.strftime("%Y-%m-%d %H:%M"))


def branch_text(context: PrintContext) -> str:
    """The branch as a page's header names it: its name, then its address when set."""
    return f"{context.branch}　{context.address}" if context.address else context.branch


def draw_branch(canvas: Canvas, font: str, context: PrintContext, baseline: float,
                size: float, room: float) -> None:
    """The branch's logo (when set, as tall as two lines of text) and its name and address
    from the left margin, within ``room`` points."""
    x = styles.MARGIN_LEFT
    if context.logo:
        height = size * 2
        logo = ImageReader(io.BytesIO(context.logo))
        pixels_wide, pixels_high = logo.getSize()
        width = min(height * pixels_wide / max(pixels_high, 1), room / 3)
        canvas.drawImage(logo, x, baseline - size * 0.6, width, height,
                         preserveAspectRatio=True, anchor="sw", mask="auto")
        x += width + 4
        room -= width + 4
    text = branch_text(context)
    set_fitting_font(canvas, font, text, size, room)
    canvas.drawString(x, baseline, text)


def set_fitting_font(canvas: Canvas, font: str, text: str, size: float, width: float) -> None:
    """Set ``font`` at ``size``, or smaller when ``text`` would not fit in ``width`` points."""
    needed = text_width(text, font, size)
    canvas.setFont(font, size if needed <= width else max(size * width / needed, 4.0))


class Decoration:
    """What is drawn around one page's content; pages sharing a decoration are numbered together.

    ``height`` is the room the running header needs above the frame, ``gap`` the space
    between them.
    """

    height: float = 0.0
    gap: float = 4.0

    def __init__(self, context: PrintContext) -> None:
        self.context = context
        self.font = font_name()

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        """Draw the header and footer of page ``page`` of ``pages``."""
        canvas.saveState()
        canvas.setFillColor(styles.INK)
        canvas.setFont(self.font, styles.RUNNING_SIZE)
        canvas.drawCentredString(PAGE_WIDTH / 2, styles.FOOTER_Y,
                                 _("Page {page} of {pages}").format(page=page, pages=pages))
        if self.context.audit_head:
            canvas.drawRightString(RIGHT_EDGE, styles.FOOTER_Y, _("Audit {head}").format(
                head=self.context.audit_head))
        canvas.restoreState()


def _at_most(lines: list[str], count: int) -> list[str]:
    """The first ``count`` lines, the last ending in "…" when some were left out."""
    if len(lines) <= count:
        return lines
    return [*lines[:count - 1], lines[count - 1][:-1] + "…"]


class RegisterPage(Decoration):
    """A register's running header: title, branch, who printed it and when, the period or
    filter, and the column headings, repeated on every page just above the rows."""

    gap = 0.0

    def __init__(self, context: PrintContext, title: str, period: Sequence[str],
                 column_header: Table) -> None:
        super().__init__(context)
        self.title = title
        self.period = [line for text in period
                       for line in _at_most(wrap_lines(text, self.font, styles.SUBTITLE_SIZE,
                                                       styles.FRAME_WIDTH), PERIOD_LINES)]
        self.column_header = column_header
        _width, self.header_height = column_header.wrap(styles.FRAME_WIDTH, PAGE_HEIGHT)
        self.height = (styles.TITLE_SIZE * 1.3 + styles.RUNNING_SIZE * 2.0
                       + styles.SUBTITLE_SIZE * 1.45 * len(self.period) + 6 + self.header_height)

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        """Title, branch, printer, period and column headings; page numbers below."""
        canvas.saveState()
        canvas.setFillColor(styles.INK)
        y = PAGE_HEIGHT - styles.HEADER_TOP - styles.TITLE_SIZE
        canvas.setFont(self.font, styles.TITLE_SIZE)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, self.title)
        y -= styles.RUNNING_SIZE * 2.0
        printed = printed_text(self.context)
        canvas.setFont(self.font, styles.RUNNING_SIZE)
        canvas.drawRightString(RIGHT_EDGE, y, printed)
        room = styles.FRAME_WIDTH - text_width(printed, self.font, styles.RUNNING_SIZE) - 12
        draw_branch(canvas, self.font, self.context, y, styles.RUNNING_SIZE, room)
        canvas.setFont(self.font, styles.SUBTITLE_SIZE)
        for line in self.period:
            y -= styles.SUBTITLE_SIZE * 1.45
            canvas.drawString(styles.MARGIN_LEFT, y, line)
        self.column_header.drawOn(canvas, styles.MARGIN_LEFT,
                                  PAGE_HEIGHT - styles.HEADER_TOP - self.height)
        canvas.restoreState()
        super().draw(canvas, page, pages)


class CardPage(Decoration):
    """An archive card's running header and footer: branch, card title, archive number, date
    printed and confidentiality mark; the mark also as a watermark across the page."""

    height = 15 * mm

    def __init__(self, context: PrintContext, archive_no: str, mark: str | None) -> None:
        super().__init__(context)
        self.archive_no = archive_no
        self.mark = mark

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        """Header band, footer and watermark of one card page."""
        canvas.saveState()
        canvas.setFillColor(styles.INK)
        top = PAGE_HEIGHT - styles.HEADER_TOP
        title = _("Customer archive card")
        canvas.setFont(self.font, 13)
        canvas.drawCentredString(PAGE_WIDTH / 2, top - 12, title)
        room = (styles.FRAME_WIDTH - text_width(title, self.font, 13)) / 2 - 8
        draw_branch(canvas, self.font, self.context, top - 11, 10, room)
        canvas.setFont(self.font, styles.RUNNING_SIZE)
        line_y = top - 26
        canvas.drawString(styles.MARGIN_LEFT, line_y,
                          _("Archive no.: {no}").format(no=self.archive_no))
        canvas.drawRightString(RIGHT_EDGE, line_y, _("Printed: {date}").format(
            date=self.context.printed_at.date().isoformat()))
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(styles.BOX_WIDTH)
        canvas.line(styles.MARGIN_LEFT, line_y - 4, RIGHT_EDGE, line_y - 4)
        canvas.drawString(styles.MARGIN_LEFT, styles.FOOTER_Y, printed_text(self.context))
        canvas.drawRightString(RIGHT_EDGE, styles.FOOTER_Y, self.archive_no)
        if self.mark:
            self._draw_mark(canvas, top)
        canvas.restoreState()
        super().draw(canvas, page, pages)

    def _draw_mark(self, canvas: Canvas, top: float) -> None:
        size = 12
        width = text_width(self.mark or "", self.font, size) + 10
        canvas.setStrokeColor(styles.MARK_RED)
        canvas.setFillColor(styles.MARK_RED)
        canvas.setLineWidth(1.2)
        canvas.rect(RIGHT_EDGE - width, top - 16, width, size + 7, stroke=1, fill=0)
        canvas.setFont(self.font, size)
        canvas.drawCentredString(RIGHT_EDGE - width / 2, top - 12, self.mark or "")
        # The watermark: as large as fits across the page's diagonal.
        diagonal = (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
        one_point = text_width(self.mark or "", self.font, 1) or 1
        big = min(styles.WATERMARK_SIZE, 0.6 * diagonal / one_point)
        canvas.setFillAlpha(styles.WATERMARK_ALPHA)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(50)
        canvas.setFont(self.font, big)
        canvas.drawCentredString(0, -big * 0.35, self.mark or "")


class UseDecoration(Flowable):
    """A flowable of no size that makes the page it lands on (and later ones) use a decoration."""

    def __init__(self, decoration: Decoration) -> None:
        super().__init__()
        self.decoration = decoration

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Switch the canvas to this decoration."""
        self.canv.decoration = self.decoration  # type: ignore[attr-defined]


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until saving, then decorates each knowing the total."""

    def __init__(self, *args: Any, decoration: Decoration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decoration = decoration
        self._held: list[tuple[dict[str, Any], Decoration]] = []

    def showPage(self) -> None:  # ReportLab's name
        """Hold the finished page instead of writing it."""
        self._held.append((dict(self.__dict__), self.decoration))
        self._startPage()

    def save(self) -> None:
        """Decorate and write every held page, then the file."""
        totals = Counter(id(decoration) for _state, decoration in self._held)
        numbers: Counter[int] = Counter()
        for state, decoration in self._held:
            self.__dict__.update(state)
            numbers[id(decoration)] += 1
            decoration.draw(self, numbers[id(decoration)], totals[id(decoration)])
            super().showPage()
        super().save()


def build_pdf(story: list[Flowable], decoration: Decoration, title: str) -> bytes:
    """Lay out ``story`` on A4 pages below ``decoration``'s header; return the PDF."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=styles.PAGE_SIZE, title=title, author=decoration.context.branch,
        creator="crmdesk", leftMargin=styles.MARGIN_LEFT, rightMargin=styles.MARGIN_RIGHT,
        topMargin=styles.HEADER_TOP + decoration.height + decoration.gap,
        bottomMargin=styles.MARGIN_BOTTOM, pageCompression=1, initialFontName=decoration.font,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=partial(NumberedCanvas, decoration=decoration))
    return buffer.getvalue()
