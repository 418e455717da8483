"""Claims as text for the extraction tests: what a reader checks is words, not offsets."""

from __future__ import annotations

from pipeline.claims.extract import extract_claims
from pipeline.claims.model import Claim, ClaimKind
from pipeline.segment import segment

Attributed = tuple[str, str | None, str | None]


def run(text: str) -> list[Claim]:
    """Every claim of `text`, segmented the way the pipeline segments it."""
    return extract_claims(text, [(s.start, s.end) for s in segment(text).sentences])


def attributed_with_rules(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(content, source, cue, rule) of every non-author claim, as text."""
    out = []
    for c in run(text):
        if c.kind == ClaimKind.AUTHOR:
            continue
        content = " ".join(text[a:b] for a, b in c.content_spans)
        src = text[c.source[0] : c.source[1]] if c.source else None
        cue = text[c.cue[0] : c.cue[1]] if c.cue else None
        out.append((content, src, cue, c.rule))
    return out


def attributed(text: str) -> list[Attributed]:
    """(content, source, cue) of every non-author claim, as text."""
    return [(content, src, cue) for content, src, cue, _ in attributed_with_rules(text)]
