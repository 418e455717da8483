"""Split a document into title, headings and paragraphs, and paragraphs into sentences.

Every span is a pair of `str` offsets into the unchanged document text, so claims found later
can point back at the exact source characters. The splitter is rule-based and fast: one regex
pass finds candidate sentence ends, and a few cheap checks decide each candidate (quotes,
abbreviations, what word follows). It is total: any Unicode string yields valid, sorted,
non-overlapping, whitespace-trimmed spans and never raises.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

SegmentKind = Literal["title", "heading", "paragraph"]

_LEXICON_DIR: Final = Path(__file__).parent / "lexicon"

#: Longest first line still taken for a headline when no title is given.
MAX_TITLE_WORDS: Final = 20
#: Longest line still taken for a section heading.
MAX_HEADING_WORDS: Final = 12
#: A known title may be wrapped over at most this many leading lines.
MAX_TITLE_LINES: Final = 3

# Line breaks as `str.splitlines` knows them; a paragraph never spans a blank line.
_LINE: Final = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_BREAKS: Final = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# A sentence-final cluster, optional closing quotes/brackets, then whitespace before more text.
# "flee...There" has no whitespace after the dots and so is never a candidate.
# Runs are matched only from their start and possessively, so a long run of dots or spaces
# costs linear time, not quadratic. The first mark comes before the lookbehind that checks it
# starts the run: the regex engine then skips ahead to marks instead of trying every position.
_CANDIDATE: Final = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"”’'»)\]}]*+(\s++)(?=\S)")
# `_CANDIDATE` for an ASCII text, on a copy of it with "!" and "?" made "." (one byte a
# character, so the offsets are the text's): the scan then looks for one literal byte, which
# the regex engine does several times faster than testing each character against a class.
# The white space is spelled out: `\s` of str also holds "\x1c"-"\x1f", `\s` of bytes not.
_MARKS_TO_DOT: Final = bytes(0x2E if b in b"!?" else b for b in range(256))
_CANDIDATE_MARKED: Final = re.compile(
    rb"\.(?<!\.\.)\.*+[\"')\]}]*+([ \t\n\r\f\v\x1c-\x1f]++)(?=[^ \t\n\r\f\v\x1c-\x1f])"
)
_DOUBLE_QUOTE: Final = re.compile(r"[\"“”„«»]")
# The word right before a period: letters and inner dots ("U.S", "Sen", "J", "a.m"); what
# `_token_before` finds (the regex, kept for the tests, cost ~2 us a search, tried at 24 starts)
_TOKEN_BEFORE: Final = re.compile(r"[^\W\d_](?:[^\W\d_]|\.)*$")
_DOTTED: Final = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_WORD_AFTER: Final = re.compile(r"[^\W\d_]+")

_OPEN_QUOTES: Final = frozenset("“„«")
_CLOSE_QUOTES: Final = frozenset("”»")
_QUOTE_OR_BRACKET_OPENERS: Final = frozenset("\"“„«‘'([{")
_SENTENCE_FINAL: Final = frozenset(".!?…")
_CLOSERS: Final = "\"”’'»)]}"
_QUOTE_CLOSERS: Final = frozenset("\"”’'»")
_EXCLAIM_OR_ASK: Final = frozenset("!?…")
# A line ending in one of these is a finished sentence or introduces one: not a heading.
_NOT_HEADING_END: Final = frozenset('.!?…:;,"”’»')


@dataclass(frozen=True, slots=True, init=False)
class Segment:
    """A block of the document: the title, a section heading, or a paragraph."""

    index: int  # 0-based order in the document
    kind: SegmentKind
    start: int  # str offsets into the document text, end exclusive
    end: int

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(self, index: int, kind: SegmentKind, start: int, end: int) -> None:
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


@dataclass(frozen=True, slots=True, init=False)
class Sentence:
    """A sentence with offsets; titles and headings are one sentence each."""

    index: int  # 0-based order in the document
    segment_index: int  # the Segment it lies in
    start: int
    end: int

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(self, index: int, segment_index: int, start: int, end: int) -> None:
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "segment_index", segment_index)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


@dataclass(frozen=True, slots=True, init=False)
class Segmentation:
    segments: list[Segment]
    sentences: list[Sentence]

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(self, segments: list[Segment], sentences: list[Sentence]) -> None:
        object.__setattr__(self, "segments", segments)
        object.__setattr__(self, "sentences", sentences)


@dataclass(frozen=True, slots=True, init=False)
class _Line:
    start: int  # first non-space character
    end: int  # one past the last non-space character
    indented: bool  # raw line began with whitespace (Reuters-style paragraph start)
    after_blank: bool  # a blank line (or nothing) comes right before it

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(self, start: int, end: int, indented: bool, after_blank: bool) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "indented", indented)
        object.__setattr__(self, "after_blank", after_blank)


def _load_words(name: str) -> frozenset[str]:
    """One entry a line; `#` starts a comment line."""
    text = (_LEXICON_DIR / name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# The lexicons below are loaded once into module globals rather than read through `@cache`:
# compiled code calls a cached function through its Python wrapper (~0.1 us), and
# `_is_boundary` asks for them at every period it decides.
_AFTER_QUOTE: re.Pattern[str] | None = None
_LEXICONS: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None


def _attribution_after_quote() -> re.Pattern[str]:
    global _AFTER_QUOTE
    if _AFTER_QUOTE is None:
        _AFTER_QUOTE = _build_attribution_after_quote()
    return _AFTER_QUOTE


def _build_attribution_after_quote() -> re.Pattern[str]:
    """A name (up to four words, capitalized first) and a speech verb, then at most three
    lower-case words and a clause end: '"Why now?" Graham asked.', '"No!" Mr. Smith said,'.
    "Clinton says there needs to be ..." goes on too long, and '... ?" He answered, "I ...'
    introduces the next quotation: new sentences."""
    verbs = "|".join(sorted(map(re.escape, _load_words("speech_verbs.txt")), key=len, reverse=True))
    return re.compile(
        rf"[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){{0,3}}?\s+(?:{verbs})"
        rf"(?:\s+[a-z][\w'’-]*){{0,3}}\s*(?:[.;—–]|[,:](?!\s*[\"“‘'«])|\Z)"
    )


def _lexicons() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(never-final abbreviations, ambiguous abbreviations, sentence starters), loaded once."""
    global _LEXICONS
    if _LEXICONS is None:
        _LEXICONS = _load_lexicons()
    return _LEXICONS


