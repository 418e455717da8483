"""Text helpers the attribution rules share: words and trims, auxiliaries, objects, time
phrases. Plain functions of the text, no state: each rule module imports what it needs."""

from __future__ import annotations

import re
from functools import cache
from typing import Final, NamedTuple

from pipeline.claims.cues import trie_pattern
from pipeline.claims.model import Span
from pipeline.claims.sources import LEXICON_DIR, np_after, word_list
from pipeline.claims.triggers import literal_openings
from pipeline.claims.word_scans import word_char_at

_WS: Final = re.compile(r"\s*")  # `skip_space` gives `_WS.match(text, pos).end()`
_WORD_RE: Final = re.compile(r"\w+")
_THAT: Final = re.compile(r"\s+that\b", re.IGNORECASE)
_OF: Final = re.compile(r"\s+of\s", re.IGNORECASE)
_SPEECH_FRAMES: Final = frozenset({"clause", "that", "any", "obj"})
_TIME_BEFORE: Final = re.compile(
    r"\s(?:(?:on|last|this|late|early|earlier)\s+(?:monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|week|month|year|night|morning|evening|afternoon)"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*$",
    re.IGNORECASE,
)
_TIME_WORDS: Final = frozenset(re.findall(r"[a-z]+", _TIME_BEFORE.pattern))  # its last word is one


_OPENING_CHARS: Final = 16  # `_may_open_time` reads this many characters: no opening is longer


def _time_phrases() -> list[str]:
    lines = (LEXICON_DIR / "time_phrases.txt").read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


@cache
def _time_re() -> re.Pattern[str]:
    return re.compile(r"(?:\s*,?\s*(?:" + "|".join(_time_phrases()) + r"))*", re.IGNORECASE)


@cache
def _time_openings() -> tuple[str, ...] | None:
    """Lower-case words one of which opens every time phrase ("on", "last", "in", …), or None
    when a phrase opens otherwise (then `_skip_time` always runs the regex)."""
    out: set[str] = set()
    for phrase in _time_phrases():
        words = literal_openings(phrase)
        if words is None or max(map(len, words)) > _OPENING_CHARS:
            return None
        out |= words
    return tuple(sorted(out))


def _may_open_time(text: str, pos: int, hi: int) -> bool:
    """False only when `_time_re` cannot match a phrase at `pos`: most calls (a cue followed
    by "that", "the", a name) then skip the regex, which tries its ~11 case-insensitive
    phrases a few times over at every call. Every phrase opens with a letter of one of
    `_time_openings`, after the `\\s*,?\\s*` the regex allows: a text that does not hold
    one there cannot match. Only ASCII is judged (str.lower equals the regex's case folding
    there); a non-ASCII character nearby always runs the regex."""
    openings = _time_openings()
    if openings is None:
        return True
    q = pos
    while q < hi and text[q].isspace():  # `\s` is str.isspace
        q += 1
    if q < hi and text[q] == ",":
        q += 1
    while q < hi and text[q].isspace():
        q += 1
    if q >= hi:
        return False  # nothing left for a phrase
    chunk = text[q : q + _OPENING_CHARS]
    return not chunk.isascii() or chunk.lower().startswith(openings)


@cache
def _trailing_time_re() -> re.Pattern[str]:
    alts = "|".join(_time_phrases())
    return re.compile(r"(?:\s*,?\s+(?:" + alts + r"))+$", re.IGNORECASE)


class _TrailingParts(NamedTuple):
    """`_trailing_time_re` taken apart for `trailing_time_start`."""

    starts: re.Pattern[str]  # on the lower-cased text: a space before a phrase's opening word
    tail: re.Pattern[str]  # phrases from there to the end, as the whole pattern requires


@cache
def _trailing_parts() -> _TrailingParts | None:
    openings = _time_openings()
    if openings is None or not all(w[:1].isalpha() for w in openings):
        return None
    alts = "|".join(_time_phrases())
    return _TrailingParts(
        re.compile(rf"\s(?={trie_pattern(set(openings))})"),
        re.compile(r"(?:" + alts + r")(?:\s*,?\s+(?:" + alts + r"))*$", re.IGNORECASE),
    )


