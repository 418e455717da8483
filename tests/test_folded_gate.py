"""The sourceless gate on the lower-cased text finds what the case-insensitive pattern finds on
the text itself, wherever `FoldedText` allows the shortcut."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.rules_sourceless_cues import _sourceless_any, _sourceless_any_folded
from pipeline.claims.triggers import FoldedText
from pipeline.evaluate.documents import read_document
from pipeline.segment import segment
from tests.conftest import SHARED

DEV_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))
_WORD_CHAR = re.compile(r"\w")
_SPACE = re.compile(r"\s")


def test_lower_case_keeps_word_and_space_characters() -> None:
    """`\\w`, `\\b` and `\\s` see a lower-cased character as they see the character."""
    changed = [
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if len(low := c.lower()) == 1
        and low != c
        and (
            bool(_WORD_CHAR.match(c)) != bool(_WORD_CHAR.match(low))
            or bool(_SPACE.match(c)) != bool(_SPACE.match(low))
        )
    ]
    assert changed == []


def _check(text: str, spans: list[tuple[int, int]]) -> int:
    folded = _sourceless_any_folded()
    assert folded is not None  # the lexicon allows the shortcut, or it would be no shortcut
    low = FoldedText(text).lower
    if low is None:
        return 0
    found = 0
    for s, e in spans:
        expected = _sourceless_any().search(text, s, e)
        got = folded.search(low, s, e)
        assert (got.span() if got else None) == (expected.span() if expected else None)
        found += expected is not None
    return found


def test_gate_on_news() -> None:
    found = 0
    for p in DEV_DOCS:
        text = read_document(p.parent, p.name)
        found += _check(text, [(s.start, s.end) for s in segment(text).sentences])
    assert found > 20


PIECES = [
    "It", "SEEMS", "seemed", " to ", " like ", "appears", "Reportedly", "was", "IS", "been",
    "widely", "Expected", "asked", "ASKED", "-asked", "_asked", " whether", " if", "accused",
    "Said", "thought", " of", " that", "quickly", " ", "\n", "É", "é", "ß", ",", "-", "“",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join), st.data())
def test_gate_on_adversarial_strings(text: str, data: st.DataObject) -> None:
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    _check(text, [(0, len(text)), (s, e)])
