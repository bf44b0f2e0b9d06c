"""The office settings' branch on paper: name, address and logo on cards and registers."""
from __future__ import annotations

import dataclasses
import io

import pypdf
from PIL import Image

from crmdesk.printing import render


def _logo() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (90, 30), "darkred").save(data, "PNG")
    return data.getvalue()


def _images(data: bytes) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_card_carries_the_branch_address_and_logo(context, sheet, pdf):
    office = dataclasses.replace(context, address="浦东新区世纪大道100号", logo=_logo())
    data = render.cards([sheet()], office)
    first = pdf.squeeze(pdf.pages_text(data)[0])
    assert "上海分公司" in first and "浦东新区世纪大道100号" in first
    assert _images(data) > _images(render.cards([sheet()], context))


def test_every_register_page_carries_the_branch_address(context, pdf):
    office = dataclasses.replace(context, address="浦东新区世纪大道100号", logo=_logo())
    rows = [(f"KH2026{i:06d}", "张伟") for i in range(1, 120)]
    pages = pdf.pages_text(render.roster(("archive_no", "name"), rows, "", office))
    assert len(pages) >= 2
    assert all("浦东新区世纪大道100号" in pdf.squeeze(page) for page in pages)
