"""The Chinese catalogue is complete, compiled, and its placeholders match the English."""
from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crmdesk import i18n
from crmdesk.paths import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("update_catalog", ROOT / "tools/update_catalog.py")
update_catalog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_catalog)
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


@pytest.fixture(scope="module")
def chinese():
    with update_catalog.po_path("zh_CN").open("rb") as src:
        return read_po(src, locale="zh_CN")


def test_every_message_in_the_code_has_a_chinese_translation(chinese):
    translated = {m.id: m.string for m in chinese
                  if m.id and all(_forms(m.string)) and not m.fuzzy}
    missing = sorted(str(m.id) for m in update_catalog.extract()
                     if m.id and m.id not in translated)
    assert missing == [], "run tools/update_catalog.py and translate: " + "; ".join(missing)


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


def test_translations_keep_every_placeholder(chinese):
    for message in chinese:
        if not message.id or not any(_forms(message.string)):
            continue
        # Plural entries: every Chinese form keeps the placeholders of the English plural.
        wanted = sorted(PLACEHOLDER.findall(_forms(message.id)[-1]))
        for form in _forms(message.string):
            assert sorted(PLACEHOLDER.findall(form)) == wanted, message.id


def test_compiled_catalogue_matches_the_source(chinese):
    compiled = gettext.translation(i18n.DOMAIN, LOCALE_DIR, ["zh_CN"])
    for message in chinese:
        if not message.id or not all(_forms(message.string)) or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(*message.id, 2) == message.string[0], message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_headless_messages_follow_the_chosen_language():
    from crmdesk.models.parsers import ValueProblem, parse_date

    i18n.set_language("en")
    with pytest.raises(ValueProblem, match="year-month-day"):
        parse_date("next tuesday")
    i18n.set_language("zh_CN")
    with pytest.raises(ValueProblem) as raised:
        parse_date("next tuesday")
    assert re.search(r"[\u4e00-\u9fff]", str(raised.value))
