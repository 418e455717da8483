"""Every occurrence of many literal strings in one pass over a document (Aho-Corasick).

Why: a lexicon gate written as one `str.find` per word scans the document once per word (58
scans for the rare rules' trigger words), and a cue regex that opens with `\\b` is tried at
every position of the text. One automaton finds every occurrence of every word in a single
scan in native code; the callers then test only the places it reports, so their results are
exactly what the scans they replace would give.
"""

from __future__ import annotations

from collections.abc import Iterable

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
        if self._automaton is None:
            return []
        try:
            hits = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:
            return None
        return sorted({start for _, start, _ in hits})
