"""Two whole-text scans run on a marked byte copy of an ASCII text (capitals made "C" for the
name runs, "!" and "?" made "." for the sentence-end candidates): the same matches, at the same
offsets, as the `str` patterns they stand for, on real articles and on odd ASCII strings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import segment as sg
from pipeline.claims import speakers as sp
from tests.corpus_sample import real_articles


def _name_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    marked = text.encode("ascii").translate(sp._CAPITALS_TO_C)
    want = [m.span() for m in sp._LONG_NAME_RUN.finditer(text)]
    return [m.span() for m in sp._LONG_NAME_RUN_MARKED.finditer(marked)], want


def _candidates(
    text: str, start: int, end: int
) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    marked = text.encode("ascii").translate(sg._MARKS_TO_DOT)
    want = [m.span() + m.span(1) for m in sg._CANDIDATE.finditer(text, start, end)]
    got = [m.span() + m.span(1) for m in sg._CANDIDATE_MARKED.finditer(marked, start, end)]
    return got, want


def _name_runs_by_pattern(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in sp._LONG_NAME_RUN.finditer(text):
        sp._cut_run(text, m.start(), m.end(), out)
    return out


def test_same_matches_on_real_articles() -> None:
    runs = candidates = 0
    for row in real_articles(300):
        text = row["text"]
        if not text.isascii():
            continue
        got, want = _name_spans(text)
        assert got == want
        assert sp.name_runs(text, multi_word=True) == _name_runs_by_pattern(text)
        runs += len(got)
        for seg in sg.segment(text).segments:
            got_c, want_c = _candidates(text, seg.start, seg.end)
            assert got_c == want_c
            candidates += len(got_c)
            marked = text.encode("ascii").translate(sg._MARKS_TO_DOT)
            assert sg._sentence_spans(text, seg.start, seg.end, marked) == sg._sentence_spans(
                text, seg.start, seg.end
            )
    assert runs > 300 and candidates > 1000


PIECES = [
    "Joe", "Biden", "U.S.", "O'Neil", "AT&T", "al-", "Al", "of", "de", "van", "von", "Of", "x",
    "McX", "aB", "5", "_", "-", ".", "!", "?", "...", "?!", '"', "'", ")", "]", "}", " ", "  ",
    "\t", "\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x00", "A", "Z", "C", "c",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.data())
def test_same_matches_on_odd_ascii_strings(text: str, data: st.DataObject) -> None:
    got, want = _name_spans(text)
    assert got == want
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    got_c, want_c = _candidates(text, start, end)
    assert got_c == want_c


def test_a_text_that_is_not_ascii_takes_the_str_patterns() -> None:
    text = "Le président Emmanuel Macron a dit: «Non!» Jean-Luc Mélenchon répond."
    assert not text.isascii()
    assert sp.name_runs(text, multi_word=True) == _name_runs_by_pattern(text)
    assert [(s.start, s.end) for s in sg.segment(text).sentences] == [(0, 42), (43, len(text))]