def _load_lexicons() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        _load_words("abbreviations_before_name.txt"),
        _load_words("abbreviations.txt"),
        _load_words("sentence_starters.txt"),
    )


def segment(text: str, *, title: str | None = None) -> Segmentation:
    """Segments (title / heading / paragraph) and sentences of `text`, with offsets into it.

    `title` is the document's known headline (e.g. from metadata); when the first line repeats
    it, that line becomes the title segment instead of a paragraph.
    """
    lines = _lines(text)
    if not lines:
        return Segmentation(segments=[], sentences=[])
    blocks, first_is_title = _blocks(text, lines, title)
    marked = text.encode("ascii").translate(_MARKS_TO_DOT) if text.isascii() else None
    segments: list[Segment] = []
    sentences: list[Sentence] = []
    for i, (start, end, single_line) in enumerate(blocks):
        if i == 0 and first_is_title:
            kind: SegmentKind = "title"
        elif single_line and i + 1 < len(blocks) and _looks_like_heading(text, start, end):
            kind = "heading"
        else:
            kind = "paragraph"
        segments.append(Segment(index=i, kind=kind, start=start, end=end))
        spans = [(start, end)] if kind != "paragraph" else _sentence_spans(text, start, end, marked)
        for s, e in spans:
            sentences.append(Sentence(index=len(sentences), segment_index=i, start=s, end=e))
    return Segmentation(segments=segments, sentences=sentences)


def _lines(text: str) -> list[_Line]:
    """Non-blank lines, trimmed, remembering indentation and preceding blank lines."""
    lines: list[_Line] = []
    prev_end = 0
    # `_LINE.finditer(text)`'s runs, from `str.splitlines` (the same line breaks, "\r\n" one):
    # each piece is a run and the break after it; C splits the text faster than the regex
    # engine tests each character against the class
    at = 0
    for piece in text.splitlines(keepends=True):
        run_start = at
        at += len(piece)
        if piece.endswith("\r\n"):
            n = len(piece) - 2
        elif piece[-1] in _BREAKS:
            n = len(piece) - 1
        else:
            n = len(piece)  # the last line, with no break after it
        if n == 0:
            continue  # a blank line: no run
        raw = piece[:n]
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip()) if raw[0].isspace() else 0
        start = run_start + lead
        # Two or more line breaks between the previous line and this one mean a blank line.
        gap = text[prev_end:run_start]
        after_blank = not lines or _count_breaks(gap) > 1
        lines.append(_Line(start, start + len(stripped), lead > 0, after_blank))
        prev_end = run_start + n
    return lines


