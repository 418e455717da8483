"""Numbers as written (digits, fractions, number words) -> floats, kept apart from unit logic."""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.quantity_lexicon import cased, number_words

_UNICODE_FRACTIONS: Final = {
    "½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3,
    "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
}  # fmt: skip
_FRAC_CHARS: Final = "".join(_UNICODE_FRACTIONS)

#: Digits with thousands separators ("2,000", Indian "12,34,567", tokenized "10, 000"),
#: decimals, and simple or mixed fractions ("1/2", "10 1/2", "1½").
DIGITS: Final = (
    rf"\d{{1,2}}/\d{{1,2}}(?![\d/])"
    rf"|(?:\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d{{1,2}}(?:,\d{{2}})+,\d{{3}}(?!\d)"
    rf"|\d{{1,3}}(?:, \d{{3}}(?![\d,]))+|\d+)(?:\.\d+)?"
    rf"(?:\s\d{{1,2}}/\d{{1,2}}(?![\d/])|[{_FRAC_CHARS}])?"
    rf"|[{_FRAC_CHARS}]"
)


def _word_alternation(kinds: set[str]) -> str:
    """The number words of those kinds as one alternation factored like a trie ("t(?:en|h…)"):
    the regex engine tries a handful of first letters instead of every word at every word start.
    Greedy optional tails keep the longest word first, as a longest-first list did."""
    trie: dict[str, dict] = {}
    for word in (w for w, (_, k) in number_words().items() if k in kinds):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_W: Final = _word_alternation({"unit", "hundred", "scale", "dozen", "frac"})
#: Characters a DIGITS hit can start with besides digits, and letters a WORDS or PLURAL_WORDS
#: hit can start with ("a dozen"): a cheap test before the alternations.
FRACTION_CHARS: Final = _FRAC_CHARS
FIRST_LETTERS: Final = "".join(sorted({w[0] for w in number_words()} | {"a"}))
#: Every character those letters match case-insensitively, for a case-sensitive class.
WORD_FIRST_CHARS: Final = "".join(sorted(cased(ch)[1:-1] for ch in FIRST_LETTERS))
#: A run of number words ("ninety five", "three quarters billion", "a dozen", "twenty-one").
WORDS: Final = (
    rf"(?i:\b(?:an?\s+(?=(?:dozen|hundred|thousand|million|billion|half|quarter)\b))?"
    rf"(?:{_W})\b(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_W})\b)*)"
)
#: "dozens of", "thousands of": vague plurals read as their base value.
PLURAL_WORDS: Final = rf"(?i:\b(?:{_word_alternation({'plural'})})\b(?=\s+of\b))"


def parse_digits(s: str) -> float:
    """Value of a DIGITS match: "2,000" -> 2000, "10 1/2" -> 10.5, "½" -> 0.5."""
    frac = 0.0
    if s and s[-1] in _UNICODE_FRACTIONS:
        frac, s = _UNICODE_FRACTIONS[s[-1]], s[:-1]
    if "/" in s:
        whole, _, part = s.rpartition(" ")
        num, den = part.split("/")
        frac += int(num) / int(den) if int(den) else 0.0
        s = whole
    s = s.replace(",", "").replace(" ", "")
    return (float(s) if s else 0.0) + frac


_SPLIT: Final = re.compile(r"\s*-\s*|\s+")
_LETTERS: Final = re.compile(r"[A-Za-z]+")  # compiled once: `re.finditer` looks it up per call


def parse_words(s: str) -> tuple[float, int, bool] | None:
    """Value of a WORDS match, with how many characters of it form one number.

    Returns (value, length, only_fraction); the number stops before an "and" that does not
    follow hundred/thousand ("five and six" is two numbers). None when nothing parses.
    """
    table = number_words()
    total = current = 0.0
    seen_digit = False
    last_kind = ""
    end = 0
    if s.isascii() and s.isalpha():  # one word ("five", "dozen"): its only run of letters
        tokens = [(s, len(s))]
    else:
        tokens = [(m.group(), m.end()) for m in _LETTERS.finditer(s)]
    for i, (tok, stop) in enumerate(tokens):
        low = tok.lower()
        if low in ("a", "an") and i == 0:
            continue
        if low == "and":
            if last_kind not in ("hundred", "scale"):
                break
            continue
        value, kind = table[low]
        if kind == "unit":
            if last_kind == "unit" and (current % 100 < 10 or value >= 10) and current % 100 != 0:
                break  # "five six" is not one number
            current += value
            seen_digit = True
        elif kind == "hundred":
            current = (current or 1.0) * value
            seen_digit = True
        elif kind == "scale":
            total += (current or 1.0) * value
            current = 0.0
            seen_digit = True
        elif kind == "dozen":
            current = (current or 1.0) * value
            seen_digit = True
        elif kind == "frac":
            current = (current or 1.0) * value
        last_kind = kind
        end = stop
    if end == 0:
        return None
    return total + current, end, not seen_digit
