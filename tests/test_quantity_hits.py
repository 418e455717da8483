"""`number_hits` finds exactly the hits `_MASTER.finditer` finds, on news and on strings built
to defeat its candidate positions (digit runs, fractions, number words inside words, articles,
odd case-folding letters)."""

from __future__ import annotations

import gzip
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.quantities import _MASTER
from pipeline.claims.quantity_hits import _DIGIT_START, digit_starts, number_hits
from pipeline.evaluate.documents import read_document
from tests.conftest import SHARED

DEV_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _hits(found: object) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in found]  # type: ignore[attr-defined]


def _check(text: str) -> int:
    expected = _hits(_MASTER.finditer(text))
    assert _hits(number_hits(text, _MASTER)) == expected
    return len(expected)


def test_hits_on_news() -> None:
    total = sum(_check(read_document(p.parent, p.name)) for p in DEV_DOCS)
    with gzip.open(SHARED / "corpora" / "reuters-1987.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 40 == 0:
                total += _check(json.loads(line)["text"])
    assert total > 5000


PIECES = [
    "1", "12", "2,000", "10, 000", "12,34,567", "3.5", "1/2", "10 1/2", "½", "1½", "⅞2", "٣",
    "one", "One", "ONE", "someone", "often", "ten", "tenfold", "twenty-one", "ninety five",
    "a", "A", "an", "An", "a dozen", "an hundred", "a\n\thalf", "dozens of", "Thousands of",
    "million", "bn", "and", "of", "_", "x", "é", "\u017f", "\u212a", "\u0130", "-", ",", ".",
    " ", "  ", "\n", "\xa0", "$", "%",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_hits_on_adversarial_strings(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_hits_on_spaced_pieces(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_hits_on_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 .,-/ab\n\x00\x7f")) | st.text())
def test_digit_starts_are_the_digit_patterns_matches(text: str) -> None:
    """The `bytes.find` reading of an ASCII text, and the regex's scan of any other."""
    assert digit_starts(text) == [m.start() for m in _DIGIT_START.finditer(text)]
