"""`content_end` skips a clause-cut scan when the content holds none of the strings every match
of that pattern holds (`*_NEEDS`): each list must be complete, on news and on strings built
from the patterns' own pieces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.content_end import (
    _AND_CLAUSE,
    _CLAUSE_CUT,
    _PARTICIPLE_CUT,
    AND_CLAUSE_NEEDS,
    CLAUSE_CUT_NEEDS,
    PARTICIPLE_CUT_NEEDS,
    holds_any,
)
from pipeline.evaluate.documents import read_document
from tests.conftest import SHARED

GATES = [
    (_CLAUSE_CUT, CLAUSE_CUT_NEEDS),
    (_PARTICIPLE_CUT, PARTICIPLE_CUT_NEEDS),
    (_AND_CLAUSE, AND_CLAUSE_NEEDS),
]
DEV_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _check(text: str) -> int:
    """Every match holds a needle; a span without one has no match (as `content_end` asks)."""
    found = 0
    for rx, needles in GATES:
        for m in rx.finditer(text):
            assert holds_any(text, m.start(), m.end(), needles), (rx.pattern, m.group())
            found += 1
        if not holds_any(text, 0, len(text), needles):
            assert rx.search(text) is None
    return found


def test_holds_any_reads_only_the_span() -> None:
    assert holds_any("a, b", 0, 4, (",",))
    assert not holds_any("a, b", 2, 4, (",",))
    assert not holds_any("and", 0, 2, ("and",))  # a needle must lie inside the span


def test_gates_on_news() -> None:
    docs = [read_document(p.parent, p.name) for p in DEV_DOCS]
    assert sum(_check(text) for text in docs) > 500
    for text in docs:  # sentence-sized spans, as content_end scans them
        for m in re.finditer(r"[^.]{20,200}", text):
            for rx, needles in GATES:
                if not holds_any(text, m.start(), m.end(), needles):
                    assert rx.search(text, m.start(), m.end()) is None


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [",", ";", " ", "  ", "\n", "—", "–", "--", "-", "”", "'", "and", "but", "while",
             "whereas", "which", "who", "yet", "even", "though", "also", "then", "said",
             "walked", "saying", "quickly", "He", "The", "Smith", "x", "I", "ed"]
        ),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_gates_on_built_strings(text: str) -> None:
    _check(text)
