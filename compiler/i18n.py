"""Messages in Chinese by default, English on request: one gettext catalogue.

Every message the tool prints is written in the code as an English msgid wrapped in
`_()`; the Chinese catalogue (compiler/locale/zh_CN/LC_MESSAGES/disclosure.po, compiled to
.mo) holds what a clerk reads. The same catalogue translates click's own words (Usage:,
Options:, Show this message and exit.). English is chosen by `--lang en`, by
DISCLOSURE_LANG=en, or by a LANG / LC_ALL / LC_MESSAGES that starts with "en"; anything
else gets Chinese.

    make messages     # extract the msgids from the code (Babel) and update the .po
"""

from __future__ import annotations

import gettext
import os
import re
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
    _translate_click()
    return _language


def _translate_click() -> None:
    """click says its own words (Usage:, Options:, No such command) through gettext's
    global functions, which pick a language from LANGUAGE/LANG, not from --lang: point the
    `_` and `ngettext` of each loaded click module at our catalogue instead."""
    import sys

    for name, module in list(sys.modules.items()):
        if (name == "click" or name.startswith("click.")) and module is not None:
            if hasattr(module, "_"):
                module._ = _current.gettext
            if hasattr(module, "ngettext"):
                module.ngettext = _current.ngettext
    # click names a value's type in its messages ("'2024年' is not a valid integer range")
    # with the type's `name`, an English class attribute: name it in the chosen language.
    types = sys.modules.get("click.types")
    if types is not None:
        for type_name, msgid in _CLICK_TYPE_NAMES.items():
            kind = getattr(types, type_name, None)
            if kind is not None:
                kind.name = _current.gettext(msgid)


def catalogue_path() -> Path:
    return LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"


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


_ADDRESS = re.compile(r"([0-9]{4})(/final)?(?:@(.+))?")


def document_name(label: str) -> str:
    """How a sentence names the document a label addresses, never the address itself:
    2024/final is 2024年度决算, 2024 is 2024年度预算, 2024/final@main 2024年度决算（main版本）.
    English keeps the address (2024/final), which is also how commands take it."""
    m = _ADDRESS.fullmatch(str(label))
    if not m:
        return str(label)
    year, final, revision = m.groups()
    name = (_("{year}/final") if final else _("{year}")).format(year=year)
    return _("{name}@{revision}").format(name=name, revision=revision) if revision else name


def page_language() -> str:
    """The `lang` of a page the tool writes in the chosen language."""
    return "zh-CN" if language() == CHINESE else "en"


# click's own type names, as click writes them (see _translate_click).
_CLICK_TYPE_NAMES = {
    "IntParamType": N_("integer"),
    "IntRange": N_("integer range"),
    "FloatParamType": N_("float"),
    "FloatRange": N_("float range"),
    "BoolParamType": N_("boolean"),
}
