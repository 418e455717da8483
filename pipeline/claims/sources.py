"""Find the source mention (a noun phrase) next to a cue, by scanning words left or right.

No parser: a source NP is a run of words without clause punctuation, stop words or verbs,
optionally opened by a determiner; a pronoun is an NP on its own.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Final

from pipeline.claims.model import Span
from pipeline.claims.np_scan import last_break_end, next_word, word_end, word_spans

LEXICON_DIR: Final = Path(__file__).parent / "lexicon"
PRONOUNS: Final = frozenset({"he", "she", "it", "they", "we", "i", "you"})
_WORD: Final = re.compile(r"[^\W_](?:[\w'’.&-]*[\w])?\.?|[^\W\d_]\.")
_INNER: Final = frozenset(
    {"of", "for", "at"}
)  # allowed inside ("Ministry of Defense"), never at an edge
_PARTITIVE: Final = frozenset({"these", "those", "them"})
_MAX_WORDS: Final = 9
_TAIL_CHARS = 60  # np_before tokenizes this much before the cue first
_BREAK_MARKS: Final = r"[,;:()\"“”«»\[\]—–!?]|''|\s-\s|\s--\s"


def _abbreviations() -> list[str]:
    lines = (LEXICON_DIR / "abbreviations.txt").read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.startswith("#")]


def _period_pattern() -> str:
    """A period that ends a sentence: not after an initial ("H.") or a listed abbreviation."""
    behind = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _abbreviations())
    return rf"\.(?<!\b[A-Z]\.){behind}\s"  # the period first: lookbehinds run only there


_BREAK: Final = re.compile(rf"{_BREAK_MARKS}|{_period_pattern()}")
_SENTENCE_BREAK: Final = re.compile(rf"[;\"“”«»!?]|''|{_period_pattern()}")


def crosses_sentence(text: str, start: int, end: int) -> bool:
    """Whether a sentence end or a quote mark lies between `start` and `end`."""
    return _SENTENCE_BREAK.search(text, start, end) is not None


_WORD_LISTS: dict[str, frozenset[str]] = {}  # by file name, read once


def word_list(name: str) -> frozenset[str]:
    """A lexicon word list (one lower-case entry a line, # comments). Memoized in a dict, not
    by `@cache`: the rules ask for lists ~60 times a document, and a compiled call of a
    cache wrapper costs several times a compiled function's dict lookup."""
    found = _WORD_LISTS.get(name)
    if found is None:
        lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
        found = frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))
        _WORD_LISTS[name] = found
    return found


def _is_verbish(word: str) -> bool:
    low = word.lower()
    if not word[0].islower() or len(low) <= 4 or low in word_list("np_nouns.txt"):
        return False
    return low.endswith(("ly", "ing"))


def _np_words_back(text: str, words: list[Span]) -> tuple[list[Span], bool]:
    """The NP's words, last first, taken from the right end of `words`; and whether the scan
    stopped at a boundary word or the length limit (False: it ran out of words)."""
    stop, dets = word_list("np_stop.txt"), word_list("determiners.txt")
    nouns = word_list("np_nouns.txt")
    taken: list[Span] = []
    for a, b in reversed(words):
        w = text[a:b]
        low = w.lower()
        if low in PRONOUNS:
            if not taken:
                taken.append((a, b))
            return taken, True
        if low in dets:
            taken.append((a, b))
            return taken, True
        if low in stop and not (low in _INNER and taken):
            return taken, True
        if len(taken) >= _MAX_WORDS or (  # `_is_verbish`, inlined: this loop is hot
            len(low) > 4 and w[0].islower() and low.endswith(("ly", "ing")) and low not in nouns
        ):
            return taken, True
        taken.append((a, b))
    return taken, False


def np_before(text: str, end: int, lo: int) -> Span | None:
    """The source NP ending at `end` (exclusive), not reaching before `lo`."""
    # the last `_BREAK` match in `text[max(lo, end - 160):end]` and `_WORD`'s tokens, read by
    # hand (`np_scan`: the same offsets without a regex scan and a match object per word)
    cut = last_break_end(text, end, lo, _BREAK)
    base = cut if cut != -1 else max(lo, end - 160)
    # Words are read right to left and the scan mostly stops within a few words: tokenize the
    # last stretch only, from a space (no word spans a space, so the tokens after it are the
    # same as from `base`), and the whole window only if the scan runs past that stretch.
    space = text.rfind(" ", base, max(base, end - _TAIL_CHARS))
    words = word_spans(text, space + 1, end) if space != -1 else []
    if not words:  # no word in the stretch: the whole window decides
        space, words = -1, word_spans(text, base, end)
    if not words or text[words[-1][1] : end].strip():
        return None
    taken, stopped = _np_words_back(text, words)
    if not stopped and space != -1:
        taken, _ = _np_words_back(text, word_spans(text, base, end))
    while taken and text[taken[-1][0] : taken[-1][1]].lower() in _INNER:
        taken.pop()
    if not taken:
        return None
    start, stop_at = taken[-1][0], taken[0][1]
    return _clean(text, start, stop_at)


