"""The cue verb forms read by hand (`verb_forms`) are the cue-verb pattern's matches: at every
position of real articles, and on strings built from the forms' words, spaces and the
characters where a word boundary or a case folding could differ."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution import Attributor
from pipeline.claims.cue_openings import cue_starts
from pipeline.claims.cues import load_cues, lookup_verb, verb_matches
from pipeline.claims.verb_forms import _MAX_WORDS, VerbHit, verb_at, verb_hits
from tests.test_claims_fast_paths import documents, sentences

PIECES = [
    "said", "Said", "unsaid", "_said", "said_", "2said", "saidx", "says", "say", "saying", "point",
    "pointed", "out", "outs", "point out", "point  out", "point\nout", "pointing out", "call",
    "called", "calls", "for", "on", "onto", "called on", "called for", "calling for", "talk",
    "about", "talked about", "told", "warned", "referring to", "to", "toe", "rail", "against",
    "é", "ß", "\u0130", "\u0131", "\u017f", "\u212a", "\u0301", "😀", "٣", " ", "  ", "\n",
    "\u00a0", "\u2003", "\x1c", ",", ".", "-", "'", "’", "X",
]  # fmt: skip


def _regex(text: str, pos: int, hi: int) -> tuple[int, int, str] | None:
    m = load_cues().verb_re.match(text, pos, hi)
    return None if m is None else (m.start(), m.end(), m.group())


def _hand(text: str, pos: int, hi: int) -> tuple[int, int, str] | None:
    hit = verb_at(text, pos, hi)
    if hit is None:
        return None
    assert hit.span() == (hit.start(), hit.end())
    assert hit.entry is lookup_verb(hit.group())
    return hit.start(), hit.end(), hit.group()


def test_forms_are_lower_case_words_joined_by_single_spaces() -> None:
    """What `verb_at` assumes of the lexicon (else the pattern could match other text)."""
    for form in load_cues().verbs:
        words = form.split(" ")
        assert 1 <= len(words) <= _MAX_WORDS
        assert all(w and all("a" <= c <= "z" for c in w) for w in words), form


def test_verb_at_equals_the_regex_at_every_position_of_news() -> None:
    found = 0
    for text in documents()[::3]:
        n = len(text)
        for pos in range(n):
            want = _regex(text, pos, n)
            assert _hand(text, pos, n) == want, (pos, text[pos : pos + 30])
            found += want is not None
        for s, e in sentences(text):  # the sentence end as the regex's end of text
            for pos in range(s, e):
                assert _hand(text, pos, e) == _regex(text, pos, e)
    assert found > 1000


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.integers(0, 60), st.integers(0, 70))
def test_verb_at_equals_the_regex_on_odd_strings(pieces: list[str], pos: int, hi: int) -> None:
    text = "".join(pieces)
    pos = min(pos, len(text))
    assert _hand(text, pos, hi) == _regex(text, pos, hi)
    for p in range(len(text) + 1):
        assert _hand(text, p, len(text)) == _regex(text, p, len(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.integers(0, 40), st.integers(0, 80))
def test_verb_hits_equal_finditer(pieces: list[str], lo: int, hi: int) -> None:
    text = "".join(pieces)
    starts = cue_starts(text)
    verbs = starts.verbs if starts is not None else None
    want = [(m.start(), m.end(), m.group()) for m in load_cues().verb_re.finditer(text, lo, hi)]
    for given_starts in (verbs, None):
        got = verb_hits(text, given_starts, lo, hi)
        assert [(h.start(), h.end(), h.group()) for h in got] == want


def test_attributor_verb_scans_equal_the_regex_on_news() -> None:
    """`_verbs_in` per sentence and `_verb_at` everywhere, as the rules call them."""
    for text in documents()[::4]:
        att = Attributor(text, sentences(text), [], [(0, len(text))])
        for s, e in sentences(text):
            old = [m.span() for m in verb_matches(text, None, s, e)]
            assert [h.span() for h in att._verbs_in(s, e)] == old
        for pos in range(len(text)):
            hit = att._verb_at(pos, len(text))
            assert isinstance(hit, VerbHit | None)
            assert _hand(text, pos, len(text)) == (
                None if hit is None else (hit.start(), hit.end(), hit.group())
            )


def test_word_char_at_is_the_regex_word_class_at_every_code_point() -> None:
    import re

    from pipeline.claims.word_scans import word_char_at

    word = re.compile(r"\w")
    for code in range(0x110000):
        ch = chr(code)
        assert word_char_at(ch, 0) == (word.match(ch) is not None), hex(code)
