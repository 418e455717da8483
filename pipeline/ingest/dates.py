"""Publication dates from the messy strings real corpora carry.

Only unambiguous shapes are read (ISO, day-month-name-year, month-name-day-year, compact
YYYYMMDD). Numeric slash dates like 09/10/2022 are refused: day-first or month-first
cannot be told apart, and a wrong date is worse than a missing one.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

_WEEKDAY_PREFIX = re.compile(r"^[A-Za-z]{3,9}\.?,?\s+")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[-\s.]+([A-Za-z]{3,9})\.?[-\s.,]+(\d{4})\b"
)
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")


@cache
def _months() -> dict[str, int]:
    """Month names and abbreviations (English), from the data file next to this module."""
    data: dict[str, int] = json.loads((Path(__file__).parent / "months.json").read_text("utf-8"))
    return data


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    return _months().get(name.lower())


def parse_date(value: str) -> date | None:
    """The calendar date at the start of `value`, or None if its shape is unknown or ambiguous."""
    text = value.strip()
    for candidate in (text, _WEEKDAY_PREFIX.sub("", text, count=1)):
        found = _parse_plain(candidate)
        if found is not None:
            return found
    return None


def _parse_plain(text: str) -> date | None:
    if m := _ISO.match(text) or _COMPACT.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if (m := _DAY_MONTH_YEAR.match(text)) and (month := _month(m[2])):
        return _make(int(m[3]), month, int(m[1]))
    if (m := _MONTH_DAY_YEAR.match(text)) and (month := _month(m[1])):
        return _make(int(m[3]), month, int(m[2]))
    return None


def coerce_date(value: object) -> date | None:
    """A date from a string, date or datetime (Parquet gives real temporal values); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None
