"""Session 8's regex shortcuts in the attribution rules skip only calls that cannot match:
white space skipped by a loop, the fronted "in" frame, the relative pronoun and "who" clause
before a cue, the signed paragraph's opening mark; on news and on strings built to break them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution_text import (
    _WS,
    _opening_spaces,
    _trailing_parts,
    may_end_with,
    may_open_with,
    skip_space,
)
from pipeline.claims.content_end import _CLAUSE_CUT, clause_cut_starts
from pipeline.claims.cue_openings import cue_starts
from pipeline.claims.cue_sources import _RELATIVE, _WHO_CLAUSE, _may_end_relative
from pipeline.claims.cues import load_cues
from pipeline.claims.literals import matches_at
from pipeline.claims.quotes import _DOUBLE_MARKS, _mark_positions
from pipeline.claims.rules_frames import _IN, _LEAD, _may_open_in
from pipeline.claims.rules_generic import _NOUN_BEFORE, _VERB_BEFORE
from pipeline.claims.rules_turns import _SIGNED, _SIGNED_MARKS
from pipeline.claims.rules_verbs import (
    _CONJ,
    _CONJ_LAST,
    _FRONT,
    _FRONT_SUBORDINATE,
    _GERUND_LEAD,
    _LEADS,
    _MID_SUBORDINATE,
)
from pipeline.claims.triggers import FoldedText
from pipeline.claims.word_scans import _ING, _LY, _ending_hits, word_before_space
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
GATE_PIECES = [
    "and", "And", "AND", "but", "or", "Or", "then", "yet", "also", "later", "by", "after",
    "before", "for", "while", "although", "though", "even ", "so ", "if", "when", "because",
    "as", "since", "unless", "once", "until", " ", "\n", ",", "\"", "“", "'", "‘", "ſo ",
    "ıf", "x", "é", "-",
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


def test_ending_hits_equal_finditer() -> None:
    texts = [*documents()[::3], "inging singing ing", "ly  ly\n", "earlyly x", "ingé ing_ ing9"]
    for text in texts:
        assert _ending_hits(text, "ing", False) == [m.span() for m in _ING.finditer(text)]
        assert _ending_hits(text, "ly", True) == [m.span() for m in _LY.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ingly \n\u00a0_é9x", max_size=30))
def test_ending_hits_on_odd_strings(text: str) -> None:
    assert _ending_hits(text, "ing", False) == [m.span() for m in _ING.finditer(text)]
    assert _ending_hits(text, "ly", True) == [m.span() for m in _LY.finditer(text)]


def test_cue_noun_starts_hold_every_match() -> None:
    """`rules_cue_nouns` tries the cue-noun pattern only where `cue_starts` found a noun's
    first word: the same matches as its scan of every position."""
    noun_re = load_cues().noun_re
    found = 0
    texts = [*documents()[::2], "their claims that x", "X's allegations of y", "reclaims", "_claim"]
    for text in texts:
        starts = cue_starts(text)
        assert starts is not None
        for s, e in [*sentences(text), (0, len(text))]:
            want = [m.span() for m in noun_re.finditer(text, s, e)]
            assert [m.span() for m in matches_at(noun_re, text, starts.nouns, s, e)] == want
            found += len(want)
    assert found > 100


def test_forward_gates_on_news() -> None:
    """`_CONJ`, `_GERUND_LEAD` (ending words), `_FRONT_SUBORDINATE` (opening words) and
    `_MID_SUBORDINATE` (a comma) never skip a window where the pattern matches."""
    hits = 0
    for text in documents()[::2]:
        for s, e in sentences(text):
            for end in range(s, e + 1, 3):
                for back, rx, words in ((16, _CONJ, _CONJ_LAST), (12, _GERUND_LEAD, _LEADS)):
                    a = max(s, end - back)
                    if rx.search(text, a, end) is not None:
                        assert may_end_with(text, a, end, words)
                        hits += 1
                a = max(s, end - 80)
                if _MID_SUBORDINATE.search(text, a, end) is not None:
                    assert text.find(",", a, end) != -1
            p = skip_space(text, s)
            for cs in range(p, e + 1, 4):
                if _FRONT_SUBORDINATE.match(text, p, cs) is not None:
                    assert may_open_with(text, p, cs, _FRONT)
                    hits += 1
    assert hits > 500


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(GATE_PIECES), max_size=8))
def test_forward_gates_on_odd_strings(pieces: list[str]) -> None:
    text = "".join(pieces)
    n = len(text)
    for a in range(n + 1):
        for end in range(a, n + 1):
            if _CONJ.search(text, a, end) is not None:
                assert may_end_with(text, a, end, _CONJ_LAST), (text, a, end)
            if _GERUND_LEAD.search(text, a, end) is not None:
                assert may_end_with(text, a, end, _LEADS), (text, a, end)
            if _FRONT_SUBORDINATE.match(text, a, end) is not None:
                assert may_open_with(text, a, end, _FRONT), (text, a, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\"“”«»„'‘’ x\n", max_size=30))
def test_mark_positions_equal_the_pattern_s_scan(text: str) -> None:
    assert _mark_positions(text) == [m.start() for m in _DOUBLE_MARKS.finditer(text)]


def test_mark_positions_on_news() -> None:
    found = 0
    for text in documents():
        want = [m.start() for m in _DOUBLE_MARKS.finditer(text)]
        assert _mark_positions(text) == want
        found += len(want)
    assert found > 1000
