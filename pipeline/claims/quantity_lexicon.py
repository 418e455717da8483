"""Load the quantity lexicons once and compile them into regexes, so the finder stays fast."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

_DIR: Final = Path(__file__).parent / "lexicon"


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """One surface form of a unit, currency or modifier, as the lexicon gives it."""

    normalized: str
    kind: str  # unit | time | age | percent | per | currency
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Modifier:
    change: str
    in_span: bool


# Characters besides both ASCII cases that re.IGNORECASE lets match these letters.
_FOLDS: Final = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def cased(word: str) -> str:
    """A case-sensitive regex matching what `(?i:word)` matches, a class per ASCII letter (for
    the first-character tests: a case-sensitive class is the cheapest test the engine has)."""
    out = []
    for c in word:
        low = c.lower()
        if c.isascii() and c.isalpha():
            out.append(f"[{low}{low.upper()}{_FOLDS.get(low, '')}]")
        elif c.isalpha():
            out.append(f"(?i:{re.escape(c)})")
        else:
            out.append(re.escape(c))
    return "".join(out)


def _rows(name: str) -> list[list[str]]:
    lines = (_DIR / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]


def _surface_pattern(surface: str, plural: bool) -> str:
    """Regex for a surface form: any run of spaces between words, optional plural ending."""
    pat = r"\s*".join(re.escape(part) for part in surface.split(" "))
    pat = pat.replace(r"\-", r"\s*-\s*")
    if plural:
        pat += r"(?:e?s)?"
    if surface[-1].isalnum():
        pat += r"(?![^\W_])"  # a unit ends at a word boundary: "m" must not match "m212"
    return pat


def first_chars(words: list[tuple[str, bool]]) -> str:
    """A lookahead for the first characters of these (word, folded) pairs: a search then tests
    one class at each position instead of entering an alternation of hundreds of words."""
    exact = {w[0] for w, folded in words if not (folded and w[0].isalpha())}
    exact |= {c for w, folded in words if folded and w[0].isascii() for c in cased(w[0])[1:-1]}
    other = {w[0] for w, folded in words if folded and w[0].isalpha() and not w[0].isascii()}
    alts = [f"[{''.join(re.escape(c) for c in sorted(exact))}]"] if exact else []
    if other:
        alts.append(f"(?i:[{''.join(sorted(other))}])")
    return f"(?={'|'.join(alts)})"


_WHITE: Final = re.compile(r"\s+")


def _norm_key(surface: str) -> str:
    # letters and digits hold no white space: most surfaces, and no regex call for them
    if surface.isalnum() or _WHITE.search(surface) is None:
        return surface  # most surfaces: one word, nothing to normalize
    return _WHITE.sub(" ", surface.replace(" - ", "-").replace(" -", "-").replace("- ", "-"))


_SPACES: Final = re.compile(r"\s*")


class FirstCharAlternation:
    """`\\s*(?:alt1|alt2|…)` matched with only the alternatives that can start with the first
    non-space character: the same match as the whole alternation (order kept), without trying
    hundreds of units at every number. Quacks like the `re.Pattern.match` it replaces."""

    def __init__(self, alternatives: list[tuple[str, str]], eager: str = "") -> None:
        # (pattern, guard): the guard fullmatches the characters the pattern can start with
        self._alternatives = [(p, re.compile(g)) for p, g in alternatives]
        self.pattern = r"\s*(?:" + "|".join(p for p, _ in alternatives) + ")"
        self._for_char = lru_cache(maxsize=4096)(self._build)
        # the `eager` characters' patterns, built now: compiled lazily, the ~40 patterns
        # (~15 ms) were still being compiled hundreds of documents into a run; any other
        # character is built at its first use, as before
        self._by_char: dict[str, re.Pattern[str] | None] = {c: self._build(c) for c in eager}

    def _build(self, first: str) -> re.Pattern[str] | None:
        chosen = [p for p, guard in self._alternatives if guard.fullmatch(first)]
        return re.compile(r"\s*(?:" + "|".join(chosen) + ")") if chosen else None

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        endpos = len(text) if endpos is None else min(endpos, len(text))
        first = max(pos, 0)  # `_SPACES.match(text, pos, endpos).end()`: `\s` is `str.isspace`
        while first < endpos and text[first].isspace():
            first += 1
        if first >= endpos:
            return None  # every alternative needs a character
        c = text[first]
        sub = self._by_char[c] if c in self._by_char else self._for_char(c)
        return None if sub is None else sub.match(text, pos, endpos)


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Surfaces after (post) or before (pre) a number, and the regex matching any of them."""

    exact: dict[str, UnitEntry]  # case-sensitive surfaces
    folded: dict[str, UnitEntry]  # case-insensitive surfaces, lower-cased
    regex: re.Pattern[str] | FirstCharAlternation
    # how a match can end (before white space), lower case: its last two characters, or its
    # last one for the surfaces whose last character may follow anything (`_endings`)
    last_pairs: frozenset[str] = frozenset()
    last_chars: frozenset[str] = frozenset()

    def lookup(self, surface: str) -> UnitEntry | None:
        """Entry for a matched surface, trying case-sensitive, then folded, then de-pluralized."""
        key = _norm_key(surface)
        if key in self.exact:
            return self.exact[key]
        low = key.lower()
        stems = (low[:-2] if low.endswith("es") else "", low[:-1] if low.endswith("s") else "")
        for cand in (low, *stems):
            if cand and cand in self.folded:
                return self.folded[cand]
        return None


