"""`ModifierTable.before` reads the word before a number by index, `parse_words` takes a
one-word number as its own token, and `counted_noun` reads its words by hand: the same results
as the slices, strips and regexes they replace, on real articles and odd strings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import quantity_lexicon as ql
from pipeline.claims import quantity_nouns as nouns
from pipeline.claims import quantity_numbers as qn
from pipeline.claims.quantity_lexicon import modifiers, number_words
from tests.corpus_sample import real_articles


def _before_as_written(
    table: ql.ModifierTable, text: str, lo: int, hi: int
) -> re.Match[str] | None:
    """`ModifierTable.before` as it was written, with a slice, `rstrip` and `_alnum_tail`."""
    start = max(lo, hi - 24)
    chunk = text[start:hi]
    body = chunk.rstrip()
    if len(body) == len(chunk):
        return None
    tail = ql._alnum_tail(body)
    if start > lo and len(tail) == len(body):
        return table.regex.search(text, lo, hi)
    word = tail.lower() if tail.isascii() else tail.translate(ql._FOLD_TO_ASCII).lower()
    if word not in table.by_last_word:
        return None
    return table._compiled[word].search(text, lo, hi)


def _same(text: str, lo: int, hi: int) -> bool:
    table = modifiers()
    got = table.before(text, lo, hi)
    want = _before_as_written(table, text, lo, hi)
    assert (got and got.span(1)) == (want and want.span(1)), (text[lo:hi], lo, hi)
    body = text[lo:hi].rstrip()
    k = lo + len(body)
    assert text[ql._tail_start(text, lo, k) : k] == ql._alnum_tail(body), body
    return want is not None


def test_modifiers_before_every_number_of_real_articles() -> None:
    found = checked = 0
    for row in real_articles(150):
        text = row["text"]
        for m in re.finditer(r"\d+", text):
            for width in (30, 8, 3):
                found += _same(text, max(0, m.start() - width), m.start())
                checked += 1
    assert checked > 3000 and found > 50


PIECES = [
    "more than", "about", "nearly", "up", "by", "fell by", "around", "Over", "ABOUT", "-", ".",
    "..", "x-y", "$", "(", "_", "é", "\u0130", "\u212a", "\u017f", "5", " ", "  ", "\n", "\xa0",
    "\u2003", "a", "than", "more", "Than.",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.data())
def test_modifiers_before_on_odd_strings(text: str, data: st.DataObject) -> None:
    hi = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, hi))
    _same(text, lo, hi)
    _same(text + " ", lo, len(text) + 1)


def _tokens_as_written(s: str) -> list[tuple[str, int]]:
    return [(m.group(), m.end()) for m in qn._LETTERS.finditer(s)]


def test_a_one_word_number_is_its_only_token() -> None:
    """Where `parse_words` takes the fast path (ASCII letters only), the pattern's tokens are
    the word itself; everything else still goes through the pattern."""
    words = list(number_words())
    odd = ["Five", "TEN", "f\u0130ve", "five-six", "a dozen", "dozen5", "é", "", "\u017fix"]
    fast = 0
    for row in real_articles(40):
        words += row["text"].split()[:300]
    for w in words + [w.upper() for w in words] + odd:
        if w.isascii() and w.isalpha():
            assert _tokens_as_written(w) == [(w, len(w))], w
            fast += 1
    assert fast > 1000


def _same_word(text: str, pos: int) -> bool:
    want = nouns._WORD.match(text, pos)
    got = nouns._word_span(text, pos)
    assert got == (want and want.span(1)), (text[pos : pos + 20], pos)
    return want is not None


def test_counted_noun_words_at_every_position_of_real_articles() -> None:
    found = 0
    for row in real_articles(60):
        text = row["text"]
        found += sum(_same_word(text, i) for i in range(len(text) + 1))
    assert found > 10_000


WORD_PIECES = [
    "armor", "pieces", "-", "--", "x-ray", "a", "Z", " ", "\t", "  ", "\n", "\xa0", "é", "ß",
    "\u0130", "\u212a", "5", "_", ".", ",", "'", "of", "and",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=8).map("".join))
def test_counted_noun_words_on_odd_strings(text: str) -> None:
    for i in range(len(text) + 1):
        _same_word(text, i)
