"""One Aho-Corasick pass finds what the scans it replaces find: the trigger words a document
holds (`str.find` per word before) and the matches of the cue verbs, nominal cues and stance
verbs (their regexes tried at every position before), on real articles and on strings built
to break them. (Number words: `test_quantity_hits.py`.)"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.attribution import Attributor, _trigger_literals
from pipeline.claims.cue_openings import CueStarts, cue_starts, nominal_lexicon, stance_forms
from pipeline.claims.cues import load_cues, verb_matches
from pipeline.claims.literals import LiteralGroups, Literals, matches_at
from pipeline.claims.rules_generic import _COMP
from tests.test_claims_fast_paths import documents, sentences

PIECES = [
    "said", "Said", "SAID", "unsaid", "_said", "said_", "2said", "saidx", "says", "say", "saying",
    "point", "pointed", "out", "pointing out", "point  out", "point\nout", "told", "tell",
    "warned", "warn", "according", "to", "seem", "seems", "reportedly", "expected", "asked",
    "allegation", "claims", "é", "ß", "’", "\u0130", "\u017f", "😀", " ", "  ", "\n", ",", ".",
    "-", '"', "“", "support", "supported", "backs", "attacks", "attacks on", "criticism of",
    "plan to", "pledge", "pledged", "on", "of", "for", "Support", "seeing", "that", "whether",
    "That", "thatch", "swhether", "_that",
]  # fmt: skip
# the rules' whole-text scans, with where `cue_starts` says each may match
WHOLE_TEXT = {
    "nominal": (lambda: nominal_lexicon()[0], lambda starts: starts.nominal),
    "stance": (lambda: stance_forms()[0], lambda starts: starts.stance),
    "comps": (lambda: _COMP, lambda starts: starts.comps),
}


def _starts(text: str) -> CueStarts:
    starts = cue_starts(text)
    assert starts is not None
    return starts


def _finditer(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in load_cues().verb_re.finditer(text, lo, hi)]


def _fast(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    starts = cue_starts(text)
    return [m.span() for m in verb_matches(text, starts and starts.verbs, lo, hi)]


def test_trigger_words_present_on_news() -> None:
    literals = _trigger_literals()
    assert len(literals.words) > 50
    found = 0
    for text in documents():
        low = text.lower()
        present = literals.present(low)
        assert present == {w for w in literals.words if w in low}
        found += len(present)
    assert found > 500


def test_verb_matches_in_every_sentence_of_news() -> None:
    matches = 0
    for text in documents():
        starts = _starts(text).verbs
        for s, e in sentences(text):
            spans = [m.span() for m in verb_matches(text, starts, s, e)]
            assert spans == _finditer(text, s, e), text[s:e]
            matches += len(spans)
    assert matches > 1000


@pytest.mark.parametrize("scan", sorted(WHOLE_TEXT))
def test_whole_text_scans_on_news(scan: str) -> None:
    make_pattern, pick = WHOLE_TEXT[scan]
    pattern: re.Pattern[str] = make_pattern()
    matches = 0
    for text in documents():
        fast = [m.span() for m in matches_at(pattern, text, pick(_starts(text)), 0, len(text))]
        assert fast == [m.span() for m in pattern.finditer(text)]
        matches += len(fast)
    assert matches > 20


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_scans_on_built_strings(text: str, lo: int, hi: int) -> None:
    assert _fast(text, lo, hi) == _finditer(text, lo, hi)
    assert _fast(text, 0, len(text)) == _finditer(text, 0, len(text))
    for make_pattern, pick in WHOLE_TEXT.values():
        pattern: re.Pattern[str] = make_pattern()
        starts = pick(_starts(text))
        fast = [m.span() for m in matches_at(pattern, text, starts, 0, len(text))]
        assert fast == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ab", "b", "bc", "abc", "x", "é", "😀", " "]), max_size=12))
def test_literals_find_overlapping_words(pieces: list[str]) -> None:
    text = "".join(pieces)
    literals = Literals(["ab", "bc", "abc", "c"])
    assert literals.present(text) == {w for w in literals.words if w in text}
    expected = sorted(
        {i for w in literals.words for i in range(len(text)) if text.startswith(w, i)}
    )
    assert literals.starts(text) == expected


def test_a_lone_surrogate_falls_back_to_plain_scans() -> None:
    text = "He said \ud800 it would claim said-so."
    assert cue_starts(text) is None
    assert _fast(text, 0, len(text)) == _finditer(text, 0, len(text)) != []
    literals = Literals(["said", "claim", "nothing"])
    assert literals.present(text) == {"said", "claim"}
    assert Literals([]).present(text) == set()
    assert Literals([]).starts(text) == []
    assert LiteralGroups([["said"], ["it"]]).starts(text) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ab", "b", "bc", "abc", "x", "é", "😀", " "]), max_size=12))
def test_literal_groups_are_each_groups_literals(pieces: list[str]) -> None:
    text = "".join(pieces)
    groups = [["ab", "bc"], ["bc", "c", "x"], [], ["abc"]]
    assert LiteralGroups(groups).starts(text) == [Literals(g).starts(text) for g in groups]


def test_verb_at_every_position_of_news() -> None:
    """`Attributor._verb_at` answers None at once off the verbs' first words: it must give
    `verb_re.match` wherever it is asked, here at every position of every 8th document."""
    verb_re, found = load_cues().verb_re, 0
    for text in documents()[::8]:
        att = Attributor(text, [], [], [])
        for p in range(len(text) + 1):
            hi = min(len(text), p + 40)
            m = att._verb_at(p, hi)
            expected = verb_re.match(text, p, hi)
            assert (m and m.span()) == (expected and expected.span())
            found += m is not None
    assert found > 100
