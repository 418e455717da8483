"""Session 8's regex shortcuts in the attribution rules skip only calls that cannot match:
white space skipped by a loop, the fronted "in" frame, the relative pronoun and "who" clause
before a cue, the signed paragraph's opening mark; on news and on strings built to break them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution_text import _WS, skip_space
from pipeline.claims.cue_sources import _RELATIVE, _WHO_CLAUSE, _may_end_relative
from pipeline.claims.rules_frames import _IN, _LEAD, _may_open_in
from pipeline.claims.rules_turns import _SIGNED, _SIGNED_MARKS
from tests.test_claims_fast_paths import documents, sentences

ODD = " \t\n\u00a0\u2003\x1c,.\"“'’IiıİſKkwhoWHOWhichcbutAndsoHOWEVERmeanwhilenow"
PIECES = [
    "In ", "in ", "IN ", "In\n", "Ina", "But ", "but, ", "And ", "So ", "Yet ", "Still ", "Now ",
    "Meanwhile, ", "However, ", "\"", "“", "'", " ", "\n", "\u00a0", "ſo ", "ſtill ", "stıll ",
    "Inside", "who", "Who", "WHICH", "which", "whıch", "wHo ", "x", "the poll", ",", ".",
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
