"""The bundled Chinese font, registered with ReportLab once per process.

WenQuanYi Micro Hei covers Chinese and Latin text, so one face prints everything and every PDF
looks the same on any machine. ReportLab embeds TrueType fonts as subsets of the glyphs used.
"""
from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from crmdesk.paths import FONT_FILE

FONT_NAME = "WenQuanYiMicroHei"
# The .ttc holds two faces; the first is the proportional Micro Hei.
_SUBFONT_INDEX = 0

_lock = threading.Lock()
_loads = 0


def font_name() -> str:
    """Register the bundled font on first use (thread-safe) and return its ReportLab name."""
    global _loads
    if _loads:
        return FONT_NAME
    with _lock:
        if not _loads:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=_SUBFONT_INDEX))
            # The face has no bold or italic: map them to itself so markup cannot fail.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _loads += 1
    return FONT_NAME


def load_count() -> int:
    """How many times this process has read the font file (1 once anything was printed)."""
    return _loads
