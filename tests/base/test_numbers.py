"""Number formatting as it appears in the published disclosure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compiler.numbers import (
    chinese_numeral,
    item_number,
    money,
    percent,
    plain_number,
    section_number,
)

NUMERALS = {
    1: "一",
    2: "二",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
    11: "十一",
    12: "十二",
    13: "十三",
    14: "十四",
    15: "十五",
    16: "十六",
    17: "十七",
    18: "十八",
    19: "十九",
    20: "二十",
    21: "二十一",
    100: "一百",
}


@pytest.mark.parametrize(("n", "expected"), sorted(NUMERALS.items()))
def test_chinese_numeral(n, expected):
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(101, "一百零一"), (110, "一百一十"), (999, "九百九十九")]
)
def test_chinese_numeral_above_one_hundred(n, expected):
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (10000, "一万"),
        (10010, "一万零一十"),
        (100000, "十万"),
        (150000, "十五万"),
        (100010000, "一亿零一万"),
        (123456789, "一亿二千三百四十五万六千七百八十九"),
    ],
)
def test_chinese_numeral_for_any_count_a_list_can_have(n, expected):
    """1,000 duties validate, so the thousandth needs its numeral (it was an internal error)."""
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1, 10**16])
def test_chinese_numeral_out_of_range_is_an_error(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize(("n", "expected"), [(1, "（一）"), (10, "（十）"), (21, "（二十一）")])
def test_item_number(n, expected):
    assert item_number(n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "一、"), (9, "九、"), (11, "十一、")])
def test_section_number(n, expected):
    assert section_number(n) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0.00"),
        ("448.2", "448.20"),
        ("9569.88", "9569.88"),
        ("425.00", "425.00"),
        ("121.7", "121.70"),
        ("7", "7.00"),
        ("1E+2", "100.00"),
        ("1.5E+3", "1500.00"),
        ("-1882.92", "-1882.92"),
        ("0.005", "0.01"),  # half up, not banker's rounding
        ("2.675", "2.68"),  # exact decimal: no binary-float surprise
        ("2.665", "2.67"),
    ],
)
def test_money(value, expected):
    assert money(Decimal(value)) == expected


def test_money_never_uses_exponent_form():
    for value in ("1E+2", "1E+6", "0E-10", "5E-3"):
        text = money(Decimal(value))
        assert "E" not in text.upper(), text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.4", "3.4"), ("98", "98"), ("1E+3", "1000"), ("0.70", "0.70"), ("33", "33")],
)
def test_plain_number_as_written_without_exponent(value, expected):
    assert plain_number(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (Decimal("-16.44069572506286672254819782"), "-16.4%"),
        (Decimal("12.08096022339803286819030882"), "+12.1%"),
        (Decimal("-30.10682140767652137525943357"), "-30.1%"),
        (Decimal("0.05"), "+0.1%"),
        (Decimal("100"), "+100.0%"),
        (Decimal("1E+2"), "+100.0%"),
    ],
)
def test_percent(value, expected):
    assert percent(value) == expected
