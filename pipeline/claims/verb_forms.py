"""Cue verb forms read off the text by hand: what `load_cues().verb_re.match` finds, without it.

The rules probe the cue-verb pattern at ~20 places a document (`cue_openings` says where a
form's first word starts), each a regex call, a match object and its method calls. The forms
are lower-case ASCII words joined by single spaces (`\\s+` in the pattern, `cues.trie_pattern`),
and the pattern is `\\b(?=[a-z])TRIE\\b`, the trie greedy at every node: a match is the longest
form whose words are the text's words from `pos` (maximal runs of a-z, white space between)
and after which a word boundary follows. That is read here with plain loops (compiled by
mypyc) and a dict of forms by first word. `tests/test_verb_forms.py` compares it with the
regex at every position of real articles and on strings built to break it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from pipeline.claims.cues import Cue, load_cues

_MAX_WORDS: Final = 8  # no form has more words (a test checks)


class VerbHit:
    """A cue verb form at `[start, end)`, with the regex match's methods the rules call."""

    def __init__(self, start: int, end: int, surface: str, entry: Cue) -> None:
        self._start = start
        self._end = end
        self._surface = surface
        self.entry = entry  # `lookup_verb(surface)`

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self) -> str:
        return self._surface


@cache
def _forms() -> dict[str, list[tuple[list[str], Cue]]]:
    """First word -> (the form's words, its entry), longest form first."""
    out: dict[str, list[tuple[list[str], Cue]]] = {}
    for form, entry in load_cues().verbs.items():
        words = form.split(" ")
        out.setdefault(words[0], []).append((words, entry))
    for forms in out.values():
        forms.sort(key=lambda item: -len(item[0]))
    return out


def _is_word_char(ch: str) -> bool:
    """`\\w` of a `str` pattern: alphanumeric (as `str.isalnum` says) or an underscore."""
    return ch.isalnum() or ch == "_"


def _run_end(text: str, pos: int, hi: int) -> int:
    """The end of the run of a-z letters at `pos` (not past `hi`)."""
    while pos < hi:
        o = ord(text[pos])  # (compiled, `ord` is a machine integer; a str compare is not)
        if o < 97 or o > 122:
            break
        pos += 1
    return pos


def verb_at(text: str, pos: int, hi: int) -> VerbHit | None:
    """`load_cues().verb_re.match(text, pos, hi)` as a `VerbHit` (0 <= pos)."""
    n = min(hi, len(text))  # the regex reads the text as if it ended at hi
    if pos >= n or _run_end(text, pos, pos + 1) == pos:
        return None  # no a-z letter at pos
    if pos > 0 and _is_word_char(text[pos - 1]):
        return None  # `\b` before the form (the regex reads the character before pos too)
    q = _run_end(text, pos, n)
    if q < n and _is_word_char(text[q]):
        return None  # a letter, digit or "_" goes on: no form can end inside the word
    forms = _forms().get(text[pos:q])
    if forms is None:
        return None
    # the text's next words, each after white space, while one may continue a form
    words = [text[pos:q]]
    ends = [q]
    ok = [True]  # a word boundary after word i (end of text, or not `\w`)
    longest = len(forms[0][0])
    while len(words) < longest and q < n and text[q].isspace():
        r = q
        while r < n and text[r].isspace():
            r += 1
        q = _run_end(text, r, n)
        if q == r:
            break
        words.append(text[r:q])
        ends.append(q)
        ok.append(q >= n or not _is_word_char(text[q]))
        if not ok[-1]:
            break
    for form, entry in forms:
        k = len(form)
        if k <= len(words) and ok[k - 1] and form == words[:k]:
            return VerbHit(pos, ends[k - 1], text[pos : ends[k - 1]], entry)
    return None


def verb_hits(text: str, starts: list[int] | None, lo: int, hi: int) -> list[VerbHit]:
    """`verb_re.finditer(text, lo, hi)` as hits, tried only at `starts` (sorted offsets where a
    form's first word starts, `cue_openings`; None: every match of the regex itself)."""
    if starts is None:
        return [_hit(m) for m in load_cues().verb_re.finditer(text, lo, hi)]
    out: list[VerbHit] = []
    last = lo
    i = _first_at_or_after(starts, lo)
    while i < len(starts):
        p = starts[i]
        i += 1
        if p >= hi:
            break
        if p < last:
            continue  # inside the previous match, as the scan skips it
        hit = verb_at(text, p, hi)
        if hit is not None:
            out.append(hit)
            last = hit.end()
    return out


def _first_at_or_after(starts: list[int], lo: int) -> int:
    """`bisect.bisect_left(starts, lo)`."""
    a, b = 0, len(starts)
    while a < b:
        mid = (a + b) // 2
        if starts[mid] < lo:
            a = mid + 1
        else:
            b = mid
    return a


def _hit(m: re.Match[str]) -> VerbHit:
    entry = load_cues().verbs.get(" ".join(m.group().split()))
    assert entry is not None  # every match of verb_re is a form
    return VerbHit(m.start(), m.end(), m.group(), entry)
