"""Keys stored beside each customer so search is an index lookup: pinyin, initials, mobile tail."""
from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

TAIL_DIGITS = 4


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name: 张三 gives ("zhangsan", "zs").

    Latin letters and digits pass through lower-cased; other characters are dropped.
    """
    if not name:
        return "", ""  # without loading pypinyin's dictionaries for nothing
    keys = _per_character_keys(name)
    return keys if keys is not None else _dictionary_keys(name)


def _dictionary_keys(name: str) -> tuple[str, str]:
    """The keys as pypinyin gives them, reading the name with its phrase dictionary."""
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


@lru_cache(maxsize=1)
def _phrase_lengths() -> range:
    """The lengths of the entries of pypinyin's phrase dictionary, shortest to longest."""
    from pypinyin.constants import PHRASES_DICT

    lengths = {len(phrase) for phrase in PHRASES_DICT}
    return range(min(lengths, default=1), max(lengths, default=0) + 1)


@cache
def _character(han: str) -> str:
    """The syllable of one Chinese character read alone, as ``_dictionary_keys`` cleans it."""
    return _dictionary_keys(han)[0]


def _per_character_keys(name: str) -> tuple[str, str] | None:
    """The keys from each character's own reading, or None when the dictionary must decide.

    pypinyin reads a run of Chinese characters phrase by phrase: a character takes a phrase's
    reading only inside a phrase of its dictionary (银行 háng, not xíng). A name of Chinese
    characters containing no phrase at all is read character by character, which a table of
    single readings gives without segmenting: most personal names are such, and an import
    brings tens of thousands of different ones.
    """
    from pypinyin.constants import PHRASES_DICT, RE_HANS

    if not RE_HANS.match(name):
        return None
    lengths = _phrase_lengths()
    for start in range(len(name)):
        for length in lengths:
            if start + length > len(name):
                break
            if name[start:start + length] in PHRASES_DICT:
                return None
    words = [_character(han) for han in name]
    return "".join(words), "".join(word[0] for word in words if word)


def search_text(*parts: str | None) -> str:
    """The text substring search looks in: name, alias and company, lower-cased, one line."""
    joined = " | ".join(unicodedata.normalize("NFKC", p).strip() for p in parts if p)
    return joined.lower()


def mobile_tail(mobile: str | None) -> str | None:
    """The last four digits of a stored mobile, as front desks ask for them (尾号)."""
    return mobile[-TAIL_DIGITS:] if mobile and len(mobile) >= TAIL_DIGITS else None
