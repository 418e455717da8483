"""Claim extraction: quotes + cues + sources → `Claim`s with resolved speakers.

Pure and deterministic: `extract_claims(text, sentences)` never raises on any Unicode string;
spans are offsets into `text`, claims are sorted by start.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Final

from pipeline.claims.attribution import Attributor, Draft, trim
from pipeline.claims.model import Claim, ClaimKind, Span, SpeakerType
from pipeline.claims.quotes import find_quotes, paragraphs
from pipeline.claims.rules_frames import in_frames, put_it_frames
from pipeline.claims.rules_generic import generic_rules
from pipeline.claims.rules_headings import headline_paragraphs
from pipeline.claims.rules_nominal import nominal_cues
from pipeline.claims.rules_participle_cut import cut_at_participles
from pipeline.claims.rules_short_pp import drop_phrase_claims
from pipeline.claims.rules_sourceless import tighten_sourceless
from pipeline.claims.rules_stance_verbs import stance_verbs
from pipeline.claims.rules_turns import (
    colon_quotes,
    introduced_paragraphs,
    signed_below,
    signed_paragraphs,
    speaker_turns,
)
from pipeline.claims.speakers import SpeakerResolver

EXTRACTOR_VERSION: Final = "0.6.1"

_TERMINAL_CHARS: Final = frozenset(".!?\"”’'»)]:")  # a paragraph ending in one is no heading


def _clean_sentences(text: str, sentences: Sequence[tuple[int, int]]) -> list[Span]:
    """Clip to the text, drop empty ones, sort: callers' offsets are trusted but not blindly.

    A segmenter's sentences come sorted and distinct, and open with a non-space: then the
    list is its own sorted set, and no sentence is copied to test it for text."""
    out: list[Span] = []
    ordered = True  # strictly increasing so far: `sorted(set(out))` would be `out`
    n = len(text)
    for item in sentences:
        if type(item) is tuple:  # a plain tuple has no `.start`: skip the attribute probe
            a, b = item
        else:
            a, b = (item.start, item.end) if hasattr(item, "start") else item  # type: ignore[union-attr]
        a, b = max(0, min(int(a), n)), max(0, min(int(b), n))
        if b > a and (not text[a].isspace() or text[a:b].strip()):
            if out and (a, b) <= out[-1]:
                ordered = False
            out.append((a, b))
    return out if ordered else sorted(set(out))


def _join_wrapped(paras: list[Span], sentences: list[Span]) -> list[Span]:
    """Lines one sentence runs across are one paragraph: hard-wrapped text (Reuters-style) puts
    a paragraph on several lines, and a wrapped line is neither a heading nor a paragraph end."""
    if len(paras) < 2:
        return paras
    starts = [pa for pa, _ in paras]
    joined = [False] * len(paras)  # joined[i]: paragraph i continues paragraph i - 1
    for a, b in sentences:
        first = bisect.bisect_right(starts, a) - 1
        last = bisect.bisect_left(starts, b) - 1
        for i in range(max(first, 0) + 1, last + 1):
            joined[i] = True
    out: list[Span] = []
    for i, para in enumerate(paras):
        if joined[i] and out:
            out[-1] = (out[-1][0], para[1])
        else:
            out.append(para)
    return out


def _split_at_paragraphs(sentences: list[Span], paras: list[Span]) -> list[Span]:
    """A sentence never crosses a paragraph boundary (a safety net for crude splitters)."""
    out: list[Span] = []
    starts = [pa for pa, _ in paras]
    for a, b in sentences:
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(paras) and paras[i][0] < b:
            lo, hi = max(a, paras[i][0]), min(b, paras[i][1])
            if hi > lo:
                out.append((lo, hi))
            i += 1
    return out


def _is_heading(text: str, para: Span, index: int, n_paras: int) -> bool:
    """Titles and headings: no sentence-final punctuation, or a short first line."""
    body = text[para[0] : para[1]]
    if body.rstrip()[-1:] not in _TERMINAL_CHARS:
        return True  # "" (an empty paragraph) is in no set of characters
    return index == 0 and n_paras > 1 and len(body.split()) <= 15


def _headings(text: str, paras: list[Span]) -> list[bool]:
    """`_is_heading` of every paragraph, worked out once for the rules and the author claims."""
    return [_is_heading(text, para, i, len(paras)) for i, para in enumerate(paras)]


def _resolve(text: str, sentences: list[Span], drafts: list[Draft]) -> list[Claim]:
    resolver = SpeakerResolver.for_document(text, sentences)
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].source or (drafts[i].start,))[0])
    resolved: dict[int, tuple[str | None, SpeakerType | None]] = {}
    for i in order:
        d = drafts[i]
        if d.source is not None:
            resolved[i] = resolver.resolve(d.source)
    claims: list[Claim] = []
    for i, d in enumerate(drafts):
        speaker, kind = resolved.get(i, (None, None))
        if d.inherit is not None:
            speaker, kind = resolved.get(d.inherit, (None, None))
            resolved[i] = (speaker, kind)
        claims.append(
            Claim(
                kind=d.kind,
                content_spans=d.spans,
                rule=d.rule,
                cue=d.cue,
                cue_lemma=d.cue_entry.lemma if d.cue_entry else None,
                stance=d.cue_entry.stance if d.cue_entry else None,
                source=d.source,
                speaker=speaker,
                speaker_type=kind,
            )
        )
    return claims


def _author_claims(
    text: str, sentences: list[Span], paras: list[Span], heads: list[bool], taken: list[Claim]
) -> list[Claim]:
    out: list[Claim] = []
    bounds = sorted([(c.start, c.end) for c in taken])
    max_end: list[int] = []  # running maximum of the ends (`accumulate(ends, max)`)
    for _, e in bounds:
        max_end.append(max(max_end[-1], e) if max_end else e)
    starts = [a for a, _ in sentences]

    for para, heading in zip(paras, heads, strict=True):
        if heading:
            continue
        for k in range(bisect.bisect_left(starts, para[0]), len(sentences)):
            a, b = sentences[k]
            if a >= para[1]:
                break
            if b > para[1]:
                continue
            i = bisect.bisect_left(bounds, (b,))  # covered: a claim starting before b ends after a
            if i > 0 and max_end[i - 1] > a:
                continue
            span = trim(text, a, b)
            if span[1] > span[0]:
                out.append(Claim(ClaimKind.AUTHOR, (span,), "author_statement"))
    return out


def _inside(spans: tuple[Span, ...], n: int) -> bool:
    """Every span is non-empty and inside a text of length n (a plain loop: no generator)."""
    for a, b in spans:  # noqa: SIM110 (a plain loop compiles to C; all() builds a generator)
        if not 0 <= a < b <= n:
            return False
    return True


def extract_claims(text: str, sentences: Sequence[tuple[int, int]]) -> list[Claim]:
    """All claims of one document: attributed ones and the author's own statements."""
    if not text or not text.strip():
        return []
    cleaned = _clean_sentences(text, sentences)
    paras = _join_wrapped(paragraphs(text), cleaned)
    sents = _split_at_paragraphs(cleaned, paras)
    att = Attributor(text, sents, find_quotes(text), paras)
    att.direct()
    heads = _headings(text, paras)
    att.headlines(headline_paragraphs(text, paras, heads))
    signed_paragraphs(att)
    signed_below(att)
    colon_quotes(att)
    introduced_paragraphs(att)
    att.indirect()
    drop_phrase_claims(att)
    tighten_sourceless(att)
    speaker_turns(att)  # after the body rules: a turn's own "I think …" claims come first
    in_frames(att)
    put_it_frames(att)
    nominal_cues(att)
    stance_verbs(att)
    generic_rules(att)
    cut_at_participles(att)
    att.continuations()
    drafts = [d for d in att.drafts if _inside(d.spans, len(text))]
    claims = _resolve(text, sents, drafts)
    claims += _author_claims(text, sents, paras, heads, claims)
    claims.sort(key=lambda c: (c.start, c.end, c.rule))
    return claims
