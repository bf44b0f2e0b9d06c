"""Translation of user-visible text with gettext, usable by every layer (no Qt needed).

Message ids are English; the shipped catalogue is Simplified Chinese, the default language.
Catalogues are compiled into ``crmdesk/locale/<lang>/LC_MESSAGES/crmdesk.mo``.
"""
from __future__ import annotations

import gettext

from crmdesk.paths import LOCALE_DIR

DOMAIN = "crmdesk"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` (one of LANGUAGES)."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def language() -> str:
    """The language in use."""
    return _language


def is_chinese() -> bool:
    """True when the interface speaks Chinese (card labels pick their Chinese form)."""
    return _language == "zh_CN"


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


set_language(DEFAULT_LANGUAGE)