def _endings(rows: list[list[str]]) -> tuple[frozenset[str], frozenset[str]]:
    """(pairs, chars): the last two characters a match of these surfaces can end in, lower
    case ("sd" for "USD", "rs" and "es" for "dollars", "dollares"), and the last characters of
    the surfaces that may end in one character after anything ("$", "c $": `\\s*` may stand
    between the words, and around a hyphen). A caller compares lower-cased ASCII characters:
    what else re.IGNORECASE matches to an ASCII letter is not ASCII, and it lets that through."""
    pairs: set[str] = set()
    chars: set[str] = set()
    for surface, _normalized, _kind, _pos, case, *_rest in rows:
        low = surface.lower()
        if len(low) < 2 or low[-2] in " -" or low[-1] == "-":
            chars.add(low[-1])
        else:
            pairs.add(low[-2:])
        if case == "i" and len(surface) >= 3 and surface[-1].isalpha() and surface.isascii():
            pairs |= {low[-1] + "s", "es"}  # `_surface_pattern`'s plural ending
    return frozenset(pairs), frozenset(chars)


def _build_table(rows: list[list[str]], anchor_end: bool) -> UnitTable:
    exact: dict[str, UnitEntry] = {}
    folded: dict[str, UnitEntry] = {}
    pats: list[tuple[int, str, str]] = []  # length, pattern, guard on its first character
    for surface, normalized, kind, _pos, case, *rest in rows:
        scale = float(rest[0]) if rest and rest[0] else 1.0
        entry = UnitEntry(normalized, kind, scale)
        plural = case == "i" and len(surface) >= 3 and surface[-1].isalpha() and surface.isascii()
        pat = _surface_pattern(surface, plural)
        first = re.escape(surface[0])
        if case == "s":
            exact.setdefault(surface, entry)
            pats.append((len(surface), pat, first))
        else:
            folded.setdefault(surface.lower(), entry)
            pats.append((len(surface), f"(?i:{pat})", f"(?i:{first})"))
    pats.sort(key=lambda p: -p[0])
    if any(row[0][:1].isspace() or row[0][:1] == "-" for row in rows):
        raise ValueError("a unit starting with a space or hyphen has no fixed first character")
    if anchor_end:
        if any(row[0][-1:].isspace() for row in rows):
            raise ValueError("a currency ending in a space has no fixed last character")
        body = "|".join(p for _, p, _ in pats)
        starts = first_chars([(row[0], row[4] != "s") for row in rows])
        regex = re.compile(f"{starts}(?<![A-Za-z])(?:{body})\\s*\\Z")
        return UnitTable(exact, folded, regex, *_endings(rows))
    firsts = {row[0][0] for row in rows}
    eager = firsts | {v for c in firsts for v in (c.lower(), c.upper()) if len(v) == 1}
    eager |= {chr(i) for i in range(33, 127)} | set("".join(_FOLDS.values()))
    alternation = FirstCharAlternation([(p, g) for _, p, g in pats], "".join(sorted(eager)))
    return UnitTable(exact, folded, alternation)


# The tables below are loaded once into module globals rather than behind `@cache`: compiled
# code calls a cached function through its Python wrapper (an argument tuple and a dict lookup,
# ~0.1 us), and `find_quantities` asks for them several times per number.
_POST_UNITS: UnitTable | None = None
_PRE_CURRENCIES: UnitTable | None = None
_MODIFIERS: ModifierTable | None = None
_NUMBER_WORDS: dict[str, tuple[float, str]] | None = None
_CONTEXT: dict[str, Any] | None = None


def post_units() -> UnitTable:
    """Units and currencies written after a number ("2,000 kilometers", "10 $")."""
    global _POST_UNITS
    if _POST_UNITS is None:
        rows = [r for r in _rows("units.tsv") if r[3] == "post"]
        _POST_UNITS = _build_table(rows, anchor_end=False)
    return _POST_UNITS


def pre_currencies() -> UnitTable:
    """Currency symbols and codes written before a number ("$", "c $", "USD"); end-anchored."""
    global _PRE_CURRENCIES
    if _PRE_CURRENCIES is None:
        rows = [r for r in _rows("units.tsv") if r[3] == "pre"]
        _PRE_CURRENCIES = _build_table(rows, anchor_end=True)
    return _PRE_CURRENCIES


_ALNUM_TAIL: Final = re.compile(
    r"[^\W_]*\.?\Z"
)  # the letters and digits ending a word, and a period
# Characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not lower to it.
_FOLD_TO_ASCII: Final = str.maketrans({"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"})