def trailing_time_start(text: str, low: str | None, lo: int, stop: int) -> int:
    """Where `_trailing_time_re().search(text, lo, stop)` matches (-1: nowhere), found faster.

    The search tries the pattern at every position, and at every space its ~11
    case-insensitive phrases, a few times over: ~8 µs for the ~100 characters before a
    content's end. But every phrase opens with a letter of one of `_time_openings`, right
    after a space. So only the spaces before an opening word are tried, left to right, by
    the phrases-to-the-end pattern at the opening word; the first that matches gives the
    match, which starts where the `\\s*,?\\s+` before that word can begin (back over
    spaces, one comma, spaces, not before `lo`): a match at an earlier position would open
    with an earlier phrase. The opening words are found case-sensitively in `low`, the text
    lower-cased by `FoldedText` (None: the text has characters whose case folding reaches
    ASCII, and the plain search runs)."""
    parts = _trailing_parts()
    if parts is None or low is None:
        m = _trailing_time_re().search(text, lo, stop)
        return -1 if m is None else m.start()
    for q in _opening_spaces(low, lo, stop):
        if parts.tail.match(text, q, stop) is None:
            continue
        j = q
        while j > lo and text[j - 1].isspace():
            j -= 1
        if j > lo and text[j - 1] == ",":
            j -= 1
            while j > lo and text[j - 1].isspace():
                j -= 1
        return j
    return -1


class _OpeningTable(NamedTuple):
    """`_time_openings` by their first two letters, for `_opening_spaces`."""

    pairs: bytes  # 1 at o1 * 128 + o2 when an opening starts with chr(o1) + chr(o2)
    by_first: list[tuple[str, ...]]  # the openings by the ASCII code of their first letter


_OPENING_TABLE: list[_OpeningTable] = []  # built at first use (a global: no `@cache` call)
_ASCII_SPACE: Final = bytes(1 if chr(o).isspace() else 0 for o in range(128))


def _opening_table(openings: tuple[str, ...]) -> _OpeningTable:
    if not _OPENING_TABLE:
        pairs = bytearray(128 * 128)
        by_first: list[list[str]] = [[] for _ in range(128)]
        for word in openings:
            pairs[ord(word[0]) * 128 + ord(word[1])] = 1
            by_first[ord(word[0])].append(word)
        _OPENING_TABLE.append(_OpeningTable(bytes(pairs), [tuple(w) for w in by_first]))
    return _OPENING_TABLE[0]


def _opening_spaces(low: str, lo: int, stop: int) -> list[int]:
    """`[m.end() for m in _trailing_parts().starts.finditer(low, lo, stop)]`: after every white
    space in `low[lo:stop]` followed by an opening word that ends by `stop`, found by a loop
    (two letters looked up in a table) instead of the pattern's scan of every position."""
    openings = _time_openings()
    out: list[int] = []
    if openings is None:
        return out
    table = _opening_table(openings)
    pairs = table.pairs
    for p in range(max(lo, 0), min(stop, len(low)) - 2):
        o = ord(low[p])
        if (_ASCII_SPACE[o] == 0) if o < 128 else not low[p].isspace():
            continue
        o1, o2 = ord(low[p + 1]), ord(low[p + 2])
        if o1 >= 128 or o2 >= 128 or pairs[o1 * 128 + o2] == 0:
            continue  # no opening word starts with these two letters
        if low.startswith(table.by_first[o1], p + 1, stop):
            out.append(p + 1)
    return out


def _last_word(text: str, end: int) -> str:
    """The lower-case word ending at `end`, past spaces and one comma."""
    j = end
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j > 0 and text[j - 1] == ",":
        j -= 1
    k = j
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    return text[k:j].lower()


def _time_last(text: str, end: int) -> bool:
    return _last_word(text, end) in _TIME_WORDS


