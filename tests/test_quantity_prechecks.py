"""The first-character tests `find_quantities` runs before its anchored patterns are necessary
conditions: wherever a test says no, the pattern it guards does not match, whatever follows;
the word and the currency before a number, read backwards, are what the searches find."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import quantities as q
from pipeline.claims import quantity_nouns as nouns
from pipeline.claims.quantity_lexicon import pre_currencies
from tests.corpus_sample import real_articles

# every character up to U+3000 (all scripts with case, the odd digits and spaces, and the
# characters re.IGNORECASE folds to ASCII letters) and some beyond
CHARS = [chr(i) for i in range(0x3000)] + ["\uff10", "\uff21", "\uff41", "\U0001d7ce", "\ufeff"]
# what can follow the first character of a match of one of the patterns
TAILS = [
    "", " ", "0", "5 ", "00-0", "0-0-0", "2", "m", "million", " million", "illion", "n",
    "pm", "m.", ".m", "'clock", "mt", "tc", "30", ":30", "old", "ld", " old", "of age",
    "er", "per", "/", " a ", "n ", "ach", "-5", " 5", "and 5", "o 5", " to 5", "nd 5",
    "f the", "of", " of the", "ears", "ndred", "-", " - ", "\u2013", "\u2014",
]  # fmt: skip

CHECKS: list[tuple[str, Callable[[str], bool], list[re.Pattern[str]]]] = [
    ("abbreviation", lambda c: c in q._ABBR_CHARS, [q._SCALE_ABBR]),
    ("glued", lambda c: c.isalnum() or c == "-", [q._GLUED_AFTER]),
    ("blank", lambda c: c in nouns._BLANKS, [nouns._WORD]),
]


@pytest.mark.parametrize(("name", "check", "patterns"), CHECKS, ids=[c[0] for c in CHECKS])
def test_no_match_where_the_first_character_test_says_no(
    name: str, check: Callable[[str], bool], patterns: list[re.Pattern[str]]
) -> None:
    rejected = [c for c in CHARS if not check(c)]
    assert len(rejected) > 30  # the test spares the pattern somewhere
    for c in rejected:
        for tail in TAILS:
            for pattern in patterns:
                assert pattern.match(c + tail) is None, (name, c, tail)
    assert not check(""), name  # the end of the text: every pattern needs a character


def test_phone_needs_a_separator_after_three_digits() -> None:
    """`_read` tries `_PHONE` (at the number, or at the "(" before it) only when the fourth
    character from the number's start is ")", " ", "." or "-"."""
    for c in CHARS:
        if c in ")-. ":
            continue
        for text in (f"555{c}555-1234", f"(555{c} 555-1234", f"555{c}-1234", f"555{c}"):
            at = 1 if text.startswith("(") else 0
            assert q._PHONE.match(text, max(0, at - 1)) is None, (c, text)
    assert q._PHONE.match("(555) 555-1234") and q._PHONE.match("555-1234")


def _windows(text: str, width: int) -> list[tuple[int, int]]:
    return [(max(0, hi - width), hi) for hi in range(len(text) + 1)]


WINDOW_PIECES = [
    "US$", "us $", "u.s. $", "USD", "usd", "dollars", "Dollar", "euro", "EUROS", "€", "£", "c $",
    "dollares", "Euroes",
    "Rs", "rs.", "\u212a", "\u017f", "\u0130", "ı", "No.", "no", "about", "the", "May", "may.",
    "O'Neil", "'", ".", " ", "  ", "\n", "\xa0", "\u2003", "5", "-", "(", "#", "_", "é", "a",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(WINDOW_PIECES), max_size=8).map("".join))
def test_words_and_currencies_before_a_number_as_the_searches_find_them(text: str) -> None:
    for width in (12, 14):
        for lo, hi in _windows(text, width):
            want = q._WORD_BEFORE.search(text, lo, hi)
            assert q._word_before(text, lo, hi) == (want and want.group(1)), (text, lo, hi)
            got = q._currency_before(text, lo, hi)
            want = pre_currencies().regex.search(text, lo, hi)  # type: ignore[union-attr]
            assert (got and got.span()) == (want and want.span()), (text, lo, hi)


def test_words_and_currencies_before_every_number_of_real_articles() -> None:
    checked = 0
    for row in real_articles(40):
        text = row["text"]
        for m in re.finditer(r"\d+", text):
            for width in (12, 14):
                lo, hi = max(0, m.start() - width), m.start()
                want = q._WORD_BEFORE.search(text, lo, hi)
                assert q._word_before(text, lo, hi) == (want and want.group(1))
                got = q._currency_before(text, lo, hi)
                want = pre_currencies().regex.search(text, lo, hi)  # type: ignore[union-attr]
                assert (got and got.span()) == (want and want.span())
                checked += 1
    assert checked > 500


AGE_PIECES = [
    "age", "Ages", "AGED", "aged", "past", "Last", "next", "PREVIOUS", "coming", "first", "final",
    "\u017f", "\u0130", "\u212a", "g", "e", "s", "t", "x", "u", "n", "a", "l", "d", "-", ".",
    " ", "  ", "\n", "\xa0", "5",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(AGE_PIECES), max_size=6).map("".join))
def test_age_and_duration_words_only_where_their_endings_are(text: str) -> None:
    for lo, hi in _windows(text, 30):
        for pattern, ends in ((q._AGE_BEFORE, q._AGE_ENDS), (q._DURATION_BEFORE, q._DURATION_ENDS)):
            if pattern.search(text, lo, hi):
                assert q._may_end_in(text, lo, hi, ends), (text, lo, hi)