def _count_breaks(gap: str) -> int:
    """Number of line breaks in a run of line-break / whitespace characters ("\r\n" is one)."""
    if gap == "\n":  # most gaps: one line end, no list to build
        return 1
    return len(gap.splitlines(keepends=True)) if gap else 0


def _blocks(
    text: str, lines: list[_Line], title: str | None
) -> tuple[list[tuple[int, int, bool]], bool]:
    """Group lines into blocks (start, end, is_single_line); say whether block 0 is the title."""
    title_lines = _title_line_count(text, lines, title)
    # Reuters-style text: paragraphs start indented, wrapped lines inside them do not.
    indent_mode = sum(1 for ln in lines[1:] if ln.indented) >= 2
    blocks: list[list[int]] = []  # [start, end, line_count]
    for i, ln in enumerate(lines):
        if i < title_lines:  # the title's lines form block 0, whatever they look like
            if blocks:
                blocks[-1][1] = ln.end
            else:
                blocks.append([ln.start, ln.end, 1])
        elif i > title_lines and _continues(text, lines[i - 1], ln, indent_mode):
            blocks[-1][1] = ln.end
            blocks[-1][2] += 1
        else:
            blocks.append([ln.start, ln.end, 1])
    first_is_title = title_lines > 0 or (
        title is None
        and blocks[0][2] == 1
        and len(blocks) > 1
        and _looks_like_headline(text, blocks[0][0], blocks[0][1], MAX_TITLE_WORDS)
    )
    return [(s, e, n == 1) for s, e, n in blocks], first_is_title


def _continues(text: str, prev: _Line, line: _Line, indent_mode: bool) -> bool:
    """Is `line` a hard-wrapped continuation of the paragraph that `prev` belongs to?"""
    if line.after_blank:
        return False
    if indent_mode:
        return not line.indented
    last = text[prev.end - 1]
    first = text[line.start]
    return last not in _SENTENCE_FINAL and last not in '"”:' and first.islower()


def _title_line_count(text: str, lines: list[_Line], title: str | None) -> int:
    """How many leading lines spell out `title` (0: none). Some feeds wrap a long headline."""
    if title is None:
        return 0
    wanted = _normalize_title(title)
    if not wanted:
        return 0
    for k in range(1, min(MAX_TITLE_LINES, len(lines)) + 1):
        got = _normalize_title(text[lines[0].start : lines[k - 1].end])
        if got == wanted:
            return k
        if not wanted.startswith(got):
            return 0
    return 0


def _normalize_title(s: str) -> str:
    """Compare titles modulo case, runs of whitespace and trailing punctuation."""
    return " ".join(s.split()).rstrip(" .!?:;,…\"”’')]").casefold()


def _looks_like_headline(text: str, start: int, end: int, max_words: int) -> bool:
    """Short, starts like a name or sentence, and ends without sentence punctuation."""
    line = text[start:end]
    if line[-1] in _NOT_HEADING_END or line.rstrip(_CLOSERS)[-1:] in _SENTENCE_FINAL:
        return False  # ends a sentence, also as in "... 'intentional act.'"
    if not _starts_like_name(text[start]):
        return False
    return len(line.split()) <= max_words


def _starts_like_name(ch: str) -> bool:
    """A digit, a capital, or a letter of a script without case (which could start anything)."""
    return ch.isdigit() or (ch.isalpha() and not ch.islower())


def _looks_like_heading(text: str, start: int, end: int) -> bool:
    return _looks_like_headline(text, start, end, MAX_HEADING_WORDS)


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed double-quotations in text[start:end] as (open index, close index).

    Straight quotes are read from context (space before → opens, space after → closes), else
    they toggle. A quote left open at the paragraph end (a quote running on into the next
    paragraph, or a stray mark) is dropped, so it cannot swallow the rest of the paragraph.
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    for i in _double_quotes(text, start, end):
        ch = text[i]
        if ch in _OPEN_QUOTES:
            role = "open"
        elif ch in _CLOSE_QUOTES:
            role = "close"
        else:
            before_space = i == start or text[i - 1].isspace() or text[i - 1] in "([{—–-"
            after_space = i + 1 >= end or text[i + 1].isspace()
            if before_space and not after_space:
                role = "open"
            elif after_space and not before_space:
                role = "close"
            else:
                role = "close" if open_at >= 0 else "open"
        if role == "open":
            open_at = i
        elif open_at >= 0:
            spans.append((open_at, i))
            open_at = -1
    return spans