def _skip_time(text: str, pos: int, hi: int) -> int:
    while True:
        if not _may_open_time(text, pos, hi):
            return pos  # the regex would match the empty string here
        m = _time_re().match(text, pos, hi)
        end = m.end() if m else pos
        while pos < end < hi and text[end - 1].isalnum() and text[end].isalnum():
            end += 1  # a lazy "… to [a name]" tail stops after one letter: finish the word
        if end == pos:
            return pos
        pos = end


_NEGATIONS: Final = frozenset({"not", "n't", "did", "does", "do"})  # (a set built once)


def _strip_aux(text: str, cue_start: int, lo: int) -> int:
    """Move left over auxiliaries/adverbs before a cue; returns where the source NP must end."""
    aux = word_list("aux.txt")
    end = cue_start
    while True:
        j = end
        while j > lo and text[j - 1].isspace():
            j -= 1
        k = j
        while k > lo and (text[k - 1].isalpha() or text[k - 1] in "'’"):
            k -= 1
        word = text[k:j].lower()
        if k < j and (word in aux or word in _NEGATIONS):
            end = k
            continue
        return j


_OBJECT_PRONOUN: Final = re.compile(r"(?:me|him|her|us|them|you|it)\b", re.IGNORECASE)


def object_after(text: str, start: int, hi: int) -> Span | None:
    """The object of "told", "asked", "warned": a noun phrase or an object pronoun ("told him")."""
    obj = np_after(text, start, hi)
    if obj is None:
        m = _OBJECT_PRONOUN.match(text, start, hi)
        return m.span() if m else None
    return obj


def may_end_with(text: str, a: int, end: int, words: tuple[str, ...]) -> bool:
    """False only when `text[a:end]`, past its trailing white space, does not end with one
    of `words` (lower-case ASCII) in any case: a gate before a case-insensitive pattern whose
    every match ends with one of them and then `\\s*$`. Only ASCII is judged (lower-casing is
    the regex's case folding there); a non-ASCII character lets the pattern run."""
    j = end
    while j > a and text[j - 1].isspace():  # `\s` is `str.isspace`
        j -= 1
    tail = text[max(a, j - 8) : j]
    return not tail.isascii() or tail.lower().endswith(words)


def may_open_with(text: str, p: int, hi: int, words: tuple[str, ...]) -> bool:
    """False only when `text[p:hi]`, past one opening quote mark, does not start with one of
    `words` (lower-case ASCII) in any case: a gate before a case-insensitive pattern anchored
    at p whose every match opens so. Non-ASCII lets the pattern run."""
    if p < hi and text[p] in "\"“'‘":
        p += 1
    if p >= hi:
        return False
    head = text[p : p + 9]
    return not head.isascii() or head.lower().startswith(words)


def skip_space(text: str, pos: int) -> int:
    """`_WS.match(text, pos).end()`: past the white space at `pos` (`\\s` is `str.isspace`; a
    position outside the text is clipped to it, as the regex clips it). A loop over a few
    characters instead of a regex call and a match object, ~10 times a document."""
    n = len(text)
    if pos >= n:
        return n
    if pos < 0:
        pos = 0
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def trim(text: str, start: int, end: int) -> Span:
    """Trim spaces and a clause's trailing comma/semicolon (quote marks are kept)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _words(text: str, span: Span) -> int:
    return len(_WORD_RE.findall(text, span[0], span[1]))


def _words_upto(text: str, span: Span, cap: int) -> int:
    """`min(_words(text, span), cap)`: the rules only compare a content's word count with a
    small number, and counting stops there instead of listing every word of the content
    (a `findall` of ~20 strings for each of the ~4 contents a document pushes)."""
    n = 0
    if cap <= 0:
        return n
    # the runs of `\w` (alphanumeric or "_") in the span, counted by a loop: no match objects
    p, hi = max(span[0], 0), min(span[1], len(text))
    while p < hi:
        if word_char_at(text, p):
            n += 1
            if n >= cap:
                break
            p += 1
            while p < hi and word_char_at(text, p):
                p += 1
        else:
            p += 1
    return n
