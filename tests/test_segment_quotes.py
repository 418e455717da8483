"""`_double_quotes` finds the marks of `_DOUBLE_QUOTE` with `str.find` in an ASCII text: the same
positions as the pattern's scan, for any slice of real articles and of odd strings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import _DOUBLE_QUOTE, _double_quotes, segment
from tests.corpus_sample import real_articles


def _by_pattern(text: str, start: int, end: int) -> list[int]:
    return [m.start() for m in _DOUBLE_QUOTE.finditer(text, start, end)]


def test_same_marks_in_the_paragraphs_of_real_articles() -> None:
    ascii_marks = 0
    for row in real_articles(200):
        text = row["text"]
        assert _double_quotes(text, 0, len(text)) == _by_pattern(text, 0, len(text))
        for seg in segment(text).segments:
            got = _double_quotes(text, seg.start, seg.end)
            assert got == _by_pattern(text, seg.start, seg.end)
            if text.isascii():
                ascii_marks += len(got)
    assert ascii_marks > 100  # the str.find path found marks


PIECES = ['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "'", "\u2019", "a", " ", ".", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.data())
def test_same_marks_on_odd_strings(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text) + 2))
    assert _double_quotes(text, start, end) == _by_pattern(text, start, end)
