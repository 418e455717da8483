"""Continued quotes: a quote opening a sentence right after a claim adds a span to it."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from pipeline.claims.model import ClaimKind, Span
from pipeline.claims.sources import crosses_sentence

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


def continuations(att: Attributor) -> None:
    """A quote that opens a sentence right after a claim continues it: one more span.

    News goes on quoting a speaker in the next sentences and paragraphs without a new cue;
    annotators (and readers) take the whole run as one attribution of that speaker.
    """
    text = att.text
    # (end, draft index), sorted: the claim ending last before a quote, by bisection
    att._ends = sorted((d.end, i) for i, d in enumerate(att.drafts))
    for q in att.quotes:
        if att._taken(q.start, q.end) or q.word_count(text) < 2:
            continue
        sent = att._sentence_of(q.start)
        if text[sent[0] : q.start].strip(" \t\"“”'‘’«»(["):
            continue
        prev = claim_before(att, q.start)
        if prev is None:
            continue
        d = att.drafts[prev]
        tail = max(d.end, *(x[1] for x in (d.cue, d.source) if x is not None))
        if not adjacent(att, tail, q.start):
            continue
        old = (d.start, d.end)
        d.spans = d.spans + q.spans
        att._replace_bounds(old, (d.start, d.end))
        att._ends.remove((old[1], prev))
        bisect.insort(att._ends, (d.end, prev))
        if d.kind == ClaimKind.INDIRECT:
            d.kind = ClaimKind.MIXED


def claim_before(att: Attributor, pos: int) -> int | None:
    """The draft ending last at or before `pos` (the first such draft on a tie)."""
    k = bisect.bisect_right(att._ends, (pos, len(att.drafts))) - 1
    if k < 0:
        return None
    end = att._ends[k][0]
    return att._ends[bisect.bisect_left(att._ends, (end, -1))][1]


def adjacent(att: Attributor, tail: int, start: int) -> bool:
    """Only the rest of the claim's sentence and a paragraph break lie in between."""
    if paras_between(att, tail, start):
        return False
    sent_end = att._sentence_of(max(0, tail - 1))[1]
    gap_from = max(tail, sent_end)
    if gap_from > start:
        gap_from = tail
    gap = att.text[gap_from:start]
    if not gap.strip(" \t\n\"“”'‘’«».,;:)"):
        return True
    # the rest of the attribution's own sentence: "… he said on Tuesday. “…"
    rest = att.text[tail:start].rstrip()
    return (
        rest.endswith((".", "!", "?", ":"))
        and "\n" not in rest
        and not crosses_sentence(att.text, tail, tail + len(rest) - 1)
    )


def paras_between(att: Attributor, a: int, b: int) -> list[Span]:
    """Paragraphs lying entirely between two offsets."""
    i = bisect.bisect_right(att._para_starts, a)
    out = []
    while i < len(att.paras) and att.paras[i][1] <= b:
        out.append(att.paras[i])
        i += 1
    return out
