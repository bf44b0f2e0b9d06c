"""Fixtures for the printing tests: who prints, sample cards, and reading PDFs back."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pypdf
import pytest

from crmdesk.printing.inputs import CardSheet, PrintContext

PRINTED_AT = dt.datetime(2026, 5, 1, 9, 30)
LONG_RECORD = "".join(f"第{i:04d}段客户来电咨询SUV报价,邮箱 li.ming@huaxin-tech.com.cn 。"
                      for i in range(80))[:3000]


@pytest.fixture
def context() -> PrintContext:
    """The office and the person printing."""
    return PrintContext(branch="上海分公司", user="王强", printed_at=PRINTED_AT)


def _contact(seq: int, record: str = "电话沟通,客户对SUV有兴趣。", **extra: Any) -> dict[str, Any]:
    """One log entry as the services give it."""
    entry = {
        "id": seq, "seq": seq, "contacted_at": dt.datetime(2026, 4, seq % 28 + 1, 10),
        "method": "phone", "person": "李明", "person_role": "采购经理", "level": "A",
        "record": record, "conclusion": "继续跟进", "next_follow_up": dt.date(2026, 5, 6),
        "recorded_by": "王强",
    }
    entry.update(extra)
    return entry


def _sheet(archive_no: str = "KH2026000001", kind: str = "individual",
               communications: list[dict[str, Any]] | None = None, **values: Any) -> CardSheet:
    """A filled card of ``kind``; keywords override its values."""
    base: dict[str, Any] = {
        "kind": kind, "name": "张三", "alias": "老张", "status": "following",
        "confidentiality": "normal", "source": "referral", "consent": True,
        "consent_date": dt.date(2026, 3, 1), "mobile": "13800138000",
        "phone": "02162345678", "email": "zhang.san@huaxin-tech.com.cn",
        "address": "上海市长宁区长宁路1号", "employer": "华信科技有限公司",
        "gender": "male", "education": "bachelor", "needs": "家用代步,预算二十万以内",
        "purchase_factors": "price,quality", "budget": Decimal("200000"),
    }
    base.update(values)
    return CardSheet(
        archive_no=archive_no, values=base,
        references={"owner": "王强", "level": "A 级", "registered_by": "赵经理"},
        decision_people=[{"name": "李明", "role": "decision_maker", "title": "采购经理",
                          "phone": "13900139000", "attitude": "support", "notes": ""}],
        purchases=[{"date": dt.date(2025, 12, 1), "product": "保养套餐", "quantity": 1,
                    "amount": Decimal("3600")}],
        communications=[_contact(i) for i in range(1, 4)] if communications is None
        else communications,
    )


@pytest.fixture
def sheet() -> Callable[..., CardSheet]:
    """Build a sample card: ``sheet(archive_no, kind, communications, **values)``."""
    return _sheet


@pytest.fixture
def contact() -> Callable[..., dict[str, Any]]:
    """Build a log entry: ``contact(seq, record, **overrides)``."""
    return _contact


@pytest.fixture
def long_record() -> str:
    """A 3,000-character record of mixed Chinese, digits and an e-mail address."""
    return LONG_RECORD


def _pages_text(data: bytes) -> list[str]:
    """The text of every page of a PDF."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _squeeze(text: str) -> str:
    """Text without any whitespace: wrapped lines joined back together."""
    return re.sub(r"\s+", "", text)


def _embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts embedded (with a font file) in a PDF."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


_TEXT_OPS = re.compile(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|(T\*|ET)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_CMAP_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPED.get(code, code)


def _quick_pages_text(data: bytes) -> list[str]:
    """The text of every page, read the way ReportLab writes it (one string per ``Tj``).

    pypdf's own ``extract_text`` takes about 50 ms a page; this takes well under 1 ms, so a
    register of hundreds of pages can be checked whole. ``test_quick_reading_matches_pypdf``
    keeps it honest.
    """
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        maps: dict[bytes, dict[int, str]] = {}
        for name, font in page["/Resources"]["/Font"].items():
            cmap = font.get_object()["/ToUnicode"].get_object().get_data()
            maps[name[1:].encode()] = {int(a, 16): chr(int(b, 16))
                                       for a, b in _CMAP_PAIR.findall(cmap)}
        chars: dict[int, str] = {}
        text: list[str] = []
        for font, string, end in _TEXT_OPS.findall(page.get_contents().get_data()):
            if font:
                chars = maps[font]
            elif end:
                text.append("\n")
            else:
                text.append("".join(chars.get(b, "?") for b in _ESCAPE.sub(_unescape, string)))
        pages.append("".join(text))
    return pages


def _lines_in_order(data: bytes, expected: list[str]) -> bool:
    """True when every one of ``expected`` is a line of the PDF's text, in that order."""
    lines = iter(line.strip() for page in _pages_text(data) for line in page.splitlines())
    return all(any(line == wanted.strip() for line in lines) for wanted in expected)


@pytest.fixture(scope="session")
def pdf() -> SimpleNamespace:
    """Reading PDFs back: ``pages_text(data)`` (pypdf), ``quick_pages_text(data)``,
    ``squeeze(text)``, ``embedded_fonts(data)``, ``lines_in_order(data, lines)``."""
    return SimpleNamespace(pages_text=_pages_text, quick_pages_text=_quick_pages_text,
                           squeeze=_squeeze, embedded_fonts=_embedded_fonts,
                           lines_in_order=_lines_in_order)
