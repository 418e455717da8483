"""The case-sensitive spelling of the number-word patterns matches what re.IGNORECASE would."""

from __future__ import annotations

import re
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.quantity_lexicon import cased, modifiers, pre_currencies
from pipeline.claims.quantity_numbers import FIRST_LETTERS, WORD_FIRST_CHARS
from pipeline.evaluate.documents import read_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _ignorecase_matches(letter: str) -> set[str]:
    """Every BMP character `(?i:letter)` matches, found by trying them all."""
    pattern = re.compile(f"(?i:{letter})")
    return {chr(i) for i in range(0x10000) if pattern.fullmatch(chr(i))}


def test_cased_class_matches_what_ignorecase_matches() -> None:
    for letter in string.ascii_letters:
        cls = re.compile(cased(letter))
        matched = {chr(i) for i in range(0x10000) if cls.fullmatch(chr(i))}
        assert matched == _ignorecase_matches(letter), letter


def test_cased_words_and_punctuation() -> None:
    pattern = re.compile(cased("twenty-one"))
    assert pattern.fullmatch("Twenty-ONE")
    assert pattern.fullmatch("twenty-one")
    assert not pattern.fullmatch("twenty one")
    assert re.compile(cased("six")).fullmatch("\u017fix")  # long s folds to s, as with (?i)


def test_word_first_chars_are_every_case_of_the_first_letters() -> None:
    expected = set().union(*(_ignorecase_matches(c) for c in FIRST_LETTERS))
    assert set(WORD_FIRST_CHARS) == expected


def test_every_modifier_is_found_before_a_number_in_any_case() -> None:
    table = modifiers()
    for key in table.table:
        for surface in (key, key.upper(), key.title(), key.replace("s", "\u017f")):
            text = f"fell ({surface}  "
            m = table.before(text, 0, len(text))
            assert m is not None and m.group(1) == surface, surface
            for lo in range(len(text)):  # windows that cut the modifier: as the plain search
                got, want = table.before(text, lo, len(text)), table.regex.search(text, lo)
                assert (got and got.span()) == (want and want.span()), (surface, lo)


def test_every_currency_before_a_number_is_found_in_its_cases() -> None:
    units = pre_currencies()
    for key in (*units.exact, *units.folded):
        variants = {key} if key in units.exact else {key, key.upper()}
        for surface in variants:
            m = units.regex.search(f"paid {surface} ")
            assert m is not None and m.start() == 5, surface


def test_modifier_guard_agrees_with_the_search_on_news() -> None:
    table = modifiers()
    checked = 0
    for path in POLNEAR_DOCS:
        text = read_document(path.parent, path.name)
        for m in re.finditer(r"\d+", text):
            for width in (30, 12):
                lo, hi = max(0, m.start() - width), m.start()
                got, want = table.before(text, lo, hi), table.regex.search(text, lo, hi)
                assert (got and got.span()) == (want and want.span()), text[lo:hi]
                checked += want is not None
    assert checked > 50


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["more", "than", "MORE THAN", "up", "to", "by", "fell", "rose", "approx.", "c.",
             "ca.", "etc.", "as", "has", "of", "upwards", "(", ")", "_", "-", ".", " ", "  ",
             "\t", "\n", "x", "5", "\u017fome", "\u0130n", "about", "ABOUT", "some"]
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_modifier_guard_agrees_with_the_search(text: str) -> None:
    table = modifiers()
    for lo in range(0, len(text) + 1, 3):
        got, want = table.before(text, lo, len(text)), table.regex.search(text, lo)
        assert (got and got.span()) == (want and want.span())
