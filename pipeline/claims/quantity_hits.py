"""The master number pattern's hits, without trying the pattern at every character.

`finditer` tries the master pattern (`quantities._MASTER`) at each position, and its
number-word branch costs a word-boundary test and a trie walk at every word start: most of the
scan's time, for the few number words a text holds. A hit can only begin at the first digit of
a run of digits, at a fraction character, or where a number word begins a word (or at the
"a"/"an" before it: "a dozen"). Two fast scans find those candidates — a character class the
regex engine skips to, and the number words in the lower-cased text — and the master pattern is
tried there alone, in finditer's order: left to right, each search resuming at the end of the
last hit. Every position where the pattern can match is a candidate, so the hits are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Final

from pipeline.claims.cues import trie_pattern
from pipeline.claims.literals import Literals
from pipeline.claims.quantity_lexicon import number_words
from pipeline.claims.quantity_numbers import FRACTION_CHARS
from pipeline.claims.triggers import FoldedText

# A digit hit never ends inside a run of digits (each of its branches ends at a non-digit or
# takes the whole run), so a run's later digits are never where a hit begins.
_DIGIT_START: Final = re.compile(rf"[\d{FRACTION_CHARS}](?<!\d\d)")
# b"0" for an ASCII digit, b" " for any other byte
_DIGIT_MARKS: Final = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))


def digit_starts(text: str) -> list[int]:
    """The starts of `_DIGIT_START`'s matches: in an ASCII text (9 in 10 news articles, which
    hold neither other digits nor fraction characters), where each run of 0-9 begins, found
    by `bytes.find` on a copy marking the digits (~3x faster than the regex's scan)."""
    if not text.isascii():
        return [m.start() for m in _DIGIT_START.finditer(text)]
    marks = text.encode("ascii").translate(_DIGIT_MARKS)
    out: list[int] = []
    i = marks.find(b"0")
    while i >= 0:
        out.append(i)
        j = marks.find(b" ", i)
        if j < 0:
            break
        i = marks.find(b"0", j)
    return out


@cache
def _number_word() -> re.Pattern[str]:
    """Every number word ("five", "dozens"), lower case, as one trie: it opens with literal
    letters, so the engine skips to their first letters."""
    return re.compile(trie_pattern(set(number_words())))


@cache
def _number_literals() -> Literals:
    """The same words, all found in one pass (overlapping ones too: a superset of the trie's
    match starts, which is all `_candidates` needs)."""
    return Literals(number_words())


def _is_number_char(c: str) -> bool:
    """What a digit hit opens with: `\\d` (`str.isdecimal`) or a fraction character."""
    return c.isdecimal() or c in FRACTION_CHARS


def _is_word_char(c: str) -> bool:
    """What the regex engine's `\\w` (and so `\\b`) counts as a word character in a str."""
    return c.isalnum() or c == "_"


def _candidates(text: str, low: str) -> list[int]:
    """Sorted positions where a hit may begin (a superset; duplicates are harmless)."""
    out = digit_starts(text)
    words = _number_literals().starts(low)
    if words is None:  # (a lone surrogate)
        words = [m.start() for m in _number_word().finditer(low)]
    for q in words:
        if q and _is_word_char(text[q - 1]):
            continue  # inside a word ("someone", "often"): no word boundary before it
        out.append(q)
        k = q
        while k and text[k - 1].isspace():
            k -= 1
        if 0 < k < q:  # "a dozen", "an hundred": the article may open the hit
            # a hit opens with a digit or fraction or at a word start (`\b`): "the five"
            # gives no candidate at "e" or "h"
            for a in (k - 1, k - 2) if k >= 2 else (k - 1,):
                if a == 0 or not _is_word_char(text[a - 1]) or _is_number_char(text[a]):
                    out.append(a)
    out.sort()
    return out


def number_hits(text: str, master: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """What `master.finditer(text)` yields, for the master pattern of `quantities`."""
    low = FoldedText(text).lower
    if low is None:  # letters whose case folding reaches ASCII: the lower-cased text would lie
        yield from master.finditer(text)
        return
    pos = 0
    for c in _candidates(text, low):
        if c < pos:
            continue  # inside the last hit
        m = master.match(text, c)
        if m is not None:
            yield m
            pos = m.end()
