"""Keys stored beside each customer so search is an index lookup: pinyin, initials, mobile tail."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

TAIL_DIGITS = 4


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name: 张三 gives ("zhangsan", "zs").

    Latin letters and digits pass through lower-cased; other characters are dropped.
    """
    # Imported when first needed: loading its phrase dictionary takes a third of a second,
    # which the window's start should not wait for.
    from pypinyin import Style, lazy_pinyin

    full: list[str] = []
    initials: list[str] = []
    for syllable in lazy_pinyin(name or "", style=Style.NORMAL, errors="default"):
        word = "".join(ch for ch in syllable.lower() if ch.isascii() and ch.isalnum())
        if word:
            full.append(word)
            initials.append(word[0])
    return "".join(full), "".join(initials)


def search_text(*parts: str | None) -> str:
    """The text substring search looks in: name, alias and company, lower-cased, one line."""
    joined = " | ".join(unicodedata.normalize("NFKC", p).strip() for p in parts if p)
    return joined.lower()


def mobile_tail(mobile: str | None) -> str | None:
    """The last four digits of a stored mobile, as front desks ask for them (尾号)."""
    return mobile[-TAIL_DIGITS:] if mobile and len(mobile) >= TAIL_DIGITS else None
