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
from typing import Final

from pipeline.claims.cues import Cue, load_cues
from pipeline.claims.word_scans import word_char_at

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


class _Forms:
    """The forms opening with one word: the word alone, and the longer ones, longest first."""

    def __init__(self) -> None:
        self.single: Cue | None = None
        self.longer: list[tuple[list[str], Cue]] = []  # (the words after the first, entry)


_BY_FIRST: dict[str, _Forms] = {}  # filled at first use (a global: no `@cache` call a probe)


def _forms() -> dict[str, _Forms]:
    """First word -> its forms."""
    if not _BY_FIRST:
        for form, entry in load_cues().verbs.items():
            first, *rest = form.split(" ")
            forms = _BY_FIRST.get(first)
            if forms is None:
                forms = _BY_FIRST[first] = _Forms()
            if rest:
                forms.longer.append((rest, entry))
            else:
                forms.single = entry
        for forms in _BY_FIRST.values():
            forms.longer.sort(key=lambda item: -len(item[0]))
    return _BY_FIRST


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
    if pos > 0 and word_char_at(text, pos - 1):
        return None  # `\b` before the form (the regex reads the character before pos too)
    q = _run_end(text, pos + 1, n)
    if q < n and word_char_at(text, q):
        return None  # a letter, digit or "_" goes on: no form can end inside the word
    forms = _forms().get(text[pos:q])
    if forms is None:
        return None
    if forms.longer:
        hit = _longer_at(text, pos, q, n, forms.longer)
        if hit is not None:
            return hit
    if forms.single is None:
        return None
    return VerbHit(pos, q, text[pos:q], forms.single)


def _longer_at(
    text: str, pos: int, q: int, n: int, longer: list[tuple[list[str], Cue]]
) -> VerbHit | None:
    """The longest of `longer` (words after the first) that the text's next words spell, each
    after white space, with a word boundary after its last word."""
    words: list[str] = []
    ends: list[int] = []
    ok: list[bool] = []  # a word boundary after word i (end of text, or not `\w`)
    most = len(longer[0][0])
    while len(words) < most and q < n and text[q].isspace():
        r = q
        while r < n and text[r].isspace():
            r += 1
        q = _run_end(text, r, n)
        if q == r:
            break
        words.append(text[r:q])
        ends.append(q)
        ok.append(q >= n or not word_char_at(text, q))
        if not ok[-1]:
            break
    for rest, entry in longer:
        k = len(rest)
        if k <= len(words) and ok[k - 1] and rest == words[:k]:
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
