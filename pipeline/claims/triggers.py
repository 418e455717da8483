"""Cheap tests that a case-insensitive rule pattern cannot match in a sentence.

Most sentences fire no rule, and Python's regex engine pays for every character it tries,
however rare the words a pattern needs. A pattern's *required words* (every match contains
one word of each set) are read off its parsed form once; a document is lower-cased once, and
a sentence lacking a required word is skipped with a few fast substring searches instead of a
regex scan. The test is a strict necessary condition, so skipping never changes a result.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parsed form of a pattern: no public API offers it
from re import _parser
from typing import Final

Clause = frozenset[str]  # one of these words occurs in every match

#: The only characters whose case-insensitive match or lower case is an ASCII letter besides
#: the letters themselves (İ, dotless ı, long ſ, Kelvin K; checked by a test over all of
#: Unicode). A text holding one gets no shortcut.
CASE_ODD: Final = frozenset("\u0130\u0131\u017f\u212a")
_MIN_WORD: Final = 3  # shorter required strings ("is", "to") occur everywhere: not worth a search


def required_words(pattern: re.Pattern[str]) -> list[Clause] | None:
    """Sets of lower-case ASCII strings such that every match of `pattern` contains one string
    of each set; None when nothing useful is known (then the pattern must always run)."""
    clauses = _clauses(_parser.parse(pattern.pattern, pattern.flags).data)
    return [c for c in clauses if min(map(len, c)) >= _MIN_WORD] or None


def _clauses(items: list) -> list[Clause]:
    """The clauses a sequence of parsed items requires: runs of literal characters, and what
    every alternative of a group, a repeated item or a lookahead requires."""
    out: list[Clause] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL and av < 128:
            run += chr(av).lower()
            continue
        if run:
            out.append(frozenset({run}))
            run = ""
        if op is sre.SUBPATTERN:
            out += _clauses(av[-1].data)
        elif op is sre.ATOMIC_GROUP:
            out += _clauses(av.data)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            out += _clauses(av[2].data)
        elif op is sre.ASSERT and av[0] == 1:  # a lookahead matches inside the sentence too
            out += _clauses(av[1].data)
        elif op is sre.BRANCH:
            best = [_best(_clauses(alt.data)) for alt in av[1]]
            if all(best):
                out.append(frozenset().union(*best))  # type: ignore[arg-type]
    if run:
        out.append(frozenset({run}))
    return out


def _best(clauses: list[Clause]) -> Clause | None:
    """The most selective clause: longest shortest word, then fewest words."""
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)), default=None)


class FoldedText:
    """A document lower-cased once, to narrow patterns' required words to those it holds."""

    def __init__(self, text: str, enabled: bool = True) -> None:
        lowered = text.lower() if enabled else ""
        # an ASCII text (most news) holds none of CASE_ODD and keeps its length: O(1) to know
        ok = enabled and (
            text.isascii() or (len(lowered) == len(text) and not any(c in text for c in CASE_ODD))
        )
        self.lower: str | None = lowered if ok else None  # None: no shortcut for this text

    def trigger(
        self, patterns: list[list[Clause] | None], present: set[str] | None = None
    ) -> Trigger:
        """A test for "one of these patterns may match here": each pattern's clauses keep the
        words this document holds; a pattern missing every word of a clause cannot match.
        `present`: the words of the clauses that occur in `lower`, when one scan for all of
        them already found them (`literals.Literals.present`); else each is searched here."""
        low = self.lower
        if low is None or any(p is None for p in patterns):
            return Trigger(None, [])
        rows = []
        index = []
        for i, clauses in enumerate(patterns):
            if present is None:
                kept = [frozenset(w for w in c if w in low) for c in clauses]  # type: ignore[union-attr]
            else:
                kept = [c & present for c in clauses]  # type: ignore[union-attr]
            if all(kept):
                rows.append(kept)
                index.append(i)
        return Trigger(low, rows, index)


class Trigger:
    """Whether any of some patterns may match inside `text[start:end]` (see `FoldedText`)."""

    def __init__(
        self, lower: str | None, rows: list[list[Clause]], index: list[int] | None = None
    ) -> None:
        self.lower = lower  # None: always maybe
        self.rows = rows  # per pattern still possible in the document: its narrowed clauses
        # per row, its pattern's position in the list `FoldedText.trigger` was given
        self.index = index if index is not None else list(range(len(rows)))

    def may_match(self, start: int, end: int) -> bool:
        low = self.lower
        if low is None:
            return True
        for row in self.rows:  # plain loops: called for every sentence, nothing to spare
            for clause in row:
                for word in clause:
                    if low.find(word, start, end) != -1:
                        break  # this clause holds
                else:
                    break  # no word of this clause here: this pattern cannot match
            else:
                return True  # every clause holds: the pattern may match
        return False

    def which(self, start: int, end: int) -> list[int] | None:
        """Positions of the patterns that may match inside `text[start:end]`, in order (the
        test of `may_match`, pattern by pattern); None when every pattern may."""
        low = self.lower
        if low is None:
            return None
        out: list[int] = []
        for k, row in enumerate(self.rows):
            for clause in row:
                for word in clause:
                    if low.find(word, start, end) != -1:
                        break
                else:
                    break
            else:
                out.append(self.index[k])
        return out


def literal_openings(pattern: str) -> set[str] | None:
    """Lower-case ASCII strings one of which opens every match of `pattern` (compiled with
    IGNORECASE): its leading literal characters, through groups of literal alternatives
    ("(?:on|last) week" -> {"on", "last"}); None when a match may open otherwise."""
    return _openings(_parser.parse(pattern, re.IGNORECASE).data)


def _openings(items: list) -> set[str] | None:
    out = {""}
    for op, av in items:
        if op is sre.LITERAL and av < 128:
            out = {s + chr(av).lower() for s in out}
            continue
        alts = _literal_alternatives(av[-1].data if op is sre.SUBPATTERN else [(op, av)])
        if alts is None:
            break  # the openings so far are prefixes of every match: still a valid answer
        out = {s + a for s in out for a in alts}
    return None if "" in out else out


def _literal_alternatives(items: list) -> set[str] | None:
    """The strings a group matches when it is a plain literal or a choice of literals
    (a single character class of ASCII literals included); else None."""
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        branches = [b.data for b in items[0][1][1]]
    elif len(items) == 1 and items[0][0] is sre.IN:
        branches = [[item] for item in items[0][1]]
    else:
        branches = [items]
    out = set()
    for branch in branches:
        if not all(op is sre.LITERAL and av < 128 for op, av in branch):
            return None
        out.add("".join(chr(av).lower() for _, av in branch))
    return out
