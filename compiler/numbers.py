"""Money and numbering: exact decimals for amounts, Chinese numerals for section numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")

NOT_PUBLISHED_WORD = "未公开"  # the one spelling, in the data, of a fact the document omitted


class NotPublished:
    """A fact the published document does not give: a value of its own, never 0. It is
    not a number (adding it to one raises TypeError), prints as 未公开 where a template
    asks for it as text, and is null in model.json (listed under `not_published`)."""

    _instance: NotPublished | None = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return NOT_PUBLISHED_WORD

    def __repr__(self) -> str:
        return "NOT_PUBLISHED"

    def __bool__(self) -> bool:
        return False  # `{% if it.reason %}` prints nothing for a reason not published

    def __reduce__(self):
        return (NotPublished, ())


NOT_PUBLISHED = NotPublished()


def published(value):
    """The value as written, or NOT_PUBLISHED for the data's 未公开."""
    return NOT_PUBLISHED if value == NOT_PUBLISHED_WORD else value


def is_published(value) -> bool:
    return value is not None and not isinstance(value, NotPublished)


def money_value(value: Decimal) -> Decimal:
    """An amount rounded to the fen, half up: the one rounding rule, applied for display."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """An amount rounded half up to `places` decimals: 2 (the fen), or 0 for a text that
    prints whole 万元 (layout option text_decimals)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """An amount in 万元 as published: two decimals, no thousands separator (9569.88, 0.00)."""
    return str(money_value(value))


def plain_number(value: Decimal) -> str:
    """A non-money number as written in the data (3.4, 98, 1000), never in exponent form."""
    text = format(Decimal(value), "f")
    return text


def percent(value: Decimal | None) -> str:
    """A percentage change with one decimal and its sign, e.g. -16.4%; '—' when undefined."""
    if value is None:
        return "—"
    q = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return "0.0%" if q.is_zero() else f"{q:+}%"


def percent2(value: Decimal | None, when_undefined: str = "100.00") -> str:
    """The size of a change in percent with two decimals and no sign (the words 增加/减少
    carry the direction): 77.70%. From zero the change is undefined; Shanghai's texts write
    100.00% for a line that is new this year, so that is the default."""
    if value is None:
        return f"{when_undefined}%"
    q = abs(Decimal(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q}%"


_DIGITS = "零一二三四五六七八九"
_PLACES = ("千", "百", "十", "")
_GROUPS = ("", "万", "亿", "万亿")  # each a power of 10 000


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 101 → 一百零一, 1000 → 一千, 10010 → 一万零一十:
    any count below 10^16, so every list a schema allows can be numbered."""
    if n <= 0 or n >= 10_000 ** len(_GROUPS):
        raise ValueError(f"no Chinese numeral for {n}")
    groups = []  # four digits each, lowest first
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    out = ""
    zero = False  # a gap of zeros since the last digit written
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero = bool(out)
            continue
        if out and (zero or group < 1000):
            out += "零"
        out += _group(group) + _GROUPS[index]
        zero = False
    return out[1:] if out.startswith("一十") else out  # 十, 十五, 十万: not 一十


def _group(group: int) -> str:
    """1 … 9999 in words, with 零 for a gap inside (一千零五)."""
    out, zero = "", False
    for place, digit in zip(_PLACES, f"{group:04d}", strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[int(digit)] + place
    return out


def section_number(n: int) -> str:
    """一、"""
    return f"{chinese_numeral(n)}、"


def item_number(n: int) -> str:
    """（一）"""
    return f"（{chinese_numeral(n)}）"
