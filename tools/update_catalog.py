"""Refresh the translation catalogues after user-visible text changed.

Extracts every message from crmdesk/ into resources/i18n/crmdesk.pot, merges new messages into
resources/i18n/zh_CN.po (new entries arrive untranslated), and compiles zh_CN.po into
crmdesk/locale/zh_CN/LC_MESSAGES/crmdesk.mo, which ships with the package.

Run: python tools/update_catalog.py  (needs Babel, from the test extra)
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "crmdesk"
POT = ROOT / "resources" / "i18n" / "crmdesk.pot"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    """Every translatable message in the package, with where it is used."""
    catalog = Catalog(project="crmdesk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(message, None, [(f"crmdesk/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def po_path(language: str) -> Path:
    return ROOT / "resources" / "i18n" / f"{language}.po"


def mo_path(language: str) -> Path:
    return SOURCE / "locale" / language / "LC_MESSAGES" / "crmdesk.mo"


def main() -> int:
    template = extract()
    POT.parent.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as out:
        write_po(out, template, omit_header=True, sort_output=True)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as src:
                catalog = read_po(src, locale=language)
        else:
            catalog = Catalog(locale=language, project="crmdesk", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as out:
            write_po(out, catalog, omit_header=False, sort_output=True, ignore_obsolete=True)
        mo = mo_path(language)
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        missing = [m.id for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple) else (m.string,))]
        print(f"{language}: {len(catalog)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