def _double_quotes(text: str, start: int, end: int) -> list[int]:
    """Where `_DOUBLE_QUOTE` matches in text[start:end]. In an ASCII text (most news; `isascii`
    is a flag, not a scan) the only double quote is '"', found by `str.find` without a match
    object per mark."""
    if not text.isascii():
        return [m.start() for m in _DOUBLE_QUOTE.finditer(text, start, end)]
    out: list[int] = []
    i = text.find('"', start, end)
    while i >= 0:
        out.append(i)
        i = text.find('"', i + 1, end)
    return out


def _sentence_spans(
    text: str, start: int, end: int, marked: bytes | None = None
) -> list[tuple[int, int]]:
    """Sentences of the paragraph text[start:end], decided candidate by candidate (`marked`:
    the text's `_MARKS_TO_DOT` copy when it is ASCII, for the faster scan)."""
    quotes: list[tuple[int, int]] | None = None  # read only when there is a candidate to decide
    opens: list[int] = []
    spans: list[tuple[int, int]] = []
    sent_start = start
    matches: Iterator[re.Match[Any]] = (
        _CANDIDATE.finditer(text, start, end)
        if marked is None
        else _CANDIDATE_MARKED.finditer(marked, start, end)
    )
    for m in matches:
        next_at = m.end()
        if next_at >= end:
            break
        if quotes is None:
            quotes = _quote_spans(text, start, end)
            opens = [o for o, _ in quotes]
        close_end = m.start(1)  # the marks and closers end where the whitespace starts
        if _is_boundary(text, m.start(), close_end, next_at, quotes, opens, end):
            spans.append((sent_start, close_end))
            sent_start = next_at
    spans.append((sent_start, end))
    return spans


def _is_boundary(
    text: str,
    punct_at: int,
    close_end: int,
    next_at: int,
    quotes: list[tuple[int, int]],
    opens: list[int],
    para_end: int,
) -> bool:
    """Does a sentence end at text[punct_at:close_end], given the next word at `next_at`?"""
    k = bisect_right(opens, punct_at) - 1
    if k >= 0 and quotes[k][1] > punct_at and quotes[k][1] >= close_end:
        return False  # inside a quotation that does not close right here
    nxt = text[next_at]
    if not (_starts_like_name(nxt) or nxt in _QUOTE_OR_BRACKET_OPENERS):
        return False  # lower case, comma, dash ...: the sentence goes on
    if text[punct_at] != "." or text[punct_at + 1] in _SENTENCE_FINAL:
        # "?", "!", an ellipsis: no abbreviation question, but a quotation ending in one may
        # be attributed right after it ('"Why now?" Graham asked.')
        return not (
            text[close_end - 1] in _QUOTE_CLOSERS
            and not _EXCLAIM_OR_ASK.isdisjoint(text[punct_at:close_end])
            and _attribution_after_quote().match(text, next_at, para_end)
        )
    token = _token_before(text, max(0, punct_at - 24), punct_at)
    if token is None:
        return True
    never_final, ambiguous, starters = _lexicons()
    if token in never_final:
        return False
    is_initial = len(token) == 1 and token.isupper()
    # (`_DOTTED` needs a period: most tokens have none, and skip the regex call)
    if token in ambiguous or is_initial or ("." in token and _DOTTED.fullmatch(token)):
        if nxt.isdigit():
            return False  # "Sept. 11", "No. 5"
        if nxt in _QUOTE_OR_BRACKET_OPENERS:
            return True  # '... in the U.S. "We ...': a quotation starts a new sentence
        word = _WORD_AFTER.match(text, next_at)
        return word is not None and word.group() in starters
    return True


def _token_before(text: str, lo: int, hi: int) -> str | None:
    """`_TOKEN_BEFORE.search(text, lo, hi)`'s match, read backwards from `hi`: the run of
    letters (alphanumeric, not a decimal digit) and dots that ends there, from its
    first letter. Like `$`, the end may also be just before a final newline."""
    end = hi - 1 if hi > lo and text[hi - 1] == "\n" else hi
    i = end
    while i > lo:
        ch = text[i - 1]
        if ch != "." and not (ch.isalnum() and not ch.isdecimal()):
            break
        i -= 1
    while i < end and text[i] == ".":
        i += 1
    return text[i:end] if i < end else None
