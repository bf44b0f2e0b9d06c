"""Sizes, colours and spacing shared by every printout: one place to change the look."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_SIZE = A4
MARGIN_LEFT = MARGIN_RIGHT = 15 * mm
MARGIN_BOTTOM = 16 * mm
# The running header above the frame; registers add their column header below it.
HEADER_TOP = 10 * mm
FOOTER_Y = 9 * mm
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#4d4d4d")
FAINT_RULE = colors.HexColor("#9a9a9a")
LABEL_FILL = colors.HexColor("#e6e6e6")
HEADING_FILL = colors.HexColor("#d9d9d9")
GROUP_FILL = colors.HexColor("#f4f4f4")
MARK_RED = colors.HexColor("#c00000")

RULE_WIDTH = 0.6
BOX_WIDTH = 0.9

TITLE_SIZE = 15
SUBTITLE_SIZE = 9
RUNNING_SIZE = 8
NAME_SIZE = 14
SECTION_SIZE = 11
WATERMARK_SIZE = 120
WATERMARK_ALPHA = 0.13


@dataclass(frozen=True)
class CellText:
    """How text sits in a table cell: size, line spacing and padding, in points."""

    size: float
    leading: float
    pad_x: float = 3
    pad_y: float = 2.2

    def row_height(self, lines: int) -> float:
        """Height of a row holding ``lines`` lines of text."""
        return max(lines, 1) * self.leading + 2 * self.pad_y


BODY = CellText(size=8.5, leading=11)
LABEL = CellText(size=8, leading=10.5)
HEADER = CellText(size=8, leading=10.5)
GROUP_TITLE = CellText(size=9.5, leading=12, pad_y=2.5)
REGISTER = CellText(size=8, leading=10, pad_y=2)
