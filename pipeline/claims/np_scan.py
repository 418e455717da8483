"""The two scans of `sources.np_before` read by hand: the last break mark before a cue, and
the words of the stretch before it.

`np_before` runs for most cues (~8 a document) over a window of up to 160 characters: a
`finditer` of the break pattern over all of it to keep the last match, then a `finditer` of the
word pattern, a match object per word. Here both are plain loops over the characters (compiled
by mypyc, ASCII classified by table), ~12 and ~3 times faster on the side set's windows. They
give exactly what the patterns give (`tests/test_np_scan.py`, at every cue of real articles and
on strings built to break them):

- `sources._BREAK` is `[MARKS]|''|\\s-\\s|\\s--\\s|PERIOD` (PERIOD: `\\.` not after an initial or
  a listed abbreviation, then `\\s`). At a position, only one branch can match (they open with
  different characters; `\\s-\\s` and `\\s--\\s` differ at the third). The last match of a
  left-to-right scan starts at the rightmost position where one matches, unless an earlier
  match covers that position (only the longer branches can: a mark is in none of them), and
  then the scan itself runs. PERIOD is left to the regex (its lookbehinds), on the same window.
- `sources._WORD` is `[^\\W_](?:[\\w'’.&-]*[\\w])?\\.?|…` (the second branch never matches where
  the first fails): from an alphanumeric character, through the run of word characters and
  `'’.&-`, back to its last word character, then one period if one follows.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.model import Span

_WINDOW: Final = 160  # `np_before` looks this far back


def _tables() -> tuple[bytes, bytes]:
    """Per ASCII character: its kind for the break scan, and its class for the word scan."""
    kinds = bytearray(128)  # 1 a mark, 2 "'", 3 ".", 4 white space (`\s`)
    for c in ',;:()"[]!?':
        kinds[ord(c)] = 1
    kinds[ord("'")] = 2
    kinds[ord(".")] = 3
    word = bytearray(128)  # 1 alphanumeric, 2 "_" (a word character too), 3 `'.&-`
    for o in range(128):
        c = chr(o)
        if c.isspace():
            kinds[o] = 4
        if c.isalnum():
            word[o] = 1
        elif c == "_":
            word[o] = 2
        elif c in "'.&-":
            word[o] = 3
    return bytes(kinds), bytes(word)


_KINDS, _WORD_CLASS = _tables()
_WIDE_MARKS: Final = frozenset(ord(c) for c in "“”«»—–")  # the marks beyond ASCII
_APOSTROPHE: Final = 0x2019  # ’, inside a word like "'"


def _break_at(text: str, ws: int, end: int, p: int, pattern: re.Pattern[str]) -> int:
    """The length of `pattern`'s match at p in the window `text[ws:end]` (0: none)."""
    o = ord(text[p])
    if o < 128:
        kind = _KINDS[o]
        if kind <= 1:
            return kind  # none, or a mark
    elif o in _WIDE_MARKS:
        return 1
    elif text[p].isspace():
        kind = 4
    else:
        return 0
    if kind == 2:  # ''
        return 2 if p + 1 < end and text[p + 1] == "'" else 0
    if kind == 3:  # a period ending a sentence: the regex judges, on the window as the scan
        if p + 1 < end and text[p + 1].isspace():
            return 2 if pattern.match(text[ws:end], p - ws) is not None else 0
        return 0
    if p + 2 < end and text[p + 1] == "-":  # " - " or " -- "
        if text[p + 2].isspace():
            return 3
        if p + 3 < end and text[p + 2] == "-" and text[p + 3].isspace():
            return 4
    return 0


def last_break_end(text: str, end: int, lo: int, pattern: re.Pattern[str]) -> int:
    """Where the last match of `pattern` (`sources._BREAK`) in `text[max(lo, end - 160):end]`
    (a copy, as `np_before` scans it) ends, as an offset into `text`; -1 when none matches."""
    ws = max(lo, end - _WINDOW)
    p = end - 1
    while p >= ws:
        n = _break_at(text, ws, end, p, pattern)
        if n:
            if n > 1:  # a longer match might lie inside an earlier one: the scan decides
                for q in range(max(ws, p - 3), p):
                    if q + _break_at(text, ws, end, q, pattern) > p:
                        return _scan_last_end(text, ws, end, pattern)
            return p + n
        p -= 1
    return -1


def _scan_last_end(text: str, ws: int, end: int, pattern: re.Pattern[str]) -> int:
    cut = -1
    for m in pattern.finditer(text[ws:end]):
        cut = m.end()
    return ws + cut if cut != -1 else -1


def _is_alnum(text: str, p: int) -> bool:
    o = ord(text[p])
    return _WORD_CLASS[o] == 1 if o < 128 else text[p].isalnum()


def word_end(text: str, p: int, n: int) -> int:
    """The end of the word opening at p (alphanumeric), not past n."""
    end = q = p + 1
    while q < n:
        o = ord(text[q])
        if o < 128:
            c = _WORD_CLASS[o]
            if c == 0:
                break
            q += 1
            if c <= 2:
                end = q
        elif o == _APOSTROPHE:
            q += 1
        elif text[q].isalnum():
            q += 1
            end = q
        else:
            break
    if end < n and text[end] == ".":
        end += 1
    return end


def next_word(text: str, p: int, n: int) -> int:
    """Where the next word opens at or after p (n: none before n)."""
    while p < n and not _is_alnum(text, p):
        p += 1
    return p


def word_spans(text: str, start: int, hi: int) -> list[Span]:
    """`[m.span() for m in sources._WORD.finditer(text, start, hi)]` (0 <= start)."""
    n = min(hi, len(text))
    out: list[Span] = []
    p = next_word(text, start, n)
    while p < n:
        end = word_end(text, p, n)
        out.append((p, end))
        p = next_word(text, end, n)
    return out
