"""Messages in Chinese by default, English on request: one gettext catalogue.

Every message the tool prints is written in the code as an English msgid wrapped in
`_()`; the Chinese catalogue (compiler/locale/zh_CN/LC_MESSAGES/disclosure.po, compiled to
.mo) holds what a clerk reads. The same catalogue translates click's own words (Usage:,
Options:, Show this message and exit.), which click looks up through gettext's global
domain. English is chosen by `--lang en`, by DISCLOSURE_LANG=en, or by a LANG / LC_ALL /
LC_MESSAGES that starts with "en"; anything else gets Chinese.

    make messages     # extract the msgids from the code (Babel) and update the .po
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "disclosure"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CHINESE, ENGLISH = "zh", "en"

_current: gettext.NullTranslations | None = None
_language = CHINESE


def language_from_environment() -> str:
    """zh unless the environment asks for English."""
    explicit = os.environ.get("DISCLOSURE_LANG", "").strip().lower()
    if explicit:
        return ENGLISH if explicit.startswith("en") else CHINESE
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return ENGLISH if value.lower().startswith("en") else CHINESE
    return CHINESE


def set_language(lang: str | None = None) -> str:
    """Choose the language of every later message (None: from the environment)."""
    global _current, _language
    _language = (
        ENGLISH if (lang or language_from_environment()).lower().startswith("en") else CHINESE
    )
    if _language == ENGLISH:
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    # click's own words go through gettext's global functions: give them our catalogue
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR) if _language == CHINESE else None)
    gettext.textdomain(DOMAIN if _language == CHINESE else "messages")
    return _language


def language() -> str:
    if _current is None:
        set_language()
    return _language


def _(message: str) -> str:
    """The message in the chosen language."""
    if _current is None:
        set_language()
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _current is None:
        set_language()
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction where it is translated later (a table of labels)."""
    return message
