"""Chinese and Arabic numerals to numbers: 十六 -> 16, 二〇一八 -> 2018, 1万 -> 10000, 千 -> 1000.

Plain Python, no dependency. Two forms are read:

- positional digits: 二〇一八, 2018, 一九九九 (every character a digit);
- counted numbers with units: 七十一, 两千零五, 1万3千, 一百零八, 十六.

Anything else (empty text, stray characters, units in an impossible order) gives None.
"""

from __future__ import annotations

import re

DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": None,  # never a digit: guard against Latin O read as zero
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
DIGITS = {k: v for k, v in DIGITS.items() if v is not None}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

# Characters a numeral may be made of; callers use it to build their own patterns.
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_MAX_LEN = 40  # longer runs are no numerals a text means (and int() refuses huge ones)
_ARABIC = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)


def cn_to_int(s: str) -> int | None:
    """Return the integer a Chinese or Arabic numeral stands for, or None when it is not one."""
    if not s:
        return None
    s = s.strip().replace(",", "")
    if not s or len(s) > _MAX_LEN:
        return None
    if _ARABIC.fullmatch(s):
        return int(s)
    value = _parse(s)
    if value is None or value != int(value):
        return None
    return int(value)


def int_to_cn(n: int) -> str:
    """Write a count as Chinese minutes number their points: 一 … 十, 十一, 二十, 九十九; larger ones digit by digit."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return "".join(digits[int(c)] for c in str(n))


def parse_number(s: str) -> float | None:
    """Return the value of a number as written (13340, 1.5, 千, 两, 1.5万, 百分之八十), or None."""
    if not s:
        return None
    s = s.strip().replace(",", "")
    if not s or len(s) > _MAX_LEN:
        return None
    if s.startswith("百分之"):
        return parse_number(s[3:])
    if _DECIMAL.fullmatch(s):
        return float(s)
    if "点" in s:  # 三点五 -> 3.5
        whole, _, frac = s.partition("点")
        w = _parse(whole) if whole else 0
        if w is None or not frac or any(c not in DIGITS for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(DIGITS[c]) for c in frac)}")
    value = _parse(s)
    return None if value is None else float(value)


def _parse(s: str) -> float | None:
    """Read a counted or positional numeral; None when malformed."""
    if all(c in DIGITS for c in s):
        if len(s) == 1:
            return DIGITS[s]
        if "两" in s:
            return None
        return int("".join(str(DIGITS[c]) for c in s))
    tokens = _TOKEN.findall(s)
    total = 0.0  # everything before the last 亿
    section = 0.0  # the 万 part after the last 亿
    group = 0.0  # below 万
    digit: float | None = None  # a digit (or Arabic number) not yet multiplied by a unit
    last_small = 10_000  # units descend inside a group: 千 > 百 > 十
    seen_wan = False
    prev_unit = 0  # the unit just before a trailing digit, 0 after a 零
    for i, tok in enumerate(tokens):
        if tok in DIGITS and DIGITS[tok] == 0:
            if digit is not None:
                return None  # 五零 inside a counted number
            prev_unit = 0
            continue
        if tok in DIGITS or tok[0] in "0123456789":
            if digit is not None:
                return None  # 三五: two digits in a row inside a counted number
            digit = DIGITS[tok] if tok in DIGITS else float(tok)
            continue
        if tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            if unit >= last_small:
                return None
            if digit is None:
                if unit != 10 and i != 0:
                    return None
                digit = 1  # 十六; a leading 千 as in 千亿
            group += digit * unit
            digit, last_small, prev_unit = None, unit, unit
            continue
        if tok in BIG_UNITS:
            unit = BIG_UNITS[tok]
            part = group + (digit or 0)
            if part == 0 and i == 0:
                part = 1  # 万 or 亿 alone
            if unit == 10_000:
                if part == 0 or seen_wan:
                    return None
                section, seen_wan = part * unit, True
            else:
                base = section + part
                if base == 0:
                    return None
                total, section, seen_wan = (total + base) * unit, 0.0, False
            group, digit, last_small, prev_unit = 0.0, None, 10_000, unit
            continue
        return None
    if digit is not None and prev_unit >= 100 and tokens[-1] in DIGITS:
        digit *= prev_unit // 10  # spoken short form: 一万五 = 15000, 三百五 = 350
    return total + section + group + (digit or 0)
