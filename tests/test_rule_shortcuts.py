"""Session 7's shortcuts in the attribution rules give what the code they replace gave: word
counts that stop at the number a rule compares with, the sourceless patterns searched one by
one where their trigger words occur, sentences cleaned without a set and a copy each."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import sources
from pipeline.claims.attribution import _trigger_words
from pipeline.claims.attribution_text import _words, _words_upto
from pipeline.claims.extract import _clean_sentences
from pipeline.claims.rules_sourceless_cues import (
    _sourceless_any_folded,
    _sourceless_cues,
    _sourceless_folded,
)
from pipeline.claims.triggers import FoldedText
from tests.test_claims_fast_paths import documents, sentences


def _old_clean(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`_clean_sentences` as it was: a set of clipped, non-blank spans, sorted."""
    out: set[tuple[int, int]] = set()
    n = len(text)
    for a, b in spans:
        a, b = max(0, min(int(a), n)), max(0, min(int(b), n))
        if b > a and text[a:b].strip():
            out.add((a, b))
    return sorted(out)


def test_word_counts_up_to_a_cap_equal_the_full_count_capped() -> None:
    checked = 0
    for text in documents()[::2]:
        for s, e in sentences(text):
            for a, b in ((s, e), (s, (s + e) // 2), (s + 1, e - 1)):
                full = _words(text, (a, b))
                for cap in (0, 1, 2, 3, 5, 7):
                    assert _words_upto(text, (a, b), cap) == min(full, cap)
                checked += full > 7
    assert checked > 1000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" a1_,.\n'’-é\u0130", max_size=40), st.integers(0, 8))
def test_word_counts_up_to_a_cap_on_odd_strings(text: str, cap: int) -> None:
    for a in range(0, len(text) + 1, 3):
        assert _words_upto(text, (a, len(text)), cap) == min(_words(text, (a, len(text))), cap)


def test_trigger_which_names_every_pattern_that_matches() -> None:
    """`Trigger.which` lists a pattern wherever it matches in a sentence, agrees with
    `may_match`, and leaves most patterns out (or it would be no shortcut)."""
    patterns = _trigger_words().sourceless
    compiled = [rx for rx, _, _ in _sourceless_cues()]
    matched = left_out = 0
    for text in documents():
        trigger = FoldedText(text).trigger(patterns)
        for s, e in sentences(text):
            which = trigger.which(s, e)
            if which is None:
                assert trigger.may_match(s, e)
                continue
            assert which == sorted(set(which))
            assert bool(which) == trigger.may_match(s, e)
            for i, rx in enumerate(compiled):
                if rx.search(text, s, e) is not None:
                    assert i in which, (text[s:e], rx.pattern[:60])
                    matched += 1
            left_out += len(compiled) - len(which)
    assert matched > 0
    assert left_out > 10 * matched


def test_sourceless_patterns_one_by_one_find_what_the_whole_set_finds() -> None:
    """No match of any single lower-cased pattern is no match of them all together."""
    whole = _sourceless_any_folded()
    single = _sourceless_folded()
    assert whole is not None and single is not None
    assert len(single) == len(_sourceless_cues())
    found = 0
    for text in documents():
        low = FoldedText(text).lower
        if low is None:
            continue
        for s, e in sentences(text):
            hit = whole.search(low, s, e) is not None
            assert hit == any(p.search(low, s, e) is not None for _, p in single)
            for gate, p in single:  # a gate never misses where its pattern matches
                assert gate.search(low, s, e) is not None or p.search(low, s, e) is None
            found += hit
    assert found > 0


def test_folded_text_of_ascii_and_other_texts() -> None:
    assert FoldedText("The Mayor SAID it.").lower == "the mayor said it."
    assert FoldedText("The \u212aremlin said.").lower is None
    assert FoldedText("Caf\u00e9 owners SAID so.").lower == "caf\u00e9 owners said so."
    assert FoldedText("The Mayor said.", enabled=False).lower is None


