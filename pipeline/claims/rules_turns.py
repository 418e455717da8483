"""Paragraphs that belong to a speaker by layout, not by a cue verb in the same paragraph.

Interview transcripts and Q&A give each turn its own paragraph, opened by the speaker and a colon
(`PENCE: Well, look, …`, `Q: How did …`); reader-comment round-ups sign a quoted paragraph with a
dash (`”… our nation.” ― Jane Doe`), sometimes with marks the quote finder cannot pair; and a
short paragraph `The governor added:` introduces a block quote set as the next paragraph, often
without quote marks. Annotators take the whole paragraph as the speaker's claim.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.attribution import Attributor, Draft
from pipeline.claims.cues import lookup_verb
from pipeline.claims.headlines import COLON_CUE, DASH_CUE
from pipeline.claims.model import ClaimKind, Span
from pipeline.claims.sources import word_list

_TURN: Final = re.compile(
    r"[\"“”'‘]?\s*([A-Z][\w’'.&-]*(?:[ \t]+[\w’'.&-]+){0,3})[ \t]*:[ \t]+(?=\S)"
)
_SIGNED: Final = re.compile(r"[\"“”'‘’]")
_SIGNED_MARKS: Final = ('"', "“", "”", "'", "‘", "’")  # `_SIGNED`'s characters
_DASH_SIGN: Final = re.compile(r"\s[―—–]\s*([A-Z][^\n,;:!?“”\"―—–]{1,50}?)\s*\.?$")
_WORD: Final = re.compile(r"[\w’'.-]+")
_SMALL: Final = frozenset({"of", "the", "and", "de", "van", "von"})
_MIN_WORDS: Final = 3
_MAX_NAME_WORDS: Final = 4
_SIGN_LINE: Final = re.compile(
    r"[-–—―]\s*([A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){0,3})(?:,[^\n]{0,60})?\.?"
)
_POST_SIGN: Final = re.compile(
    r"\s[—–―-]\s*([A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){0,3})\s*\(@\w+\)"
)
# A name right before the colon, opening a paragraph, a sentence or a dash-separated segment
_NAME_COLON: Final = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?\"”]\s)|(?<=\s[-–—]\s))([A-Z][\w’'.&-]*(?:[ \t]+[A-Z][\w’'.&-]*){0,3})"
    r"[ \t]*:[ \t]*$"
)
_MAX_INTRO_TAIL: Final = 3  # words between the cue and the colon ("the following statement")


def _speaker_like(text: str, span: Span) -> bool:
    """A name or role in title case or capitals, or a one-letter turn mark (`Q`, `A`)."""
    words = _WORD.findall(text[span[0] : span[1]])
    if not words or text[span[0] : span[1]].lower() in word_list("headline_labels.txt"):
        return False
    if any(w.lower() in word_list("turn_labels.txt") for w in words):
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL for w in words)


def _mostly_capitalized(words: list[str]) -> bool:
    return sum(w[:1].isupper() for w in words) > 0.6 * len(words)


def _content(text: str, a: int, b: int) -> Span:
    while a < b and text[a] in " \t\"“”'‘’":
        a += 1
    while b > a and text[b - 1] in " \t\"“”'‘’":
        b -= 1
    return a, b


def speaker_turns(att: Attributor) -> None:
    """`SPEAKER: turn` paragraphs of the body (headings have their own rule)."""
    text = att.text
    for para in att.paras:
        if text.find(":", para[0], para[1]) == -1:
            continue  # every `_TURN` match holds its colon: ~1 paragraph in 60 has one
        m = _TURN.match(text, para[0], para[1])
        if m is None:
            continue
        src = m.span(1)
        if not _speaker_like(text, src):
            continue
        content = _content(text, m.end(), para[1])
        words = _WORD.findall(text, content[0], content[1])
        if len(words) < _MIN_WORDS or (para[0] > 0 and _mostly_capitalized(words)):
            continue  # a list of names ("Iowa: Jane Doe, John Roe, …"), not a turn
        if text[content[1] - 1] not in ".!?…—-" or att._taken(*content):
            continue
        colon = text.index(":", src[1], m.end())
        att._add(
            Draft(att._kind(content), (content,), "turn_colon", (colon, colon + 1), COLON_CUE, src)
        )


def signed_paragraphs(att: Attributor) -> None:
    """A paragraph opened by a quote mark and signed `― Name` at its end."""
    text = att.text
    for para in att.paras:
        if not text.startswith(_SIGNED_MARKS, para[0]):  # `_SIGNED.match`, without the regex
            continue
        m = _DASH_SIGN.search(text, para[0], para[1])
        if m is None:
            continue
        src = m.span(1)
        words = _WORD.findall(m.group(1))
        if not 1 <= len(words) <= 6 or not all(w[:1].isupper() or w in _SMALL for w in words):
            continue
        content = _content(text, para[0], m.start())
        if len(_WORD.findall(text, content[0], content[1])) < _MIN_WORDS:
            continue
        if att._taken(*content):
            continue
        dash = m.start() + 1
        att._add(
            Draft(
                att._kind(content),
                (content,),
                "direct_dash_paragraph",
                (dash, dash + 1),
                DASH_CUE,
                src,
            )
        )


def introduced_paragraphs(att: Attributor) -> None:
    """A paragraph ending `… SRC CUE (…):` introduces the next one, which the source said
    ("He said:", "Trump issued the following statement:", "Stated Stone:")."""
    text = att.text
    for i, para in enumerate(att.paras[:-1]):
        if text[para[1] - 1] != ":":
            continue
        colon = para[1] - 1
        sent = att._sentence_of(colon - 1)
        lo = max(para[0], sent[0])
        cue = None
        for m in att._verbs_in(lo, colon):
            cue = m
        if cue is None or att._in_quote(cue.start()):
            continue
        if len(_WORD.findall(text, cue.end(), colon)) > _MAX_INTRO_TAIL:
            continue
        entry = lookup_verb(cue.group())
        if entry is None or cue.group().endswith("ing"):
            continue  # "…, writing:" leads into the writer's quote, rarely annotated as one
        src = att._source_before(cue.start(), lo)
        if src is None:  # "Stated Stone:": the name after the cue
            after = _trim_span(text, cue.end(), colon)
            src = after if _speaker_like(text, after) else None
        if src is None:
            continue
        content = _content(text, *att.paras[i + 1])
        if len(_WORD.findall(text, *content)) < _MIN_WORDS or att._taken(*content):
            continue
        att._add(Draft(att._kind(content), (content,), "intro_paragraph", cue.span(), entry, src))


def _trim_span(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def colon_quotes(att: Attributor) -> None:
    """`Name: “…”` inside a paragraph ("- Jane Doe: “…”", "Clinton: "…" Bush: "…""): a quote
    the name signs with a colon instead of a verb."""
    text = att.text
    for q in att.quotes:
        j = q.start
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j == 0 or text[j - 1] != ":":
            continue  # cheap test first: a colon right before the quote
        if att._taken(q.start, q.end) or q.word_count(text) < _MIN_WORDS:
            continue
        m = _NAME_COLON.search(text, max(0, q.start - 80), q.start)
        if m is None or not _speaker_like(text, m.span(1)):
            continue
        if len(_WORD.findall(m.group(1))) > _MAX_NAME_WORDS:
            continue
        colon = text.index(":", m.end(1))
        att._add(
            Draft(
                ClaimKind.DIRECT, q.spans, "direct_colon", (colon, colon + 1), COLON_CUE, m.span(1)
            )
        )


def signed_below(att: Attributor) -> None:
    """A quoted paragraph signed on the next line (`- Jane Doe.`, `-Jane Doe, Philadelphia.`),
    and an embedded post signed `— Jane Doe (@handle) date` before its closing tag."""
    text = att.text
    for i, para in enumerate(att.paras[1:], start=1):
        m = _SIGN_LINE.fullmatch(text, *para)
        if m is None or not _speaker_like(text, m.span(1)):
            continue
        prev = att.paras[i - 1]
        if not _SIGNED.match(text, prev[0]):
            continue
        content = _content(text, *prev)
        if len(_WORD.findall(text, *content)) < _MIN_WORDS or att._taken(*content):
            continue
        dash = para[0]
        att._add(
            Draft(
                att._kind(content),
                (content,),
                "direct_dash_below",
                (dash, dash + 1),
                DASH_CUE,
                m.span(1),
            )
        )
    if "@" not in text:
        return
    for m in _POST_SIGN.finditer(text):
        start = text.rfind(">", 0, m.start()) + 1
        content = _content(text, start, m.start())
        if start <= 0 or "\n" in text[start : m.start()] or att._taken(*content):
            continue
        if len(_WORD.findall(text, *content)) < _MIN_WORDS or not _speaker_like(text, m.span(1)):
            continue
        att._add(
            Draft(
                att._kind(content),
                (content,),
                "post_signed",
                (m.start() + 1, m.start() + 2),
                DASH_CUE,
                m.span(1),
            )
        )
