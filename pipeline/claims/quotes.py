"""Find quotations: straight, curly, angle and (clearly quoting) single curly marks.

A quote is returned with its content spans (marks excluded). A quote left open at a paragraph's
end continues when the next paragraph opens with a quote mark (news convention), giving one
content span per paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

from pipeline.claims.model import Span

_DOUBLE_MARKS: Final = re.compile(r'["“”«»„]')
_DOUBLE_MARK_CHARS: Final = ('"', "“", "”", "«", "»", "„")  # `_DOUBLE_MARKS`' characters
_SINGLE_OPEN: Final = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\w)")
_SINGLE_CLOSE: Final = re.compile(r"(?<=[\w.,!?])’(?![\w])")
_OPEN_BEFORE: Final = frozenset(" \t\n([{—–-/")
# Two apostrophes as a double quote mark (a typewriter convention, e.g. in wire copy): `''He
# said,''`; a third apostrophe is a single quote nested at the edge: `'What?'''`.
_TWIN: Final = re.compile(r"'''|''")


@dataclass(frozen=True, slots=True, init=False)
class Quote:
    """A quotation: `start`/`end` include the marks, `spans` are the content without them."""

    start: int
    end: int
    spans: tuple[Span, ...]

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(self, start: int, end: int, spans: tuple[Span, ...]) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "spans", spans)

    def word_count(self, text: str) -> int:
        return sum(len(text[a:b].split()) for a, b in self.spans)


_last_paragraphs: tuple[str, tuple[Span, ...]] = ("", ())  # the latest text and its paragraphs


def paragraphs(text: str) -> list[Span]:
    """Non-empty lines as (start, end) spans; news text puts one paragraph per line.

    `extract_claims` and `find_quotes` both ask for the same text in a row: the latest answer
    is kept (keyed by the string object itself, which cannot change)."""
    global _last_paragraphs
    last_text, last = _last_paragraphs
    if text is last_text:
        return list(last)
    out = _split_paragraphs(text)
    _last_paragraphs = (text, tuple(out))
    return out


def _split_paragraphs(text: str) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            left = pos + (len(line) - len(line.lstrip()))
            out.append((left, left + len(stripped)))
        pos = end + 1
    return out


def _is_opening(text: str, i: int, is_open_now: bool) -> bool:
    ch = text[i]
    if ch in "“«„":
        return True
    if ch in "”»":
        return False
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev in _OPEN_BEFORE and not nxt.isspace():
        return True
    if nxt.isspace() or nxt in ".,;:!?)]—–-" or not prev.isspace():
        return False
    return not is_open_now


def _mark_positions(text: str) -> list[int]:
    """Where `_DOUBLE_MARKS` matches in `text`, sorted: one `find` loop per mark character
    (a character a text cannot hold is refused at once) instead of a character-class scan
    and a match object per mark in every paragraph."""
    out: list[int] = []
    for mark in _DOUBLE_MARK_CHARS:
        i = text.find(mark)
        while i != -1:
            out.append(i)
            i = text.find(mark, i + 1)
    out.sort()
    return out


def _double_quotes(
    text: str, para: Span, marks: list[int]
) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open, close) mark pairs in one paragraph, and a dangling opening mark if any
    (`marks`: `_mark_positions(text)`)."""
    start, end = para
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    depth = 0
    k = bisect.bisect_left(marks, start)
    while k < len(marks) and marks[k] < end:  # `_DOUBLE_MARKS.finditer(text, start, end)`
        i = marks[k]
        k += 1
        opening = _is_opening(text, i, open_at is not None)
        if opening:
            if open_at is None:
                open_at, depth = i, 0
            elif text[i] in "“«„" and text[open_at] in "“«„":
                depth += 1  # nested double quote inside a curly one
            elif text[i] == '"' and text[open_at] == '"':
                pairs.append((open_at, i))  # ambiguous straight mark: close the pending one
                open_at = None
        elif open_at is not None:
            if depth:
                depth -= 1
            else:
                pairs.append((open_at, i))
                open_at = None
    return pairs, open_at


def _single_quotes(text: str, para: Span, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single curly quotes outside double quotes, kept only when they quote 3+ words."""
    start, end = para
    out: list[tuple[int, int]] = []
    if text.find("‘", start, end) == -1:
        return out  # the opening mark is a literal: skip the slow lookbehind scan
    pos = start
    while True:
        m = _SINGLE_OPEN.search(text, pos, end)
        if not m:
            return out
        i = m.start()
        if any(a <= i <= b for a, b in taken):
            pos = i + 1
            continue
        c = _SINGLE_CLOSE.search(text, i + 1, end)
        if not c:
            return out
        j = c.start()
        if len(text[i + 1 : j].split()) >= 3 and not any(i < a < j for a, _ in taken):
            out.append((i, j))
        pos = j + 1


def _map_twin_marks(text: str) -> str:
    """Same-length copy of `text` where each `''` mark reads as one `"` the scanner knows.

    An opening `''` becomes ` "` and a closing one `" `, so the mark's side is unambiguous.
    """
    if "''" not in text:
        return text
    chars = list(text)
    for m in _TWIN.finditer(text):
        a, b = m.span()
        prev = text[a - 1] if a > 0 else " "
        nxt = text[b] if b < len(text) else " "
        opening = (prev.isspace() or prev in "([{—–-/") and not nxt.isspace()
        if b - a == 3:  # `'''`: the two-mark quote is the outer one
            a = a if opening else a + 1
        chars[a : a + 2] = [" ", '"'] if opening else ['"', " "]
    return "".join(chars)


def _widen(text: str, q: Quote) -> Quote:
    """Put a `''` mark's second apostrophe back inside the quote's outer bounds."""
    start, end = q.start, q.end
    if start > 0 and text[start - 1 : start + 1] == "''":
        start -= 1
    if text[end - 1 : end + 1] == "''":
        end += 1
    return q if (start, end) == (q.start, q.end) else Quote(start, end, q.spans)


def find_quotes(text: str) -> list[Quote]:
    """All top-level quotations in document order."""
    original, text = text, _map_twin_marks(text)
    quotes: list[Quote] = []
    if _DOUBLE_MARKS.search(text) is None and "‘" not in text:
        return quotes  # no mark that opens a quote: many short items hold none
    pending: list[Span] = []  # content spans of a quote running over paragraphs
    pending_start = 0
    marks = _mark_positions(text)
    for para in paragraphs(text):
        pairs, dangling = _double_quotes(text, para, marks)
        if pending:
            first = pairs[0][0] if pairs else dangling
            if first == para[0]:
                if pairs and pairs[0][0] == para[0]:
                    a, b = pairs.pop(0)
                    quotes.append(Quote(pending_start, b + 1, (*pending, (a + 1, b))))
                    pending = []
                else:
                    pending.append((para[0] + 1, para[1]))
                    dangling = None
            else:
                quotes.append(Quote(pending_start, pending[-1][1], tuple(pending)))
                pending = []
        singles = _single_quotes(text, para, pairs)
        for a, b in sorted(pairs + singles):
            if b > a + 1:
                quotes.append(Quote(a, b + 1, ((a + 1, b),)))
        if dangling is not None and dangling + 1 < para[1]:
            pending = [(dangling + 1, para[1])]
            pending_start = dangling
    if pending:
        quotes.append(Quote(pending_start, pending[-1][1], tuple(pending)))
    if text is not original:
        quotes = [_widen(original, q) for q in quotes]
    quotes.sort(key=lambda q: q.start)
    return quotes
