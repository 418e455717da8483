"""Find quantities in raw text: value, range, unit or counted noun, and the change modifier.

One compiled regex finds every number (digits, fractions, number words); each hit is then read
outwards with small anchored regexes: scale word, range, unit, age/rate suffix, counted noun to
the right; currency symbol, sign and modifier to the left. Dates, times, years, identifiers and
phone numbers are dropped. Spans are `str` offsets, sorted and non-overlapping.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from pipeline.claims.model import Quantity
from pipeline.claims.quantity_hits import number_hits
from pipeline.claims.quantity_lexicon import (
    context,
    modifiers,
    number_words,
    post_units,
    pre_currencies,
)
from pipeline.claims.quantity_nouns import counted_noun
from pipeline.claims.quantity_numbers import (
    DIGITS,
    FRACTION_CHARS,
    PLURAL_WORDS,
    WORD_FIRST_CHARS,
    WORDS,
    parse_digits,
    parse_words,
)

# Every hit starts with a digit, a fraction or, at a word start, a number word's first letter:
# checking that first spares the alternations at every other position. The word start comes
# before the letter test (a word boundary is cheaper than a case-insensitive class), and the
# digit and word branches are tested apart, so a letter never enters the digit branch.
_MASTER: Final = re.compile(
    rf"(?=[\d{FRACTION_CHARS}])(?P<num>{DIGITS})"
    rf"|\b(?=[{WORD_FIRST_CHARS}])(?:(?P<words>{WORDS})|(?P<plural>{PLURAL_WORDS}))"
)
_NUM_ONLY: Final = re.compile(rf"(?:{DIGITS})|(?:{WORDS})")
_SCALE: Final = re.compile(
    r"(?i:\s*(?:-\s*)?(million|billion|trillion|thousand|bn|mn|mln|lakhs?|crores?)\b)"
)
_SCALE_ABBR: Final = re.compile(r"([mMkKbB])(?![^\W_])")
_ABBR_CHARS: Final = ("m", "M", "k", "K", "b", "B")
_SCALES: Final = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5,
    "crore": 1e7, "crores": 1e7,
}  # fmt: skip
_RANGE: Final = re.compile(r"\s*(?:(-|–|—)|\s(to|and)\s)\s*(?:[$€£]\s*)?")
_BETWEEN: Final = re.compile(r"(?i:\b(between|from)\s+)\Z")
_TIME_AFTER: Final = re.compile(r"(?i::\d|\s*(?:[ap]\.?m\b\.?|o'clock\b|gmt\b|utc\b|h\d\d))")
_CHUNK_AFTER: Final = re.compile(r"[./]\d|-\d+-\d|\d")
_CHUNK: Final = re.compile(r"[\w./:-]*")
_AGE: Final = re.compile(r"(?i:\s*-?\s*old\b|\s+of\s+age\b)")
_PER: Final = re.compile(r"(?i:\s*(?:-\s*)?(?:(per|/)|(an?|each))\s*(?:-\s*)?)")
_OF: Final = re.compile(r"(?i:\s+of\s+)")
_WORD_BEFORE: Final = re.compile(r"([A-Za-z][A-Za-z.']*)\s*\Z")
_AGE_BEFORE: Final = re.compile(r"(?i:\bage[sd]?\s+)\Z")
_DURATION_BEFORE: Final = re.compile(r"(?i:\b(past|last|next|previous|coming|first|final)\s+)\Z")
_WORD_AFTER: Final = re.compile(r"\s*([A-Za-z]+\.?)")
_DECIMAL_CURRENCIES: Final = ("dollar", "canadian dollar", "chinese yuan")
_PHONE: Final = re.compile(r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)|\d{3}-\d{4}(?!\d)")
_GLUED_AFTER: Final = re.compile(r"[^\W_]|-\d")
_HYPHEN: Final = re.compile(r"\s*-\s*")
_CENTS: Final = re.compile(rf"(?i:\s*(?:and\s+)?({DIGITS}|{WORDS})(\s*cents?)?)")
_SPACE_RUN: Final = re.compile(r"\s+")


# What the anchored patterns above can start with, tested on the character first: most numbers
# are followed by " ", "%", "," or ".", where most of the patterns cannot match, and a pattern
# call costs more than the test. Each test is a necessary condition (`\s` is `str.isspace`,
# `\d` `str.isdecimal`, `[^\W_]` `str.isalnum`); a case-insensitive letter is a letter, and
# any non-ASCII character goes on to the pattern.
def _at(text: str, i: int) -> str:
    """The character at i, or "" at the end (where every pattern below needs one)."""
    return text[i] if i < len(text) else ""


# Most numbers are followed by a space and a word ("100 people"): the first character after the
# white space (and a hyphen) that the patterns open with is tested, not only the one after the
# number. Each test is a necessary condition (tested on every position of real news).
def _solid(text: str, i: int) -> int:
    """Where the white space at i ends (`\\s*`'s end; `\\s` is `str.isspace`)."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _word_after_dash(text: str, i: int) -> str:
    """The character a word has to start with after `\\s*(?:-\\s*)?` at i ("" at the end)."""
    k = _solid(text, i)
    if k < len(text) and text[k] == "-":
        k = _solid(text, k + 1)
    return _at(text, k)


def _may_scale_at(text: str, i: int) -> bool:
    """`_SCALE` (million, billion, trillion, thousand, bn, mn, mln, lakh, crore) at i."""
    c = _word_after_dash(text, i)
    return c != "" and (c in "mbtlcMBTLC" or not c.isascii())


def _may_per_at(text: str, i: int) -> bool:
    """`_PER` ("per", "/", "a", "an", "each") at i."""
    c = _word_after_dash(text, i)
    return c != "" and (c in "pae/PAE" or not c.isascii())


def _may_time_at(text: str, i: int) -> bool:
    """`_TIME_AFTER` (":30", "pm", "a.m.", "o'clock", "GMT", "UTC", "h30") at i."""
    if _at(text, i) == ":":
        return True
    c = _at(text, _solid(text, i))
    return c != "" and (c in "apoguhAPOGUH" or not c.isascii())


def _may_chunk_at(text: str, i: int) -> bool:
    """`_CHUNK_AFTER` (".5", "/2", "-3-4", a digit) at i (`str.isdigit` holds for every `\\d`)."""
    c = _at(text, i)
    return c != "" and (c in "./-" or c.isdigit())


def _may_range_at(text: str, i: int) -> bool:
    """`_RANGE` (a dash, or " to " / " and " after white space: case-sensitive) at i."""
    k = _solid(text, i)
    c = _at(text, k)
    return c != "" and (c in "-\u2013\u2014" or (k > i and c in "ta"))


def _may_hyphen_at(text: str, i: int) -> bool:
    """`_HYPHEN` (a hyphen after white space) at i."""
    return _at(text, _solid(text, i)) == "-"


@dataclass(slots=True, init=False)
class _Reading:
    """A number being read outwards from its core."""

    start: int
    end: int
    low: float
    high: float
    unit: str | None = None
    normalized: str | None = None
    kind: str | None = None  # lexicon kind of the unit; "noun" for a counted noun
    change: str = "="
    plain_year: bool = False  # 4 digits, no separators: a year unless a unit follows

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(
        self,
        start: int,
        end: int,
        low: float,
        high: float,
        unit: str | None = None,
        normalized: str | None = None,
        kind: str | None = None,
        change: str = "=",
        plain_year: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.low = low
        self.high = high
        self.unit = unit
        self.normalized = normalized
        self.kind = kind
        self.change = change
        self.plain_year = plain_year


def _format(v: float) -> str:
    if math.isfinite(v) and v == int(v) and abs(v) < 1e18:
        return str(int(v))
    return f"{v:.10g}"


def _clean(v: float) -> float:
    """Drop float noise from scaling: 16.4 * 1e6 -> 16400000.0, not 16399999.999999998."""
    if v.is_integer() and -1e12 < v < 1e12:
        return v  # whole numbers of up to 12 digits print and read back unchanged
    return float(f"{v:.12g}")


def _end_of_word_before(text: str, lo: int, hi: int) -> int:
    """Where the white space that ends text[lo:hi] begins (lo when it is all white space)."""
    k = hi
    while k > lo and text[k - 1].isspace():
        k -= 1
    return k


def _currency_before(text: str, lo: int, hi: int) -> re.Match[str] | None:
    """`pre_currencies().regex.search(text, lo, hi)`: a currency ending right before hi (then
    white space), searched for only when the two characters before that white space can end
    one; most numbers follow "the", "about", "is", "to" ... (each start is tried: ~1 us)."""
    table = pre_currencies()
    k = _end_of_word_before(text, lo, hi)
    if k == lo:
        return None  # a currency needs a character
    last = text[k - 1]
    before = text[k - 2] if k - 2 >= lo else ""
    if (
        before
        and last.isascii()
        and before.isascii()
        and last.lower() not in table.last_chars
        and (before + last).lower() not in table.last_pairs
    ):
        return None
    regex = table.regex
    assert isinstance(regex, re.Pattern)
    return regex.search(text, lo, hi)


# how the words `_AGE_BEFORE` ("age", "ages", "aged") and `_DURATION_BEFORE` ("past", "next",
# "previous", "coming", "final" ...) end: their last two letters, lower case
_AGE_ENDS: Final = frozenset({"ge", "es", "ed"})
_DURATION_ENDS: Final = frozenset({"st", "xt", "us", "ng", "al"})


def _may_end_in(text: str, lo: int, hi: int, ends: frozenset[str]) -> bool:
    """Whether the word before the white space that ends text[lo:hi] can be one ending in
    `ends` (words of two letters or more; a character that is not ASCII may fold to one)."""
    k = _end_of_word_before(text, lo, hi)
    if k - 2 < lo:
        return False
    pair = text[k - 2 : k]
    return not pair.isascii() or pair.lower() in ends


_WORD_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.'")


def _word_before(text: str, lo: int, hi: int) -> str | None:
    """Group 1 of `_WORD_BEFORE.search(text, lo, hi)`, read backwards from hi: the run of ASCII
    letters, dots and apostrophes that ends where the white space before hi begins, from its
    first letter at or after lo (the search's leftmost match). No pattern tried at each start."""
    k = _end_of_word_before(text, lo, hi)
    i = k
    while i > lo and text[i - 1] in _WORD_CHARS:
        i -= 1
    while i < k and text[i] in ".'":
        i += 1
    return text[i:k] if i < k else None


def _skip_chunk(text: str, pos: int) -> int:
    """End of the identifier/date/time token starting at pos, so its digits are all dropped."""
    m = _CHUNK.match(text, pos)
    return m.end() if m else pos


def _read_core(text: str, m: re.Match[str]) -> tuple[float, int, bool, bool] | None:
    """(value, end, is_plain_year, needs_unit) of the number at m, or None to drop it."""
    if m.lastgroup == "num":
        raw = m.group()
        value = parse_digits(raw)
        plain = raw.isdigit() and len(raw) == 4 and 1000 <= value <= 2100
        if raw.isdigit() and len(raw) > 12:
            return None  # tweet, account and phone ids, not amounts
        return value, m.end(), plain, False
    if m.lastgroup == "plural":
        return number_words()[m.group().lower()][0], m.end(), False, True
    parsed = parse_words(m.group())
    if parsed is None:
        return None
    value, length, only_fraction = parsed
    word = m.group()[:length].strip().lower()
    return value, m.start() + length, False, only_fraction or word == "one"


def _left_ok(text: str, s: int, glued_currency: bool) -> bool:
    """Reject numbers glued to identifiers ("SCP-173", "COVID-19", "A4", "#3")."""
    if s == 0:
        return True
    c = text[s - 1]
    if c.isalpha():
        return glued_currency
    if c.isdigit() or c in "#_":
        return False
    if c == "." and s >= 2 and text[s - 2].isdigit():
        return False
    return not (c in "-/" and s >= 2 and text[s - 2].isalnum())


def _is_date(text: str, s: int, e: int, value: float) -> bool:
    """Day of month next to a month name ("February 24", "May 8, 1945", "1 may")."""
    if not (value == int(value) and 1 <= value <= 31):
        return False
    months = context()["months"]
    before = _word_before(text, max(0, s - 12), s)
    if before is not None and before.lower().rstrip(".") in months:
        return True
    after = _WORD_AFTER.match(text, e)
    return bool(after and after.group(1).lower().rstrip(".") in months)


def _range(text: str, r: _Reading, has_scale: bool) -> None:
    """Extend r over "40-50", "eight to 10", "between 5 and 10", "from 3 to 4 million"."""
    m = _RANGE.match(text, r.end) if _may_range_at(text, r.end) else None
    if not m:
        return
    joiner = m.group(2)
    if joiner == "and" and not _BETWEEN.search(text, max(0, r.start - 10), r.start):
        return
    n = _NUM_ONLY.match(text, m.end())
    if not n:
        return
    raw = n.group()
    if raw[0].isdigit():
        hi = parse_digits(raw)
        n_end = n.end()
    else:
        parsed = parse_words(raw)
        if parsed is None or parsed[2]:
            return
        hi, length, _ = parsed
        n_end = n.start() + length
    if n_end < len(text) and text[n_end].isdigit():
        return
    low = r.low
    scale = _SCALE.match(text, n_end) if _may_scale_at(text, n_end) else None
    if scale:
        mult = _SCALES[scale.group(1).lower()]
        hi *= mult
        n_end = scale.end()
        if not has_scale:
            low *= mult
    if not low < hi:
        return  # not a range ("rose 32,000 to 1.41 million"): leave the reading untouched
    r.low = low
    r.high = hi
    r.end = n_end


def _unit_after(text: str, r: _Reading, currency: str | None) -> None:
    """Attach a unit or currency written after the number, with "old"/"per" suffixes."""
    m = post_units().regex.match(text, r.end, min(len(text), r.end + 40))
    if not m:
        hm = _HYPHEN.match(text, r.end) if _may_hyphen_at(text, r.end) else None
        if hm and hm.end() > r.end:
            m = post_units().regex.match(text, hm.end(), min(len(text), hm.end() + 40))
    if m:
        entry = post_units().lookup(m.group().strip())
        if entry is not None and entry.kind != "per":
            if currency is not None and (
                entry.kind != "currency"
                or entry.normalized != currency
                or not m.group().strip()[-1].isalpha()
            ):
                entry = None  # "$ 10 dollars" is one amount; "$ 10 $ 20" is two
            elif (
                entry.kind == "currency"
                and text[m.end() - 1 : m.end()].isalpha()
                and (
                    text[r.end : r.end + 1].isalpha()
                    and not text[r.end].isupper()
                    and not entry.scale > 1
                )
            ):
                entry = None  # "24703abc": letters glued on a number are no currency
        if entry is not None and entry.kind != "per":
            r.unit = m.group().strip()
            r.normalized = entry.normalized
            r.kind = entry.kind
            r.low *= entry.scale
            r.high *= entry.scale
            r.end = m.end()
            if entry.kind == "currency":
                _scale_after(text, r)
            _suffixes(text, r)
            return
    if currency is not None:
        r.normalized = currency
        r.kind = "currency"
        _suffixes(text, r)


def _scale_after(text: str, r: _Reading) -> None:
    """ "75 USD million": a scale word after the currency still scales the amount."""
    scale = _SCALE.match(text, r.end) if _may_scale_at(text, r.end) else None
    if scale:
        mult = _SCALES[scale.group(1).lower()]
        r.low *= mult
        r.high *= mult
        r.end = scale.end()


def _suffixes(text: str, r: _Reading) -> None:
    """ "five years old" -> year of age; "$2 a share" -> dollar per share."""
    if r.kind in ("time",):
        age = _AGE.match(text, r.end)
        if age:
            r.normalized = f"{r.normalized} of age"
            r.kind = "age"
            r.end = age.end()
            return
    if r.kind not in ("unit", "currency", "percent", "time"):
        return
    per = _PER.match(text, r.end) if _may_per_at(text, r.end) else None
    if not per:
        return
    um = post_units().regex.match(text, per.end(), min(len(text), per.end() + 30))
    if not um:
        return
    surface = um.group()
    entry = post_units().lookup(surface)
    if entry is None or entry.kind == "currency":
        return
    if per.group(2) and not (surface.isalpha() and len(surface) >= 3):
        return
    r.normalized = f"{r.normalized} per {entry.normalized}"
    r.end = um.end()


def _cents(text: str, r: _Reading) -> None:
    """ "3 dollars 50 cents", "15 dollars and 15." -> one amount with the cents added."""
    if r.low != r.high or r.low != int(r.low) or r.normalized not in _DECIMAL_CURRENCIES:
        return
    m = _CENTS.match(text, r.end)
    if not m or not m.group(1):
        return
    raw = m.group(1)
    if raw[0].isdigit():
        if not raw.isdigit() or len(raw) > 2:
            return
        cents = float(raw)
        end = m.end()
    else:
        parsed = parse_words(raw)
        if parsed is None or parsed[2] or parsed[0] >= 100:
            return
        cents = parsed[0]
        end = m.start(1) + parsed[1] if not m.group(2) else m.end()
    if not m.group(2):
        nxt = _WORD_AFTER.match(text, end)
        if nxt and nxt.group(1).lower().rstrip(".") not in context()["stop"]:
            return
        if post_units().regex.match(text, end, min(len(text), end + 20)) and not nxt:
            return
    r.low = r.high = r.low + cents / 100
    r.end = end


def _left(text: str, r: _Reading, floor: int) -> None:
    """Sign, "past"/"age" prefixes and change modifiers written before the number."""
    s = r.start
    if s - 1 >= floor and text[s - 1] in "-−" and (s < 2 or not text[s - 2].isalnum()):
        if r.kind != "age":
            r.low, r.high = -r.high, -r.low
            s -= 1
    elif (
        s - 2 >= floor
        and text[s - 2] in "-−"
        and text[s - 1] == " "
        and r.normalized in ("celsius", "fahrenheit", "kelvin")
        and (s < 3 or not text[s - 3].isalnum())
    ):
        r.low, r.high = -r.high, -r.low
        s -= 2
    window = max(floor, s - 30)
    spaced = s > window and text[s - 1].isspace()  # each pattern below ends in white space
    if (
        spaced
        and r.normalized is None
        and _may_end_in(text, window, s, _AGE_ENDS)
        and _AGE_BEFORE.search(text, window, s)
    ):
        r.normalized, r.kind = "year of age", "age"
    if spaced and r.kind == "time":
        d = (
            _DURATION_BEFORE.search(text, window, s)
            if _may_end_in(text, window, s, _DURATION_ENDS)
            else None
        )
        if d:
            s = d.start()
            window = max(floor, s - 30)
    table = modifiers()
    mod = table.before(text, window, s)
    if mod:
        key = _SPACE_RUN.sub(" ", mod.group(1).lower())
        info = table.table.get(key)
        if info is not None:
            r.change = info.change
            if info.in_span:
                s = mod.start(1)
    r.start = s


def _read(text: str, m: re.Match[str], floor: int) -> tuple[Quantity | None, int]:
    """Read one number hit outwards. Returns the quantity (or None) and where to resume."""
    s = m.start()
    core = _read_core(text, m)
    if core is None:
        return None, _skip_chunk(text, m.end())
    value, e, plain_year, needs_unit = core
    is_digits = m.lastgroup == "num"
    pre = _currency_before(text, max(floor, s - 12), s) if is_digits else None
    pre_entry = pre_currencies().lookup(pre.group().strip()) if pre else None
    if is_digits:
        if not _left_ok(text, s, glued_currency=pre_entry is not None):
            return None, _skip_chunk(text, e)
        phone_at = s - 1 if s and text[s - 1] == "(" else s
        # a phone number has ")", " ", "." or "-" after its first three digits
        # and a digit one or two characters after that
        if (
            _at(text, s + 3) in (")", " ", ".", "-")
            and (_at(text, s + 4).isdigit() or _at(text, s + 5).isdigit())
            and _PHONE.match(text, phone_at)
        ):
            return None, _skip_chunk(text, e)
        if (_may_time_at(text, e) and _TIME_AFTER.match(text, e)) or (
            _may_chunk_at(text, e) and _CHUNK_AFTER.match(text, e)
        ):
            return None, _skip_chunk(text, e)
    r = _Reading(s, e, value, value, plain_year=plain_year)
    has_scale = False
    if pre_entry is not None and pre_entry.scale > 1:
        r.low *= pre_entry.scale
        r.high *= pre_entry.scale
        has_scale = True
    scale = _SCALE.match(text, r.end) if is_digits and _may_scale_at(text, r.end) else None
    if scale:
        mult = _SCALES[scale.group(1).lower()]
        r.low *= mult
        r.high *= mult
        r.end = scale.end()
        has_scale = True
        r.plain_year = False
    elif is_digits:
        abbr = _SCALE_ABBR.match(text, r.end) if _at(text, r.end) in _ABBR_CHARS else None
        if abbr:
            follows = post_units().regex.match(text, abbr.end(), min(len(text), abbr.end() + 20))
            follow_entry = post_units().lookup(follows.group().strip()) if follows else None
            currency_follows = follow_entry is not None and follow_entry.kind == "currency"
            if pre_entry is not None or (currency_follows and abbr.group(1).isupper()):
                mult = _SCALES[abbr.group(1).lower()]
                r.low *= mult
                r.high *= mult
                r.end = abbr.end()
                has_scale = True
                r.plain_year = False
    if not needs_unit:
        _range(text, r, has_scale)
    if r.high != r.low:
        r.plain_year = False
        if value == int(value) and 1000 <= value <= 2100 and r.high < 2101:
            return None, r.end  # "2014-2015", "2012-13" style spans are years
    currency = pre_entry.normalized if pre_entry is not None else None
    _unit_after(text, r, currency)
    glued = _at(text, r.end)
    if is_digits and (glued.isalnum() or glued == "-") and _GLUED_AFTER.match(text, r.end):
        return None, _skip_chunk(text, r.end)
    if r.normalized == "pound-mass" and has_scale:
        r.normalized, r.kind = "pound sterling", "currency"
    if r.kind == "currency":
        _cents(text, r)
    if pre is not None and pre_entry is not None:
        r.unit = r.unit or pre.group().strip()
        r.start = pre.start()
    if r.plain_year and r.kind is None:
        return None, e  # a year, whatever noun follows (below, as "noun" it is dropped too)
    if r.normalized is None:
        noun = counted_noun(text, r.end, plural=m.lastgroup == "plural", value=r.low)
        if noun is not None:
            r.unit, r.normalized, r.end = noun
            r.kind = "noun"
    if r.kind in (None, "noun"):
        if r.plain_year or (needs_unit and r.kind is None):
            return None, e
        if needs_unit and m.lastgroup != "plural" and value != 1:
            return None, e
        if is_digits and _is_date(text, s, e, value):
            return None, e
        if r.kind is None and is_digits:
            before = _word_before(text, max(floor, s - 14), s)
            if before is not None and before.lower() in context()["id_labels"]:
                return None, e
    _left(text, r, floor)
    r.low, r.high = _clean(r.low), _clean(r.high)
    q = Quantity(
        start=r.start,
        end=r.end,
        value=_format(r.low) if r.low == r.high else f"{_format(r.low)}-{_format(r.high)}",
        low=r.low,
        high=r.high,
        unit=r.unit,
        normalized_unit=r.normalized,
        change=r.change,
    )
    return q, r.end


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in text, sorted by start, non-overlapping; never raises on any str."""
    found: list[Quantity] = []
    floor = 0
    for m in number_hits(text, _MASTER):  # = _MASTER.finditer(text), faster
        if m.start() < floor:
            continue
        try:
            q, resume = _read(text, m, floor)
        except (ValueError, ZeroDivisionError, OverflowError, KeyError):
            q, resume = None, m.end()
        if q is not None and q.start >= floor and q.end > q.start:
            found.append(q)
        floor = max(floor, resume, q.end if q is not None else 0)
    return found
