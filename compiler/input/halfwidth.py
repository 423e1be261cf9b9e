"""What a Chinese input method types instead of a number or a code, and the value meant.

A clerk with the input method in full-width mode types １２０.４５, a full-width minus
or decimal point, or quotes a code as “2010507”. These helpers say whether such text is
unambiguously a number (or a digits-only code) and give it in ASCII: `disclosure fmt`
rewrites it, and `validate` says that fmt can. They import nothing heavy, so `validate`
stays fast.
"""

from __future__ import annotations

import re

from .loader import NUMBER

# Full-width digits ０-９ (U+FF10…) and the full-width or typographic signs a number
# may carry. The ideographic full stop 。 is what the input method types for "." in
# Chinese punctuation mode; it counts as a decimal point only between two digits.
_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_SIGNS = {"．": ".", "－": "-", "−": "-", "﹣": "-"}
_STOP_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])。(?=[0-9])")
# Quotes around a whole value: full-width ones are text to YAML, ASCII ones make a
# number text when the field wants a number.
_QUOTES = (("“", "”"), ("‘", "’"), ("「", "」"), ("＂", "＂"), ("＇", "＇"), ('"', '"'), ("'", "'"))
_SPACES = " \t\u3000"
FULL_WIDTH_DIGIT = re.compile("[\uff10-\uff19]")


def has_full_width_digits(text: str) -> bool:
    return bool(FULL_WIDTH_DIGIT.search(text))


def ascii_digits(text: str) -> str:
    """Full-width digits, decimal points and minus signs written in ASCII; nothing else
    changes."""
    out = "".join(_DIGITS.get(c, _SIGNS.get(c, c)) for c in text)
    return _STOP_BETWEEN_DIGITS.sub(".", out)


def unquoted(text: str) -> tuple[str, str | None]:
    """The text inside one pair of quotes around the whole value, and the opening quote
    (None when the value is not quoted)."""
    inner = text.strip(_SPACES)
    for left, right in _QUOTES:
        if len(inner) >= 2 and inner.startswith(left) and inner.endswith(right):
            return inner[len(left) : -len(right)].strip(_SPACES), left
    return inner, None


def number_text(text: str) -> str | None:
    """The plain YAML number that `text` (a value typed where a number belongs) means,
    or None if it is not unambiguously one: `１２０.４５` → `120.45`, `"120.45"` →
    `120.45`; `120.45万元`, `1,200` and `abc` → None."""
    inner, _ = unquoted(text)
    candidate = ascii_digits(inner)
    return candidate if NUMBER.fullmatch(candidate) else None


def code_text(text: str) -> str | None:
    """The digits of a code typed with full-width digits or quotes (`２０１０５０７`,
    `“2010507”`), or typed as a plain number; None if it is not digits only."""
    inner, _ = unquoted(text)
    candidate = ascii_digits(inner)
    return candidate if candidate.isascii() and candidate.isdigit() else None


_DIGITS_PATTERN = re.compile(
    r"\^(?:\[0-9\]|[0-9])(?:\[0-9\]|[0-9]|\{[0-9]+(?:,[0-9]*)?\}|[+*?])*\$"
)


def is_code_schema(schema: dict) -> bool:
    """A string field whose pattern admits digits only (function_code, economic_code,
    unit.code): a code, which YAML must read as text, never as a number."""
    pattern = schema.get("pattern")
    return (
        schema.get("type") == "string"
        and isinstance(pattern, str)
        and bool(_DIGITS_PATTERN.fullmatch(pattern))
    )
