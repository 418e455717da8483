"""The counted noun after a bare number ("100 armor pieces" -> "armor piece"), without a tagger.

Reads up to four words after the number and stops at function words, verbs-in-waiting and the
first plural; the head must agree in number with the value (so "the 8088 chip" is no count).
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.quantity_lexicon import context

_WORD: Final = re.compile(r"[ \t]+([A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*)")
_OF_DET: Final = re.compile(
    r"(?i:[ \t]+of(?:[ \t]+(the|these|those|his|her|their|its|our|my|your))?)\b"
)
_MAX_WORDS: Final = 4
_BLANKS: Final = (" ", "\t")  # what `_WORD` and `_OF_DET` open with


def _may_be_of(text: str, pos: int) -> bool:
    """Whether `_OF_DET` can match at pos: blanks, then "o" (any character that is not ASCII
    goes on to the pattern); most counted nouns follow the number without an "of"."""
    n = len(text)
    k = pos
    while k < n and text[k] in _BLANKS:
        k += 1
    return pos < k < n and (text[k] in "oO" or not text[k].isascii())


def _word_at(text: str, pos: int) -> re.Match[str] | None:
    """`_WORD.match(text, pos)`, tried only where it can match: after the number, the next
    character is often a "," or "." rather than a space (kept for the tests)."""
    return _WORD.match(text, pos) if text[pos : pos + 1] in _BLANKS else None


def _is_letter(c: str) -> bool:
    """`[A-Za-z]`."""
    return "a" <= c <= "z" or "A" <= c <= "Z"


def _word_span(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of group 1 of `_WORD.match(text, pos)`, read by hand: blanks, then ASCII
    letters, then hyphen-joined runs of them (the greedy match; no regex call and no match
    object per word)."""
    n = len(text)
    k = pos
    while k < n and (text[k] == " " or text[k] == "\t"):
        k += 1
    if k == pos or k >= n or not _is_letter(text[k]):
        return None
    e = k + 1
    while e < n and _is_letter(text[e]):
        e += 1
    while e + 1 < n and text[e] == "-" and _is_letter(text[e + 1]):
        e += 2
        while e < n and _is_letter(text[e]):
            e += 1
    return k, e


def is_plural(word: str) -> bool:
    """Plural-looking English noun ("fighters", "people", "cities"), not "bus" or "loss"."""
    low = word.lower()
    ctx = context()
    if low in ctx["irregular_plurals"]:
        return ctx["irregular_plurals"][low] != low or low in ("people", "police", "cattle")
    return (
        len(low) > 2
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and low not in ctx["singular_s_words"]
    )


def singular(word: str) -> str:
    """Lower-case singular of a plural noun by the regular English rules plus exceptions."""
    low = word.lower()
    irregular = context()["irregular_plurals"]
    if low in irregular:
        return str(irregular[low])
    if not is_plural(low):
        return low
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "sses", "zzes")):
        return low[:-2]
    return low[:-1]


def _adjectival(word: str) -> bool:
    return word[0].isupper() or word.lower().endswith(tuple(context()["adjective_suffixes"]))


def counted_noun(text: str, pos: int, plural: bool, value: float) -> tuple[str, str, int] | None:
    """(surface, normalized, end) of the noun counted by the number ending at pos, or None.

    With plural=True (the number was "dozens"/"thousands") an "of" must follow; otherwise
    "of the ..." is allowed ("one of the computers").
    """
    stop = context()["stop"]
    of = _OF_DET.match(text, pos) if _may_be_of(text, pos) else None
    if plural:
        if of is None:
            return None
        pos = of.end()
    elif of is not None and of.group(1):
        pos = of.end()
        plural = True  # "one of the computers": the noun after "of the" is plural
    words: list[tuple[int, int]] = []  # (start, end) of each word
    coordinated = False
    cur = pos
    while len(words) < _MAX_WORDS:
        m = _word_span(text, cur)
        if m is None:
            break
        low = text[m[0] : m[1]].lower()
        if low in stop:
            nxt = _word_span(text, m[1])
            if (
                low in ("and", "or")
                and words
                and all(_adjectival(text[a:b]) for a, b in words)
                and nxt is not None
                and text[nxt[0] : nxt[1]].lower() not in stop
            ):
                coordinated = True
                cur = m[1]
                continue
            break
        low_plural = is_plural(low)
        if words and low.endswith(("ed", "ing")) and not low_plural:
            break
        words.append(m)
        cur = m[1]
        if low_plural or value == 1:
            break
    if not words:
        return None
    head = text[words[-1][0] : words[-1][1]]
    head_plural = is_plural(head)
    if head.lower().endswith(("ed", "ing")) and not head_plural:
        return None  # "one captured", "two running": a verb, not a counted noun
    if (value == 1) == head_plural and not plural:
        return None
    if value != 1 and not head_plural:
        return None
    parts = [singular(head)] if coordinated else [text[a:b].lower() for a, b in words[:-1]]
    if not coordinated:
        parts.append(singular(head))
    start = words[0][0]
    end = words[-1][1]
    return text[start:end], " ".join(parts), end
