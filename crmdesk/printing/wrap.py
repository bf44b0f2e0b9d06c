"""Breaking text into lines that fit a width, the way Chinese print expects.

A line may break between any two Chinese characters, but never inside a Latin word, e-mail
address or number (ReportLab's own CJK wrap does both); closing punctuation never starts a
line and opening punctuation never ends one. Only a Latin word wider than the whole line is
broken, between characters. No character other than the space at a break is ever dropped.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

# 禁则: characters that may not begin a line / may not end one.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉〗”’…—～·％,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『【〔〈〖“‘([{")
# Where a word wider than the whole line is best broken: after these (e-mails, web addresses).
SOFT_BREAK_AFTER = frozenset("@./-_?&=:,;")
# Keeps float sums from deciding that a line exactly as wide as the cell does not fit.
_SLACK = 0.01


@lru_cache(maxsize=64)
def _widths(font: str, size: float) -> dict[str, float]:
    """A per-character width cache for one font and size (filled as characters are met)."""
    return {}


def text_width(text: str, font: str, size: float) -> float:
    """The printed width of ``text`` in points."""
    cache = _widths(font, size)
    total = 0.0
    for ch in text:
        width = cache.get(ch)
        if width is None:
            width = cache[ch] = stringWidth(ch, font, size)
        total += width
    return total


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _units(paragraph: str) -> list[str]:
    """Split a paragraph into unbreakable units: Latin words, single Chinese characters, spaces."""
    units: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isspace() or _is_wide(ch):
            if word:
                units.append(word)
                word = ""
            units.append(" " if ch in "\t\r\x0b\x0c" else ch)
        else:
            word += ch
    if word:
        units.append(word)
    merged: list[str] = []
    for unit in units:
        if unit.isspace() or not merged:
            merged.append(unit)
        elif unit[0] in NO_LINE_START:
            # Glue to the word before, across spaces too ("com.cn 。").
            while len(merged) > 1 and merged[-1].isspace():
                unit = merged.pop() + unit
            if merged[-1].isspace():
                merged.append(unit)
            else:
                merged[-1] += unit
        elif not merged[-1].isspace() and merged[-1][-1] in NO_LINE_END:
            merged[-1] += unit
        else:
            merged.append(unit)
    return merged


def _pieces(word: str, font: str, size: float, width: float) -> list[str]:
    """Break a word wider than the line into line-long pieces, after a soft break if any."""
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end, used, soft = start, 0.0, -1
        while end < len(word):
            ch_width = text_width(word[end], font, size)
            if end > start and used + ch_width > width + _SLACK:
                break
            used += ch_width
            end += 1
            if word[end - 1] in SOFT_BREAK_AFTER and end < len(word):
                soft = end
        if end < len(word) and soft > start + (end - start) // 3:
            end = soft
        pieces.append(word[start:end])
        start = end
    return pieces


def _wrap_paragraph(paragraph: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for unit in _units(paragraph):
        unit_width = text_width(unit, font, size)
        if unit.isspace():
            if line:
                line, used = line + unit, used + unit_width
            continue
        if used + unit_width <= width + _SLACK:
            line, used = line + unit, used + unit_width
            continue
        if line.strip():
            lines.append(line.rstrip())
        line, used = "", 0.0
        if unit_width <= width + _SLACK:
            line, used = unit, unit_width
            continue
        pieces = _pieces(unit, font, size, width)
        lines.extend(pieces[:-1])
        line, used = pieces[-1], text_width(pieces[-1], font, size)
    lines.append(line.rstrip())
    return lines


def wrap_lines(text: str | None, font: str, size: float, width: float) -> list[str]:
    """The lines ``text`` takes in a column ``width`` points wide (at least one, maybe empty).

    Line breaks in the text are kept; blank lines too.
    """
    if not text:
        return [""]
    text = text.replace("\t", " ")
    if "\n" not in text and "\r" not in text and text_width(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(_wrap_paragraph(paragraph, font, size, width))
    return lines
