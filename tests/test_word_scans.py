"""The scans that find words from their ending (and the patterns that test a word start by a
lookbehind) return exactly what the word-boundary regexes they replace return."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.cue_openings import stance_forms
from pipeline.claims.cues import trie_pattern
from pipeline.claims.rules_generic import _COMP, _TO_WORD
from pipeline.claims.word_scans import ing_words, ly_words
from pipeline.evaluate.documents import read_document
from tests.conftest import SHARED

ING_WORD = re.compile(r"\b[a-z]{2,}ing\b")
LY_WORD = re.compile(r"\b[a-z]{3,}ly\s+")
TO_WORD = re.compile(r"\bto\s+")
COMP = re.compile(r"\b(?:that|whether)\b")
STANCE = re.compile(rf"\b(?=[a-z])(?:{trie_pattern(set(stance_forms()[1]))})\b")
DEV_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


def _check(text: str) -> int:
    assert ing_words(text) == _spans(ING_WORD, text)
    assert ly_words(text) == _spans(LY_WORD, text)
    assert _spans(_TO_WORD, text) == _spans(TO_WORD, text)
    assert _spans(_COMP, text) == _spans(COMP, text)
    assert _spans(stance_forms()[0], text) == _spans(STANCE, text)
    return len(ing_words(text)) + len(ly_words(text))


def test_scans_on_news() -> None:
    assert sum(_check(read_document(p.parent, p.name)) for p in DEV_DOCS) > 1000


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["saying", "ing", "bring", "ring", "Going", "_going", "2ing", "éting", "only", "ly",
             "fly", "lyly", "quickly", "Really", "to", "_to", "toto", "that", "whether", "xthat",
             "thatx", "thing", "ingly", "backed", "Support", "_saw", "seeks", "attacking",
             " ", "  ", "\n", "\t", ",", "-", "’", "\xa0", "ß", "ſ"]
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_scans_on_adversarial_strings(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aginlyoth _-\n2Éé"), max_size=40))
def test_scans_on_random_strings(text: str) -> None:
    _check(text)
