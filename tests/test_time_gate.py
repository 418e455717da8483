"""The time phrases are found from their opening words: `_skip_time` tests them before it runs
its regex (the gate must never skip a position where the regex matches, `_may_open_time`),
`trailing_time_start` tries the trailing-phrase pattern only after a space before one and must
find what the pattern's own search finds; the openings read off a pattern must open every
match (`literal_openings`)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution_text import (
    _may_open_time,
    _skip_time,
    _time_openings,
    _time_re,
    _trailing_time_re,
    trailing_time_start,
)
from pipeline.claims.triggers import FoldedText, literal_openings
from pipeline.evaluate.documents import read_document
from tests.conftest import SHARED

DEV_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _skip_time_by_regex(text: str, pos: int, hi: int) -> int:
    """`_skip_time` as it was before the gate: the regex at every step."""
    while True:
        m = _time_re().match(text, pos, hi)
        end = m.end() if m else pos
        while pos < end < hi and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        if end == pos:
            return pos
        pos = end


def _fast(text: str, lo: int, stop: int) -> int:
    """`trailing_time_start` as `content_end` calls it (None for a text `FoldedText` refuses)."""
    return trailing_time_start(text, FoldedText(text).lower, lo, stop)


def _trailing_by_regex(text: str, lo: int, stop: int) -> int:
    m = _trailing_time_re().search(text, lo, stop)
    return -1 if m is None else m.start()


def _check(text: str, hi: int, trailing: bool = False) -> int:
    """Every position: the gate never refuses a phrase the regex finds; `_skip_time` agrees;
    with `trailing`, the trailing phrases found up to `hi` from there are the regex's."""
    opened = 0
    for pos in range(hi + 1):
        m = _time_re().match(text, pos, hi)
        if m is not None and m.end() > pos:
            assert _may_open_time(text, pos, hi), (text, pos)
            opened += 1
        assert _skip_time(text, pos, hi) == _skip_time_by_regex(text, pos, hi)
        if trailing:
            assert _fast(text, pos, hi) == _trailing_by_regex(text, pos, hi)
    return opened


def _check_trailing(text: str) -> int:
    """Every sentence-like end (before a period or a line end) from up to 120 characters back,
    as `content_end` asks."""
    found = 0
    for stop in range(1, len(text)):
        if text[stop] not in ".\n":
            continue
        for lo in range(max(0, stop - 120), stop, 7):
            got = _fast(text, lo, stop)
            assert got == _trailing_by_regex(text, lo, stop), (text[lo:stop], lo, stop)
            found += got != -1
    return found


def test_openings_of_the_time_phrases() -> None:
    openings = _time_openings()
    assert openings is not None and {"on", "last", "in", "at", "during", "mid-"} <= set(openings)


def test_gate_on_news() -> None:
    docs = [read_document(p.parent, p.name) for p in DEV_DOCS[:30]]
    assert sum(_check(text, len(text)) for text in docs) > 100


def test_trailing_time_on_news() -> None:
    docs = [read_document(p.parent, p.name) for p in DEV_DOCS]
    assert sum(_check_trailing(text) for text in docs) > 100


def test_trailing_time_examples() -> None:
    text = "He said the plan would work, on Monday in a statement to reporters."
    stop = len(text) - 1
    assert _fast(text, 0, stop) == text.index(", on Monday")
    assert _fast(text, 0, text.index(" in a")) == text.index(", on Monday")
    for lo in range(stop):  # from "on": no space before it, so " Monday …" matches
        assert _fast(text, lo, stop) == _trailing_by_regex(text, lo, stop)
    assert _fast(text, text.index("on Monday"), stop) == text.index(" Monday")
    assert _fast(text, 0, text.index(" would")) == -1  # no phrase ends there


def test_literal_openings() -> None:
    assert literal_openings(r"(?:on|Last)\s+week") == {"on", "last"}
    assert literal_openings(r"at\s+the") == {"at"}
    assert literal_openings(r"x[ab]c") == {"xac", "xbc"}
    assert literal_openings(r"mid-(?:may|june)") == {"mid-may", "mid-june"}
    assert literal_openings(r"(?:in|on)?\s+x") is None  # may open with a space
    assert literal_openings(r"\bon") is None
    assert literal_openings(r"a|b\s") is None  # a top-level choice is not read
    assert literal_openings(r"(?:a|\w)x") is None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["on", "On", "ON", "last", "week", "Monday", "in", "an", "a", "the", "statement",
             "interview", "with", "Fox", "at", "news conference", "during", "via", "twitter",
             "since", "mid-", "May", "12", "2019", "for", "months", "many", "times", "said",
             "that", "ſince", "\u0130n", "K", " ", "  ", "\n", "\xa0", ",", ", ", ",,", "-", "’",
             "é", "x"]
        ),
        max_size=10,
    ).map("".join),
    st.integers(min_value=0, max_value=8),
)  # fmt: skip
def test_gate_on_adversarial_strings(text: str, cut: int) -> None:
    _check(text, max(0, len(text) - cut), trailing=True)


def test_case_folding_outside_ascii_runs_the_regex() -> None:
    # "ſ" (long s) matches "s" case-insensitively: the gate must not refuse it
    text = "said ſince May that"
    assert re.match(r"since", "ſince", re.IGNORECASE)
    assert _skip_time(text, 4, len(text)) == _skip_time_by_regex(text, 4, len(text)) > 4
