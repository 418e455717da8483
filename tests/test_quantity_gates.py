"""The tests `find_quantities` runs at a position before an anchored pattern are necessary
conditions: wherever a test says no, the pattern does not match there. Checked at every
position of real articles and of strings built from the pieces the patterns turn on."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import quantities as q
from pipeline.claims import quantity_nouns as nouns
from tests.corpus_sample import real_articles

GATES: list[tuple[str, Callable[[str, int], bool], re.Pattern[str]]] = [
    ("scale", q._may_scale_at, q._SCALE),
    ("per", q._may_per_at, q._PER),
    ("time", q._may_time_at, q._TIME_AFTER),
    ("chunk", q._may_chunk_at, q._CHUNK_AFTER),
    ("range", q._may_range_at, q._RANGE),
    ("hyphen", q._may_hyphen_at, q._HYPHEN),
    ("of", nouns._may_be_of, nouns._OF_DET),
]
IDS = [g[0] for g in GATES]

# what the patterns turn on, cased oddly, and characters re.IGNORECASE folds to ASCII letters
PIECES = [
    "million", "Billion", "TRILLION", "thousand", "bn", "Mn", "mln", "lakh", "lakhs", "crore",
    "per", "PER", "/", "a", "an", "each", "Each", "pm", "a.m.", "P.M", "o'clock", "GMT", "utc",
    "h30", ":", "30", "5", "0", ".", "-", "\u2013", "\u2014", "to", "and", "To", "AND", "of",
    "OF", "the", "their", "people", "years", " ", "  ", "\t", "\n", "\xa0", "\u2003", "\u212a",
    "\u017f", "\u0130", "\u0131", "\uff10", "\u0665", "\u00b2", "é", "x", "$", "€",
]  # fmt: skip


def _check_every_position(
    text: str, gate: Callable[[str, int], bool], pattern: re.Pattern[str]
) -> int:
    """Positions where the gate lets the pattern through; fails where it holds one back that
    matches."""
    passed = 0
    for i in range(len(text) + 1):
        if gate(text, i):
            passed += 1
        else:
            assert pattern.match(text, i) is None, (pattern.pattern[:40], text[i : i + 20])
    return passed


@pytest.mark.parametrize(("name", "gate", "pattern"), GATES, ids=IDS)
def test_no_match_where_the_gate_says_no_on_real_articles(
    name: str, gate: Callable[[str, int], bool], pattern: re.Pattern[str]
) -> None:
    positions = passed = matched = 0
    for row in real_articles(60):
        text = row["text"]
        positions += len(text) + 1
        passed += _check_every_position(text, gate, pattern)
        matched += sum(1 for i in range(len(text)) if pattern.match(text, i))
    assert matched > 0, name  # the pattern does occur in the news
    assert passed < positions / 2, name  # and the gate spares it most positions


@pytest.mark.parametrize(("name", "gate", "pattern"), GATES, ids=IDS)
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=7))
def test_no_match_where_the_gate_says_no_on_odd_strings(
    name: str, gate: Callable[[str, int], bool], pattern: re.Pattern[str], pieces: list[str]
) -> None:
    _check_every_position("".join(pieces), gate, pattern)


def _phone_may_follow(text: str, s: int) -> bool:
    return q._at(text, s + 4).isdigit() or q._at(text, s + 5).isdigit()


def test_phone_needs_a_digit_after_its_separator() -> None:
    """`_read` tries `_PHONE` only when a digit stands four or five characters after the
    number's start (after "555 ", "555) ")."""
    for c in [chr(i) for i in range(0x3000)]:
        for text in (f"555-{c}555", f"555 {c}5551", f"(555){c}555-1234", f"(555) {c}55-1234"):
            at = 1 if text.startswith("(") else 0
            if not _phone_may_follow(text, at):
                assert q._PHONE.match(text, max(0, at - 1)) is None, (c, text)
    assert q._PHONE.match("(555) 555-1234") and q._PHONE.match("555-1234")
    checked = 0
    for row in real_articles(60):
        text = row["text"]
        for m in re.finditer(r"\d+", text):
            s = m.start()
            if not _phone_may_follow(text, s):
                at = s - 1 if s and text[s - 1] == "(" else s
                assert q._PHONE.match(text, at) is None, text[s : s + 16]
                checked += 1
    assert checked > 100