def test_clean_sentences_equals_the_sorted_set() -> None:
    """Sorted segmenter output, shuffled, repeated, overlapping, out of range, blank."""
    rng = random.Random(5)
    blank = re.compile(r"\s+")
    checked = 0
    for text in documents()[::3]:
        spans = sentences(text)
        variants = [spans, spans[::-1], spans + spans[:3], [(a - 5, b + 7) for a, b in spans]]
        variants.append([m.span() for m in blank.finditer(text)][:20] + spans)
        shuffled = list(spans)
        rng.shuffle(shuffled)
        variants.append(shuffled)
        for v in variants:
            assert _clean_sentences(text, v) == _old_clean(text, v)
            checked += 1
    assert checked > 100


def _old_share_before(text: str, end: int, lo: int) -> tuple[int, int] | None:
    """`sources.share_before` as it was, its first test on a split copy of the window."""
    tail = text[max(lo, end - 16) : end].split()
    last = tail[-1].lower().rsplit("-", 1)[-1] if tail else ""
    if not last or not (
        last in sources._share_words() or (not last.isalpha() and any(ch.isdigit() for ch in last))
    ):
        return None
    m = sources._share_re().search(text, max(lo, end - 40), end)
    if m is None:
        return None
    before = text[lo : m.start()].rstrip(" \t\"“”'‘’(")
    words = before.split()
    if (
        before
        and before[-1] not in ",;:"
        and (not words or words[-1].lower() not in sources._CLAUSE_OPENERS)
    ):
        return None
    start, stop = m.start(), m.end()
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return start, stop


def test_share_before_equals_its_old_self() -> None:
    """At every space and sentence end of real sentences, and on odd strings."""
    calls: list[tuple[str, int, int]] = []
    for text in documents()[::2]:
        for s, e in sentences(text):
            calls += [(text, end, s) for end in range(s, e + 1) if end == e or text[end] == " "]
    odd = ["Nearly  half\u2003", "one in three-", "x", "", " 40 ", "Two-thirds\n"]
    calls += [(t, end, lo) for t in odd for end in range(len(t) + 2) for lo in (0, 1, 3)]
    fast = [sources.share_before(t, end, lo) for t, end, lo in calls]
    assert fast == [_old_share_before(t, end, lo) for t, end, lo in calls]
    assert sum(x is not None for x in fast) > 20


def _old_np_after(text: str, start: int, hi: int) -> tuple[int, int] | None:
    """`sources.np_after` as it was: every word up to the break listed first."""
    stop, dets = sources.word_list("np_stop.txt"), sources.word_list("determiners.txt")
    m = sources._BREAK.search(text, start, hi)
    limit = m.start() if m else hi
    words = [(w.start(), w.end()) for w in sources._WORD.finditer(text, start, limit)]
    if not words or text[start : words[0][0]].strip():
        return None
    taken: list[tuple[int, int]] = []
    for a, b in words:
        w = text[a:b]
        low = w.lower()
        if low in sources.PRONOUNS:
            if not taken:
                taken.append((a, b))
            break
        if low in dets and not taken:
            taken.append((a, b))
            continue
        after_inner = bool(taken) and text[taken[-1][0] : taken[-1][1]].lower() in sources._INNER
        if after_inner and low in sources._PARTITIVE:
            taken.append((a, b))
            if low == "them":
                break
            continue
        if low in stop and not (low in sources._INNER and taken):
            break
        if sources._is_verbish(w) or len(taken) >= sources._MAX_WORDS:
            break
        taken.append((a, b))
    while taken and text[taken[-1][0] : taken[-1][1]].lower() in sources._INNER | dets:
        taken.pop()
    if not taken:
        return None
    return sources._clean(text, taken[0][0], taken[-1][1])


def test_np_after_equals_its_old_self() -> None:
    """At every word start and space of real sentences (the NP read word by word as the scan
    finds them, not from a list of every word up to the break)."""
    calls = [
        (text, p, e)
        for text in documents()[::2]
        for s, e in sentences(text)
        for p in range(s, e)
        if text[p] == " " or (p == s or text[p - 1] == " ")
    ]
    fast = [sources.np_after(t, p, e) for t, p, e in calls]
    assert fast == [_old_np_after(t, p, e) for t, p, e in calls]
    assert sum(x is not None for x in fast) > 1000