@dataclass(frozen=True, slots=True)
class ModifierTable:
    """Modifiers by surface, and the end-anchored regex finding one before a number."""

    table: dict[str, Modifier]
    regex: re.Pattern[str]
    by_last_word: dict[str, list[str]]  # lower case; letters or digits, then maybe a period
    # `regex` over only the modifiers ending in each last word: all ~50 compiled with the table
    # (~4 ms), not when first needed, which was hundreds of documents into a run
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def before(self, text: str, lo: int, hi: int) -> re.Match[str] | None:
        """`regex.search(text, lo, hi)`, with only the modifiers whose last word ends the text
        before `hi`: most numbers follow "the", "in", "has"..., and the whole alternation would
        be tried at every word of the window.

        A modifier's last word follows white space or, for a one-word modifier, any character
        but a letter or digit; so it is all of the letters and digits (and a final period) that
        end the text before the white space in front of the number."""
        start = max(lo, hi - 24)  # longer than any last word plus a few spaces
        # `_alnum_tail(text[start:hi].rstrip())` read backwards by index: no slice, strip or
        # split per number (the chunk and its tail are tested against the copies in tests)
        k = hi
        while k > start and text[k - 1].isspace():
            k -= 1
        if k == hi:
            return None  # a modifier is followed by white space
        tail = text[_tail_start(text, start, k) : k]
        if start > lo and len(tail) == k - start:
            return self.regex.search(text, lo, hi)  # the word may begin before the chunk
        # (the folding table maps only non-ASCII letters: an ASCII word needs no translation)
        word = tail.lower() if tail.isascii() else tail.translate(_FOLD_TO_ASCII).lower()
        if word not in self.by_last_word:
            return None
        if word not in self._compiled:  # (a table built without them)
            self._compiled[word] = _modifier_regex(self.by_last_word[word])
        return self._compiled[word].search(text, lo, hi)


def _tail_start(text: str, lo: int, hi: int) -> int:
    """Where `_alnum_tail(text[lo:hi])` begins in text, read backwards from hi: the last word
    (after the last white space); all of it when it is letters and digits and maybe a final
    period (or only a period, or nothing), else the letters and digits ending it, with the
    period."""
    ws = hi
    while ws > lo and not text[ws - 1].isspace():
        ws -= 1
    e = hi - 1 if hi > ws and text[hi - 1] == "." else hi
    if e == ws or text[ws:e].isalnum():
        return ws
    p = e
    while p > ws and text[p - 1].isalnum():
        p -= 1
    return p


def _alnum_tail(text: str) -> str:
    """The letters and digits (and a final period) that end `text` (a word, usually all of it:
    tested first, as `_ALNUM_TAIL` would try every position)."""
    word = text.rsplit(None, 1)[-1] if text else ""
    core = word[:-1] if word.endswith(".") else word
    if core.isalnum() or not core:
        return word
    return _ALNUM_TAIL.search(word).group()  # type: ignore[union-attr]


def _modifier_regex(surfaces: list[str]) -> re.Pattern[str]:
    """A modifier (group 1) ending right before white space that runs to the end, longest
    surface first."""
    alts = sorted(surfaces, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts)
    starts = first_chars([(a.lstrip(), True) for a in alts])
    return re.compile(rf"{starts}(?<![^\W_])(?i:({body}))\s+\Z")


def modifiers() -> ModifierTable:
    """Words before a number that set its `change` ("more than", "around", "fell by")."""
    global _MODIFIERS
    if _MODIFIERS is None:
        _MODIFIERS = _load_modifiers()
    return _MODIFIERS


def _load_modifiers() -> ModifierTable:
    table = {r[0]: Modifier(r[1], r[2] == "yes") for r in _rows("units_modifiers.tsv")}
    by_last_word: dict[str, list[str]] = {}
    for surface in table:
        by_last_word.setdefault(surface.split()[-1].lower(), []).append(surface)
    if not all(_ALNUM_TAIL.fullmatch(word) for word in by_last_word):
        raise ValueError("a modifier must end in letters or digits, then maybe a period")
    compiled = {word: _modifier_regex(surfaces) for word, surfaces in by_last_word.items()}
    return ModifierTable(table, _modifier_regex(list(table)), by_last_word, compiled)


def number_words() -> dict[str, tuple[float, str]]:
    """Number word -> (value, kind), kind as number_words.txt explains."""
    global _NUMBER_WORDS
    if _NUMBER_WORDS is None:
        _NUMBER_WORDS = {r[0]: (float(r[1]), r[2]) for r in _rows("number_words.txt")}
    return _NUMBER_WORDS


def context() -> dict[str, Any]:
    """Word lists from units_context.json, lists turned into frozensets."""
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = _load_context()
    return _CONTEXT


def _load_context() -> dict[str, Any]:
    data = json.loads((_DIR / "units_context.json").read_text(encoding="utf-8"))
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data.items()}
