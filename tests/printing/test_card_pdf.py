"""The printed archive card: labels from the card definition, values, marks, groups, pages."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from crmdesk.i18n import _
from crmdesk.models.card import BASIC, CARD, FIELDS, TABLE_COLUMNS, table_label
from crmdesk.printing import render, styles
from crmdesk.printing.boxes import LABEL_WIDTH
from crmdesk.printing.card import qr_code
from crmdesk.printing.fonts import font_name
from crmdesk.printing.logtable import log_grid
from crmdesk.printing.wrap import wrap_lines

RECORD_COLUMN = 5


def group(key: str):
    return next(g for section in CARD for g in section.groups if g.key == key)


def test_card_shows_labels_from_the_card_definition_and_the_values(sheet, context, pdf):
    data = render.cards([sheet()], context)
    text = pdf.squeeze("".join(pdf.pages_text(data)))
    for section in CARD:
        assert section.label in text or table_label("communications") in text
    for name in ("name", "mobile", "email", "address", "owner", "level", "gender", "needs",
                 "budget", "purchase_factors"):
        assert FIELDS[name].label in text, name
    for column in TABLE_COLUMNS["decision_people"] + TABLE_COLUMNS["purchases"]:
        assert column.label in text
    for value in ("张三", "老张", "13800138000", "02162345678", "zhang.san@huaxin-tech.com.cn",
                  "上海市长宁区长宁路1号", "王强", "A级", "男", "本科", "价格、质量", "200,000.00",
                  "决策者", "支持", "保养套餐", "3,600.00", "上海分公司"):
        assert value in text, value


def test_the_font_is_embedded_as_a_subset(sheet, context, pdf):
    fonts = pdf.embedded_fonts(render.cards([sheet()], context))
    assert fonts
    assert all(re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei-\d+", name) for name in fonts)


@pytest.mark.parametrize(("key", "mark"), [("confidential", "机密"), ("secret", "绝密")])
def test_a_card_kept_apart_carries_its_mark_on_every_page(sheet, context, pdf, key, mark):
    pages = pdf.pages_text(render.cards([sheet(confidentiality=key)], context))
    assert len(pages) >= 2
    # In the header beside the title, and again as the watermark.
    assert all(pdf.squeeze(page).count(mark) >= 2 for page in pages)


def test_an_ordinary_card_has_no_mark(sheet, context, pdf):
    text = pdf.squeeze("".join(pdf.pages_text(render.cards([sheet()], context))))
    assert "机密" not in text
    assert "绝密" not in text


def test_individuals_and_organisations_print_their_own_groups(sheet, context, pdf):
    person = pdf.squeeze("".join(pdf.pages_text(render.cards([sheet()], context))))
    company = pdf.squeeze("".join(pdf.pages_text(
        render.cards([sheet(kind="organisation", name="华信科技有限公司")], context))))
    for key in ("person", "family", "profile"):
        assert group(key).label in person
        assert group(key).label not in company
    for key in ("organisation", "legal_rep", "manager"):
        assert group(key).label in company
        assert group(key).label not in person
    assert FIELDS["home_phone"].label in person
    assert FIELDS["home_phone"].label not in company
    assert FIELDS["tax_no"].label in company


def test_groups_print_in_the_order_of_the_card_definition(sheet, context, pdf):
    text = pdf.squeeze("".join(pdf.pages_text(render.cards([sheet()], context))))
    labels = [g.label for g in BASIC.groups if g.applies.value in ("both", "individual")]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)


def test_the_back_is_the_log_on_a_page_of_its_own(sheet, context, contact, pdf):
    log = [contact(1, "首次来电询问"), contact(2, "到店试驾"), contact(3, "报价已发")]
    pages = pdf.pages_text(render.cards([sheet(communications=log)], context))
    back = pdf.squeeze(pages[-1])
    assert table_label("communications") in back
    assert back.index("首次来电询问") < back.index("到店试驾") < back.index("报价已发")
    assert not any("首次来电询问" in pdf.squeeze(page) for page in pages[:-1])


def test_several_cards_print_into_one_pdf_each_numbered_on_its_own(sheet, context, pdf):
    data = render.cards([sheet("KH2026000001"), sheet("KH2026000002", name="李四")], context)
    pages = [pdf.squeeze(page) for page in pdf.pages_text(data)]
    first = [p for p in pages if "KH2026000001" in p]
    second = [p for p in pages if "KH2026000002" in p]
    assert len(first) + len(second) == len(pages)
    for part in (first, second):
        for number, page in enumerate(part, start=1):
            footer = _("Page {page} of {pages}").format(page=number, pages=len(part))
            assert pdf.squeeze(footer) in page


def test_a_3000_character_record_and_note_print_whole(sheet, context, contact, pdf,
                                                      long_record):
    card = sheet(communications=[contact(1, long_record)], notes=long_record)
    data = render.cards([card], context)
    note_width = styles.FRAME_WIDTH - LABEL_WIDTH - 2 * styles.BODY.pad_x
    note_lines = wrap_lines(long_record, font_name(), styles.BODY.size, note_width)
    record_lines = log_grid().wrap_cell(long_record, RECORD_COLUMN)
    for lines in (note_lines, record_lines):
        assert pdf.squeeze("".join(lines)) == pdf.squeeze(long_record)
        assert len(lines) > 30
        assert pdf.lines_in_order(data, lines)


def test_the_qr_code_holds_the_archive_number():
    assert qr_code("KH2026000123").value == "KH2026000123"


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="decoding needs zbarimg and pdftoppm")
def test_the_printed_qr_code_decodes_to_the_archive_number(sheet, context, tmp_path):
    card = tmp_path / "card.pdf"
    render.cards([sheet("KH2026000123", confidentiality="secret")], context, card)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(card),
                    str(tmp_path / "front")], check=True)
    (image,) = tmp_path.glob("front*.png")
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True,
                             text=True, check=False)
    assert decoded.stdout.split() == ["KH2026000123"]


def test_a_card_can_be_written_to_a_file(sheet, context, tmp_path):
    target = tmp_path / "card.pdf"
    data = render.cards([sheet()], context, target)
    assert target.read_bytes() == data
    assert data.startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["card.pdf"]


def test_a_card_with_every_field_overfull_still_prints_everything(sheet, context, contact,
                                                                  pdf, long_record):
    values = {spec.name: long_record[:400] for spec in FIELDS.values()
              if spec.kind.key in ("text", "longtext")}
    values.update(name=long_record, kind="individual")
    people = [{"name": f"联系人{i}", "role": "user", "notes": long_record[:600]}
              for i in range(12)]
    card = sheet(communications=[contact(i, long_record[:900]) for i in range(1, 40)], **values)
    card = type(card)(card.archive_no, card.values, card.references, people, card.purchases,
                      card.communications)
    data = render.cards([card], context)
    text = pdf.squeeze("".join(pdf.pages_text(data)))
    assert all(f"联系人{i}" in text for i in range(12))
    width = styles.FRAME_WIDTH / 3 - LABEL_WIDTH - 2 * styles.BODY.pad_x
    assert pdf.lines_in_order(data, wrap_lines(long_record, font_name(), styles.BODY.size, width))
