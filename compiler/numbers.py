"""Money and numbering: exact decimals for amounts, Chinese numerals for section numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money_value(value: Decimal) -> Decimal:
    """An amount rounded to the fen, half up: the one rounding rule, applied for display."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


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


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 100 → 一百 (enough for section and item numbers)."""
    if n <= 0 or n >= 1000:
        raise ValueError(f"no Chinese section numeral for {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def section_number(n: int) -> str:
    """一、"""
    return f"{chinese_numeral(n)}、"


def item_number(n: int) -> str:
    """（一）"""
    return f"（{chinese_numeral(n)}）"