def np_after(text: str, start: int, hi: int) -> Span | None:
    """The source NP starting at `start` (after spaces), not reaching past `hi`."""
    stop, dets = word_list("np_stop.txt"), word_list("determiners.txt")
    m = _BREAK.search(text, start, hi)
    limit = m.start() if m else hi
    taken: list[Span] = []
    first = True  # the words are read as the scan finds them: it mostly stops after a few
    n = min(limit, len(text))
    p = next_word(text, max(start, 0), n)  # `_WORD.finditer(text, start, limit)`, by hand
    while p < n:
        a, b = p, word_end(text, p, n)
        p = next_word(text, b, n)
        if first:
            if text[start:a].strip():
                return None
            first = False
        w = text[a:b]
        low = w.lower()
        if low in PRONOUNS:
            if not taken:
                taken.append((a, b))
            break
        if low in dets and not taken:
            taken.append((a, b))
            continue
        after_inner = bool(taken) and text[taken[-1][0] : taken[-1][1]].lower() in _INNER
        if after_inner and low in _PARTITIVE:  # "one of those advisers", "two of them"
            taken.append((a, b))
            if low == "them":
                break
            continue
        if low in stop and not (low in _INNER and taken):
            break
        if _is_verbish(w) or len(taken) >= _MAX_WORDS:
            break
        taken.append((a, b))
    while taken:  # drop edge words of `_INNER | dets` (not building the union every call)
        last = text[taken[-1][0] : taken[-1][1]].lower()
        if last not in _INNER and last not in dets:
            break
        taken.pop()
    if not taken:
        return None
    return _clean(text, taken[0][0], taken[-1][1])


def _clean(text: str, start: int, end: int) -> Span | None:
    """Drop a sentence-final period glued to the last word unless it is an abbreviation."""
    if (
        end - start > 2
        and text[end - 1] == "."
        and not re.search(r"\b[A-Z]\.$|\b\w{1,3}\.$", text[start:end])
    ):
        end -= 1
    if start >= end:
        return None
    return start, end


_CLAUSE_OPENERS: Final = frozenset({"and", "but", "while", "whereas", "than", "with", "after"})


@cache
def _share_re() -> re.Pattern[str]:
    """`lexicon/share_subjects.txt` as one pattern that must end where the cue begins."""
    parts: dict[str, str] = {}
    for line in (LEXICON_DIR / "share_subjects.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, rx = line.partition("\t")
            parts[key] = rx.strip()
    return re.compile(
        rf"\b(?:{parts['hedge']}\s+)?{parts['share']}(?:\s+{parts['per']})?\s*$", re.IGNORECASE
    )


@cache
def _share_words() -> frozenset[str]:
    """Words a share can end with ("half", "third", "ten", "percent"), from the same lexicon."""
    words: set[str] = set()
    for line in (LEXICON_DIR / "share_subjects.txt").read_text(encoding="utf-8").splitlines():
        key, _, rx = line.partition("\t")
        if key in ("share", "per"):
            words |= {w for w in re.findall(r"[a-z]+", re.sub(r"\\[a-z]", " ", rx)) if len(w) > 1}
    return frozenset(words | {f"{w}." for w in words} | {f"{w}," for w in words})


_SHARE_WORDS: list[frozenset[str]] = []  # `_share_words()`, once read


def _has_digit(word: str) -> bool:
    """`any(ch.isdigit() for ch in word)` without a generator."""
    for ch in word:  # noqa: SIM110 (a plain loop compiles to C; any() builds a generator)
        if ch.isdigit():
            return True
    return False


def share_before(text: str, end: int, lo: int) -> Span | None:
    """A surveyed share opening a clause right before `end`: "One in three", "Nearly half".

    Polls report what groups said by their share; a plain NP scan stops at the number or at
    "in", so "One in three said …" would otherwise have no source. The share must open its
    clause (sentence start, a comma, or "and", "while", …), so "in 2014 said" is no source.
    """
    # the last white-space-separated word of text[max(lo, end - 16):end] (`split()[-1]`),
    # read backwards without copying the stretch: asked for every cue, most often "no"
    a, j = max(lo, end - 16), min(end, len(text))
    while j > a and text[j - 1].isspace():
        j -= 1
    k = j
    while k > a and not text[k - 1].isspace():
        k -= 1
    last = text[k:j].lower()
    dash = last.rfind("-")  # the part after the last hyphen (`rsplit("-", 1)[-1]`, no list)
    if dash != -1:
        last = last[dash + 1 :]
    if not _SHARE_WORDS:
        _SHARE_WORDS.append(_share_words())  # a global: no `@cache` call for every cue
    if not last or not (last in _SHARE_WORDS[0] or (not last.isalpha() and _has_digit(last))):
        return None  # cheap test first: the share's last word ends the window (a word of
        # letters holds no digit: no character is both, so `isalpha` skips the scan)
    m = _share_re().search(text, max(lo, end - 40), end)
    if m is None:
        return None
    before = text[lo : m.start()].rstrip(" \t\"“”'‘’(")
    words = before.split()
    if (
        before
        and before[-1] not in ",;:"
        and (not words or words[-1].lower() not in _CLAUSE_OPENERS)
    ):
        return None
    start, stop = m.start(), m.end()
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return start, stop


def is_pronoun(text: str, span: Span) -> bool:
    return text[span[0] : span[1]].lower() in PRONOUNS
