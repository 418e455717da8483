"""`_lines` reads the runs between line breaks from `str.splitlines`: the same lines (starts,
ends, indentation, blank line before) as the run pattern `_LINE` found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import _LINE, _count_breaks, _Line, _lines
from tests.corpus_sample import real_articles


def _lines_by_pattern(text: str) -> list[_Line]:
    """`_lines` as it was written with `_LINE.finditer`."""
    lines: list[_Line] = []
    prev_end = 0
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        after_blank = not lines or _count_breaks(text[prev_end : m.start()]) > 1
        lines.append(_Line(start, start + len(stripped), lead > 0, after_blank))
        prev_end = m.end()
    return lines


def test_same_lines_on_real_articles() -> None:
    total = 0
    for row in real_articles(200):
        got = _lines(row["text"])
        assert got == _lines_by_pattern(row["text"])
        total += len(got)
    assert total > 500


BREAKS = ["\n", "\r", "\r\n", "\n\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"]
PIECES = [*BREAKS, "\u2029", " ", "\t", "\xa0", "  ", "a", "Word.", "x y", "\u3000", "é"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_same_lines_on_odd_breaks(text: str) -> None:
    assert _lines(text) == _lines_by_pattern(text)
