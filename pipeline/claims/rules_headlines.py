"""Headline claims (`Source: claim`, `Source Verbs Claim`) and `“…” ― Name` signed quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.claims.draft import Draft
from pipeline.claims.headlines import (
    COLON_CUE,
    DASH_CUE,
    colon_headline,
    dash_signed,
    verb_headline,
)
from pipeline.claims.model import ClaimKind, Span

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


def headlines(att: Attributor, headings: list[Span]) -> None:
    """`Source: claim` and `Source Verbs Claim` headings, `“…” ― Name` signed quotes."""
    text = att.text
    for q, dash, src in dash_signed(text, att.quotes):
        if not att._taken(q.start, q.end):
            att._add(Draft(ClaimKind.DIRECT, q.spans, "direct_dash_signed", dash, DASH_CUE, src))
    for para in headings:
        if att._taken(*para):
            continue
        found = colon_headline(text, para)
        if found is not None:
            src, cue, content = found
            att._add(Draft(att._kind(content), (content,), "headline_colon", cue, COLON_CUE, src))
            continue
        verb = verb_headline(text, para)
        if verb is not None:
            src, cue, entry, content = verb
            att._add(Draft(att._kind(content), (content,), "headline_verb", cue, entry, src))
