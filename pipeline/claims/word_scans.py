"""Whole-text scans for lower-case words by their ending, found from the ending.

A pattern such as `\\b[a-z]{2,}ing\\b` makes the regex engine test a word boundary and a
letter class at every position of the text, and nearly every position fails. Its ending is a
literal, which the engine finds with a fast substring search; the few hits are extended back
over lower-case letters here. The matches are the same: inside a run of [a-z] there is no word
boundary, so such a match is always a whole run of lower-case letters that starts a word.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.model import Span

_ING: Final = re.compile(r"ing\b")  # `\b[a-z]{2,}ing\b`
_LY: Final = re.compile(r"ly\s+")  # `\b[a-z]{3,}ly\s+`


def _is_word_char(c: str) -> bool:
    """What the regex engine's `\\w` (and so `\\b`) counts as a word character in a str."""
    return c.isalnum() or c == "_"


def word_char_at(text: str, p: int) -> bool:
    """`\\w` of a `str` pattern at text[p], ASCII by integer compares (C in the compiled build)."""
    o = ord(text[p])
    if o < 128:
        return 48 <= o <= 57 or 65 <= o <= 90 or 97 <= o <= 122 or o == 95
    return text[p].isalnum()


def _lower_words(text: str, ending: str, spaces: bool, min_stem: int) -> list[Span]:
    """Spans of `\\b[a-z]{min_stem,}ENDING` matches, ENDING a literal (plus what follows it)
    that starts with a lower-case letter; as `finditer` finds them (hits of the ending never
    overlap, so neither do the words)."""
    out: list[Span] = []
    for i, end in _ending_hits(text, ending, spaces):
        j = i
        while j and 97 <= ord(text[j - 1]) <= 122:  # a-z (compiled, `ord` is a C integer)
            j -= 1
        if i - j >= min_stem and (j == 0 or not _is_word_char(text[j - 1])):
            out.append((j, end))
    return out


def _ending_hits(text: str, lit: str, spaces: bool) -> list[Span]:
    """The spans of `LIT\\b` (`_ING`) or, with `spaces`, `LIT\\s+` (`_LY`) as `finditer` finds
    them, by `str.find` of the literal: no match object per hit (a literal of distinct letters
    never overlaps itself)."""
    out: list[Span] = []
    n = len(text)
    i = text.find(lit)
    while i != -1:
        end = i + len(lit)
        if spaces:
            k = end
            while k < n and text[k].isspace():  # `\s+`
                k += 1
            ok = k > end
            end = k
        else:  # `\b` after a word character: the end of the text or a non-word character
            ok = end == n or not _is_word_char(text[end])
        if ok:
            out.append((i, end))
            i = text.find(lit, end)
        else:
            i = text.find(lit, i + 1)
    return out


def ing_words(text: str) -> list[Span]:
    """Every `\\b[a-z]{2,}ing\\b` match: the -ing words a progressive or participle cue starts."""
    return _lower_words(text, "ing", False, 2)  # `_ING`


def ly_words(text: str) -> list[Span]:
    """Every `\\b[a-z]{3,}ly\\s+` match, trailing spaces included: an adverb before a cue."""
    return _lower_words(text, "ly", True, 3)  # `_LY`


def word_before_space(text: str, lo: int, stop: int, inner: bool = False) -> Span | None:
    """The group's span of `\\b([a-z]{3,})\\s+$` (with `inner`: `\\b([a-z][a-z’'-]{2,})\\s+$`)
    searched in `text[lo:stop]`, read backwards: the white space must run to `stop` (the
    class holds none), the word before it is the longest run of the class there, and the
    search's leftmost match opens at its first letter with a word boundary before it (inside
    a run of a-z there is none). A few characters read instead of a pattern tried at every
    position of the window."""
    lo, stop = max(lo, 0), min(stop, len(text))
    j = stop
    while j > lo and text[j - 1].isspace():  # `\s` is `str.isspace`
        j -= 1
    if j == stop:
        return None  # no white space before `stop`
    r = j
    while r > lo and _in_word(ord(text[r - 1]), inner):
        r -= 1
    for p in range(r, j - 2):  # at least three characters
        if 97 <= ord(text[p]) <= 122 and (p == 0 or not _is_word_char(text[p - 1])):
            return p, j
    return None


def _in_word(o: int, inner: bool) -> bool:
    """a-z, and with `inner` also ’ ' -."""
    return 97 <= o <= 122 or (inner and (o == 0x2019 or o == 39 or o == 45))
