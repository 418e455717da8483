"""`_skip_time` tests a phrase's opening words before it runs the time-phrase regex: the gate
must never skip a position where the regex matches (`_may_open_time`), and the openings read
off a pattern must open every match (`literal_openings`)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution_text import _may_open_time, _skip_time, _time_openings, _time_re
from pipeline.claims.triggers import literal_openings
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


def _check(text: str, hi: int) -> int:
    """Every position: the gate never refuses a phrase the regex finds; `_skip_time` agrees."""
    opened = 0
    for pos in range(hi + 1):
        m = _time_re().match(text, pos, hi)
        if m is not None and m.end() > pos:
            assert _may_open_time(text, pos, hi), (text, pos)
            opened += 1
        assert _skip_time(text, pos, hi) == _skip_time_by_regex(text, pos, hi)
    return opened


def test_openings_of_the_time_phrases() -> None:
    openings = _time_openings()
    assert openings is not None and {"on", "last", "in", "at", "during", "mid-"} <= set(openings)


def test_gate_on_news() -> None:
    docs = [read_document(p.parent, p.name) for p in DEV_DOCS[:30]]
    assert sum(_check(text, len(text)) for text in docs) > 100


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
    _check(text, max(0, len(text) - cut))


def test_case_folding_outside_ascii_runs_the_regex() -> None:
    # "ſ" (long s) matches "s" case-insensitively: the gate must not refuse it
    text = "said ſince May that"
    assert re.match(r"since", "ſince", re.IGNORECASE)
    assert _skip_time(text, 4, len(text)) == _skip_time_by_regex(text, 4, len(text)) > 4
