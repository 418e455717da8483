"""String tests and a faster pattern that stand for regex calls in speaker resolution and the
lexicons: the same answers as the patterns they replace, on real articles and odd strings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import segment as sg
from pipeline.claims import given_names as gn
from pipeline.claims import quantity_lexicon as ql
from pipeline.claims import speakers as sp
from tests.corpus_sample import real_articles

WORD_PIECES = [
    "A", "B", "Z", "a", "z", ".", "..", "'", "’", "'s", "’s", "-", "5", "_", "É", "é", "ß",
    "\u0130", "\u212a", "\uff21", "AB", "CDEF", "GHIJKL", "M", " ", "\xa0", "Jean", "ANN",
]  # fmt: skip
words = st.lists(st.sampled_from(WORD_PIECES), max_size=6).map("".join)


def _given_name_as_written(word: str) -> bool:
    """`is_given_name` before its fast path for words of letters and digits."""
    if len(word) == 2 and word.isupper():
        return False
    return word.rstrip(".").removesuffix("'s").removesuffix("’s").lower() in gn.given_names()


def _norm_key_as_written(surface: str) -> str:
    if ql._WHITE.search(surface) is None:
        return surface
    return ql._norm_key(surface)


def _check_word(word: str) -> None:
    assert sp.is_acronym(word) == bool(sp._ACRONYM.fullmatch(word)), word
    assert sp.is_initials(word) == bool(sp._INITIALS.fullmatch(word)), word
    assert gn.is_given_name(word) == _given_name_as_written(word), word
    assert ql._norm_key(word) == _norm_key_as_written(word), word
    if "." not in word:
        assert sg._DOTTED.fullmatch(word) is None, word


@settings(max_examples=1500, deadline=None)
@given(words)
def test_word_tests_on_odd_strings(word: str) -> None:
    _check_word(word)


def test_word_tests_on_the_words_of_real_articles() -> None:
    seen = acronyms = initials = 0
    for row in real_articles(150):
        for word in set(row["text"].split()) | {w.strip(",;:()\"'") for w in row["text"].split()}:
            _check_word(word)
            seen += 1
            acronyms += sp.is_acronym(word)
            initials += sp.is_initials(word)
    assert seen > 10_000 and acronyms > 20 and initials > 20


PRONOUN_PIECES = [
    "he", "He", "HE", "she", "She", "his", "His", "her", "Her", "him", "hers", "himself",
    "herself", "its", "Its", "itself", "it's", "company", "Company", "companys", "firm", "firms",
    "the", "x", "_", "5", "'", "’", " ", "\n", "-", ".", "é", "ő", "s", "c", "f", "H", "I",
]  # fmt: skip


def _same_pronouns(text: str, lo: int, hi: int) -> None:
    want = sp._PRONOUN_WORD.findall(text, lo, hi)
    assert sp._PRONOUN_WORD_FAST.findall(text, lo, hi) == want, (text[lo:hi][:60], lo, hi)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PRONOUN_PIECES), max_size=10).map("".join), st.data())
def test_pronoun_words_on_odd_strings(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    _same_pronouns(text, 0, len(text))
    _same_pronouns(text, lo, hi)


def test_pronoun_words_on_real_articles() -> None:
    found = 0
    for row in real_articles(150):
        text = row["text"]
        _same_pronouns(text, 0, len(text))
        for m in re.finditer(r"[.!?]\s", text):  # windows starting mid-text, as resolution asks
            _same_pronouns(text, m.start(), min(len(text), m.start() + 400))
        found += len(sp._PRONOUN_WORD.findall(text))
    assert found > 300


TOKEN_PIECES = [
    "Mr.", "nominee", "x", "_", "-", ".", "'", "’", "5", "é", "\u0130", " ", "\n", "\xa0", ",",
    "(", "Dr", "a-b", "..",
]  # fmt: skip


def _same_token_ending(text: str, lo: int, hi: int) -> None:
    want = sp._TOKEN_ENDING.search(text, lo, hi)
    start = sp._token_start(text, lo, hi)
    assert (want.start() if want else hi) == start, (text, lo, hi)
    if lo > 0:
        assert sp._is_token_char(text[lo - 1]) == bool(sp._TOKEN_CHAR.match(text, lo - 1))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TOKEN_PIECES), max_size=8).map("".join), st.data())
def test_token_ending_on_odd_strings(text: str, data: st.DataObject) -> None:
    hi = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, hi))
    _same_token_ending(text, lo, hi)


def test_token_ending_before_every_word_of_real_articles() -> None:
    checked = 0
    for row in real_articles(100):
        text = row["text"]
        for m in re.finditer(r"\s+", text):
            end = m.start()
            for width in (1, 5, 20):
                _same_token_ending(text, max(0, end - width), end)
                checked += 1
    assert checked > 10_000
