"""Session 8's regex shortcuts in the attribution rules skip only calls that cannot match:
white space skipped by a loop, the fronted "in" frame, the relative pronoun and "who" clause
before a cue, the signed paragraph's opening mark; on news and on strings built to break them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution_text import _WS, _opening_spaces, _trailing_parts, skip_space
from pipeline.claims.content_end import _CLAUSE_CUT, clause_cut_starts
from pipeline.claims.cue_sources import _RELATIVE, _WHO_CLAUSE, _may_end_relative
from pipeline.claims.literals import matches_at
from pipeline.claims.rules_frames import _IN, _LEAD, _may_open_in
from pipeline.claims.rules_generic import _NOUN_BEFORE, _VERB_BEFORE
from pipeline.claims.rules_turns import _SIGNED, _SIGNED_MARKS
from pipeline.claims.triggers import FoldedText
from pipeline.claims.word_scans import word_before_space
from tests.test_claims_fast_paths import documents, sentences

ODD = " \t\n\u00a0\u2003\x1c,.\"“'’IiıİſKkwhoWHOWhichcbutAndsoHOWEVERmeanwhilenow"
PIECES = [
    "In ", "in ", "IN ", "In\n", "Ina", "But ", "but, ", "And ", "So ", "Yet ", "Still ", "Now ",
    "Meanwhile, ", "However, ", "\"", "“", "'", " ", "\n", "\u00a0", "ſo ", "ſtill ", "stıll ",
    "Inside", "who", "Who", "WHICH", "which", "whıch", "wHo ", "x", "the poll", ",", ".",
]  # fmt: skip
TIME_PIECES = [
    " ", "  ", "\n", "\u00a0", "\u2003", "\x1c", "in", "on", "at", "at ", "again", "mid-", "mid",
    "monday", "Monday", "tonight", "to", "t", "i", "o", "x", ",", "é", "yesterday", "a", "al",
]  # fmt: skip
CUT_PIECES = [
    ", ", ",", ";", "; ", " ", "  ", "\n", "\u00a0", "\x1c", " — ", " – ", " -- ", "—", "-", "and ",
    "but ", "android", "butter", "which", "who ", "while ", "even though ", "yet", "also ", "that",
    "He ", "the ", "Jane ", "said", "walked ", "refused", "x", "é",
]  # fmt: skip
WORD_PIECES = [
    "abc", "ab", "a", "claims", "it's", "don’t", "re-run", "-", "'", "’", "X", "9", "_", "é",
    " ", "  ", "\n", "\u00a0", "\x1c", ",", "Abc", "aB",
]  # fmt: skip


def _in_frame(text: str, s: int, e: int) -> bool:
    lead = _LEAD.match(text, s, e)
    return _IN.match(text, lead.end() if lead else s, e) is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ODD, max_size=30))
def test_skip_space_is_the_white_space_match(text: str) -> None:
    for pos in range(-2, len(text) + 3):
        assert skip_space(text, pos) == _WS.match(text, pos).end()


def test_skip_space_and_the_gates_on_news() -> None:
    skipped = framed = relative = 0
    for text in documents():
        for s, e in sentences(text):
            assert skip_space(text, s) == _WS.match(text, s).end()
            assert skip_space(text, e) == _WS.match(text, e).end()
            if _in_frame(text, s, e):
                assert _may_open_in(text, s, e), text[s : s + 40]
                framed += 1
            skipped += not _may_open_in(text, s, e)
            for end in range(s + 1, e, 7):
                a = max(s, end - 8)
                if _RELATIVE.search(text, a, end) is not None:
                    assert _may_end_relative(text, a, end)
                    relative += 1
                a = max(s, end - 40)
                if _WHO_CLAUSE.search(text, a, end) is not None:
                    assert "who" in text[a:end]
    assert framed > 10 and relative > 10
    assert skipped > 1000


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8), st.integers(0, 6))
def test_in_frame_gate_on_odd_strings(pieces: list[str], s: int) -> None:
    text = "".join(pieces)
    for e in range(s, len(text) + 1):
        if _in_frame(text, s, e):
            assert _may_open_in(text, s, e)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_relative_gate_on_odd_strings(pieces: list[str]) -> None:
    text = "".join(pieces)
    for end in range(len(text) + 1):
        for a in range(max(0, end - 9), end + 1):
            if _RELATIVE.search(text, a, end) is not None:
                assert _may_end_relative(text, a, end), (text, a, end)


def test_signed_marks_are_the_pattern_s_characters() -> None:
    for code in range(0x3000):
        ch = chr(code)
        assert (_SIGNED.match(ch) is not None) == ch.startswith(_SIGNED_MARKS)


def _opening_spaces_by_regex(low: str, lo: int, stop: int) -> list[int]:
    parts = _trailing_parts()
    assert parts is not None
    return [m.end() for m in parts.starts.finditer(low, lo, stop)]


def test_opening_spaces_equal_the_pattern_s_scan() -> None:
    found = 0
    for text in documents()[::2]:
        low = FoldedText(text).lower
        if low is None:
            continue
        for s, e in sentences(text):
            for lo, stop in ((s, e), (max(s, e - 120), e - 1), (s + 3, (s + e) // 2)):
                want = _opening_spaces_by_regex(low, lo, stop)
                assert _opening_spaces(low, lo, stop) == want
                found += len(want)
    assert found > 1000


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TIME_PIECES), max_size=12), st.integers(0, 5))
def test_opening_spaces_on_odd_strings(pieces: list[str], lo: int) -> None:
    low = "".join(pieces).lower()
    for stop in range(len(low) + 2):
        assert _opening_spaces(low, lo, stop) == _opening_spaces_by_regex(low, lo, stop)


def _clause_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    starts = clause_cut_starts(text, start, end)
    return [m.span() for m in matches_at(_CLAUSE_CUT, text, starts, start, end)]


def test_clause_cut_starts_hold_every_match_on_news() -> None:
    found = 0
    for text in documents()[::2]:
        for s, e in sentences(text):
            for a in range(s, e, 5):
                want = [m.span() for m in _CLAUSE_CUT.finditer(text, a, e)]
                assert _clause_cuts(text, a, e) == want
                found += len(want)
    assert found > 1000


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(CUT_PIECES), max_size=14), st.integers(0, 5))
def test_clause_cut_starts_on_odd_strings(pieces: list[str], start: int) -> None:
    text = "".join(pieces)
    for end in range(start, len(text) + 2):
        want = [m.span() for m in _CLAUSE_CUT.finditer(text, start, end)]
        assert _clause_cuts(text, start, end) == want


def _before_by_regex(text: str, lo: int, stop: int, inner: bool) -> tuple[int, int] | None:
    m = (_VERB_BEFORE if inner else _NOUN_BEFORE).search(text, lo, stop)
    return None if m is None else m.span(1)


def test_word_before_space_equals_the_patterns_on_news() -> None:
    found = 0
    for text in documents()[::3]:
        for stop in range(len(text) + 1):
            for back, inner in ((30, False), (40, True)):
                want = _before_by_regex(text, max(0, stop - back), stop, inner)
                assert word_before_space(text, max(0, stop - back), stop, inner) == want
                found += want is not None
    assert found > 1000


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=10), st.integers(0, 6))
def test_word_before_space_on_odd_strings(pieces: list[str], lo: int) -> None:
    text = "".join(pieces)
    for stop in range(len(text) + 2):
        for inner in (False, True):
            want = _before_by_regex(text, lo, stop, inner)
            assert word_before_space(text, lo, stop, inner) == want, (text, lo, stop, inner)
