"""Every occurrence of many literal strings in one pass over a document (Aho-Corasick).

Why: a lexicon gate written as one `str.find` per word scans the document once per word (58
scans for the rare rules' trigger words), and a cue regex that opens with `\\b` is tried at
every position of the text. One automaton finds every occurrence of every word in a single
scan in native code; the callers then test only the places it reports, so their results are
exactly what the scans they replace would give.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ahocorasick_rs import AhoCorasick, Implementation, MatchKind


class Literals:
    """A fixed set of strings, all found at once, overlapping occurrences included."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self._automaton = (
            AhoCorasick(self.words, matchkind=MatchKind.Standard, implementation=Implementation.DFA)
            if self.words
            else None
        )

    def present(self, text: str) -> set[str]:
        """The words that occur in `text` (what `{w for w in words if w in text}` gives)."""
        if self._automaton is None:
            return set()
        try:
            return set(self._automaton.find_matches_as_strings(text, overlapping=True))
        except UnicodeEncodeError:  # a lone surrogate: the automaton reads UTF-8
            return {w for w in self.words if w in text}

    def starts(self, text: str) -> list[int] | None:
        """Sorted distinct offsets where some word occurs; None when the text cannot be
        scanned (a lone surrogate), so the caller runs its own scan."""
        hits = self.hits(text)
        return None if hits is None else sorted({start for _, start, _ in hits})

    def hits(self, text: str) -> list[tuple[int, int, int]] | None:
        """(index in `words`, start, end) of every occurrence; None for a lone surrogate."""
        if self._automaton is None:
            return []
        try:
            return self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # the automaton reads UTF-8
            return None


class LiteralGroups:
    """Several word lists found in one pass: where the words of each list occur."""

    def __init__(self, groups: Sequence[Iterable[str]]) -> None:
        masks: dict[str, int] = {}  # word -> bit k set when group k holds it
        for k, group in enumerate(groups):
            for word in group:
                masks[word] = masks.get(word, 0) | 1 << k
        self.literals = Literals(masks)
        self._masks = [masks[w] for w in self.literals.words]
        self.size = len(groups)

    def starts(self, text: str) -> list[list[int]] | None:
        """Per group, `Literals(group).starts(text)`; None for a lone surrogate."""
        hits = self.literals.hits(text)
        if hits is None:
            return None
        found: list[list[int]] = [[] for _ in range(self.size)]
        masks = self._masks
        for index, start, _ in hits:
            mask = masks[index]
            k = 0
            while mask:  # the groups holding the word (most words are in one)
                if mask & 1:
                    found[k].append(start)
                mask >>= 1
                k += 1
        return [_sorted_distinct(group) for group in found]


def _sorted_distinct(values: list[int]) -> list[int]:
    """`sorted(set(values))`, in place: the hits come nearly sorted and rarely repeat."""
    values.sort()
    out: list[int] = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


def matches_at(
    pattern: re.Pattern[str], text: str, starts: list[int] | None, lo: int, hi: int
) -> list[re.Match[str]]:
    """`pattern.finditer(text, lo, hi)` as a list, the pattern tried only at `starts` (sorted
    offsets that include every place a match can begin, from `Literals.starts`; None: try
    every position). `match(text, p, hi)` sees the same text around p as the scan does
    (`\\b` and lookbehinds read text[p - 1] in both), and a position inside an earlier match
    is skipped as the scan skips it, so the matches are the same (for a pattern that never
    matches the empty string)."""
    if starts is None:
        return list(pattern.finditer(text, lo, hi))
    out: list[re.Match[str]] = []
    last = lo
    for i in range(bisect.bisect_left(starts, lo), len(starts)):
        p = starts[i]
        if p >= hi:
            break
        if p < last:
            continue
        m = pattern.match(text, p, hi)
        if m is not None:
            out.append(m)
            last = m.end()
    return out
