"""The extractor's shortcuts change nothing: each is checked against the slow path it skips,
on real articles from every corpus and on texts built to defeat it."""

from __future__ import annotations

import gzip
import json
import re
import sys
from functools import cache

import pytest

from pipeline.claims import sources
from pipeline.claims.attribution import _ACCORDING, Attributor, TriggerWords, _trigger_words
from pipeline.claims.cues import load_cues
from pipeline.claims.extract import extract_claims
from pipeline.claims.rules_sourceless_cues import _sourceless_any
from pipeline.claims.triggers import CASE_ODD, FoldedText, required_words
from pipeline.evaluate.documents import read_document
from pipeline.segment import segment
from tests.conftest import SHARED

CORPORA = ("news-2022", "bbc-2005", "reuters-1987", "semeval-2023-t3")
# Built to hit the edge cases: odd case-folding letters, upper case, patterns cut by the
# sentence end, long runs of spaces before a cue, no words at all.
CRAFTED = [
    "ACCORDING TO the ministry, 40 died. It Seems To be over. Critics REPORTEDLY left.",
    "Accord\u0131ng to officials, the talks \u017feem to stall. He was a\u017fked if he knew.",
    "The \u212aremlin's CLAIMS THAT it won were said to be false, according to",
    "Obama" + " " * 70 + "said the plan works. The plan was widely expected to pass.",
    "Jane Doe, the head of the regional office of the ministry of health of the state, said it.",
    "\u0130stanbul officials are expected to say more. Asked whether he would run, he smiled.",
    '"We will not retreat," she told reporters. Their allegations of fraud were denied.',
    "",
    " \n ",
]


@cache
def documents() -> list[str]:
    """Every 25th article of each corpus, the PolNeAR dev documents and the crafted texts."""
    texts: list[str] = []
    for name in CORPORA:
        with gzip.open(SHARED / "corpora" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                text = json.loads(line).get("text")
                if i % 25 == 0 and isinstance(text, str):
                    texts.append(text)
    dev = SHARED / "eval" / "polnear" / "dev" / "docs"
    texts += [read_document(dev, p.name) for p in sorted(dev.glob("*.txt"))]
    return texts + CRAFTED


def sentences(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segment(text).sentences]


def test_case_odd_lists_every_letter_that_folds_to_ascii() -> None:
    """Lower-casing a text is a faithful stand-in for re.IGNORECASE except at these letters."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        chr(c)
        for c in range(0x80, sys.maxunicode + 1)
        if ascii_letter.fullmatch(chr(c)) or any(x.isascii() for x in chr(c).lower())
    }
    assert odd == CASE_ODD


def test_required_words_of_known_patterns() -> None:
    seem = re.compile(r"\b(?:seem|seems|seemed)(?=\s+(?:to|like)\b)", re.IGNORECASE)
    assert required_words(seem) == [frozenset({"seem"})]
    passive = re.compile(r"(?:is|was)\s+(?:widely\s+)?(?:expected|thought)(?=\s+to\b)", re.I)
    assert required_words(passive) == [frozenset({"expected", "thought"})]
    lookahead = re.compile(r"\bsaid(?=\s+(?:yesterday|today)\b)")
    assert required_words(lookahead) == [frozenset({"said"}), frozenset({"yesterday", "today"})]
    assert required_words(re.compile(r"(?:reportedly)?\s*[a-z]+", re.I)) is None
    assert required_words(re.compile(r"\bis\s+to\b")) is None  # too short to be worth it


@pytest.mark.parametrize("field", TriggerWords._fields)
def test_triggers_never_skip_a_sentence_a_pattern_matches(field: str) -> None:
    """For each gated pattern: wherever it matches inside a sentence, the trigger says maybe;
    and on real text it does skip most sentences (or it would be no shortcut)."""
    pattern = {
        "according": _ACCORDING,
        "nouns": load_cues().noun_re,
        "sourceless": _sourceless_any(),
    }[field]
    patterns = getattr(_trigger_words(), field)
    assert all(p is not None for p in patterns)
    matched = skipped = 0
    for text in documents():
        trigger = FoldedText(text).trigger(patterns)
        for s, e in sentences(text):
            found = pattern.search(text, s, e) is not None
            maybe = trigger.may_match(s, e)
            assert maybe or not found, (text[s:e], pattern.pattern[:60])
            matched += found
            skipped += not maybe
    assert matched > 0
    assert skipped > matched


def test_case_odd_letters_turn_the_shortcut_off() -> None:
    text = "Accord\u0131ng to the mayor, it rained."
    according = _trigger_words().according
    assert FoldedText(text).lower is None
    assert FoldedText(text).trigger(according).may_match(0, len(text))
    assert not FoldedText("The mayor said it rained.").trigger(according).rows


def test_extraction_with_and_without_prefilter_is_identical(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = documents()
    fast = [extract_claims(t, sentences(t)) for t in texts]
    monkeypatch.setattr(Attributor, "prefilter", False)
    slow = [extract_claims(t, sentences(t)) for t in texts]
    assert sum(map(len, fast)) > 1000
    assert fast == slow


def test_np_before_tail_scan_equals_whole_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """`np_before` tokenizes only the stretch before the cue first; the NP it finds must be
    the one the whole window gives, before every word of every sentence."""
    word_start = re.compile(r"(?<=\s)\w")
    cases = [
        (text, m.start(), s)
        for text in documents()[::3]
        for s, e in sentences(text)
        for m in word_start.finditer(text, s, e)
    ]
    fast = [sources.np_before(t, end, lo) for t, end, lo in cases]
    monkeypatch.setattr(sources, "_TAIL_CHARS", 10**9)  # never a stretch: the whole window
    slow = [sources.np_before(t, end, lo) for t, end, lo in cases]
    assert sum(x is not None for x in fast) > 1000
    assert fast == slow
