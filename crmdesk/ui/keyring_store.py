"""The desk's database password in the operating system's keyring, when it has one."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)
SERVICE = "crmdesk"


def _backend():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) else keyring


def available() -> bool:
    """True when a real keyring (not the failing placeholder) is there to keep passwords."""
    return _backend() is not None


def load(url: str) -> str | None:
    """The password kept for the archive ``url`` (a URL without password), if any."""
    keyring = _backend()
    if keyring is None:
        return None
    try:
        return keyring.get_password(SERVICE, url)
    except Exception as exc:  # a locked or broken keyring: the password is asked instead
        log.warning("keyring could not be read: %s", type(exc).__name__)
        return None


def save(url: str, password: str) -> bool:
    """Keep ``password`` for ``url``; False when the keyring refused."""
    keyring = _backend()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, url, password)
    except Exception as exc:
        log.warning("keyring could not be written: %s", type(exc).__name__)
        return False
    return True
