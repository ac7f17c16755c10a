"""Tests of the Chinese / Arabic numeral converter."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.numerals import cn_to_int, int_to_cn, parse_number

INTEGERS = [
    ("一", 1),
    ("九", 9),
    ("十", 10),
    ("十六", 16),
    ("二十", 20),
    ("七十一", 71),
    ("九十九", 99),
    ("一百", 100),
    ("一百零八", 108),
    ("一百一十", 110),
    ("三百五", 350),
    ("一千二百三十四", 1234),
    ("两千零五", 2005),
    ("两", 2),
    ("两万", 20_000),
    ("一万五", 15_000),
    ("十万", 100_000),
    ("三十万零六", 300_006),
    ("一亿二千万", 120_000_000),
    ("千", 1000),
    ("万", 10_000),
    ("千亿", 100_000_000_000),
    ("〇", 0),
    ("零", 0),
    ("二〇一八", 2018),
    ("二○一七", 2017),
    ("一九九九", 1999),
    ("2018", 2018),
    ("007", 7),
    ("1万", 10_000),
    ("3千", 3000),
    ("1万3千", 13_000),
    ("13,340", 13_340),
    (" 十二 ", 12),
    ("壹佰", 100),
]

NOT_NUMBERS = ["", "   ", "abc", "十十", "百千", "第三", "三五个", "万万", "两〇一八", "1.5"]


@pytest.mark.parametrize(("text", "value"), INTEGERS)
def test_reads_chinese_and_arabic_integers(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_text_that_is_no_integer_gives_none(text):
    assert cn_to_int(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13340", 13340.0),
        ("1.5", 1.5),
        ("千", 1000.0),
        ("两", 2.0),
        ("1.5万", 15_000.0),
        ("百分之八十", 80.0),
        ("三点五", 3.5),
        ("六", 6.0),
        ("0.3", 0.3),
    ],
)
def test_parse_number_reads_decimals_and_bare_units(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "亩", "1.2.3", "三点", "²"])
def test_parse_number_gives_none_for_non_numbers(text):
    assert parse_number(text) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_digits_round_trip(n):
    assert cn_to_int(str(n)) == n
    assert parse_number(str(n)) == float(n)


@given(st.text(max_size=12))
def test_never_raises_on_arbitrary_text(text):
    cn_to_int(text)
    parse_number(text)


def test_a_count_written_in_chinese_reads_back_as_itself():
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 99, 120)] == [
        "一",
        "十",
        "十一",
        "二十",
        "九十九",
        "一二〇",
    ]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 100))
