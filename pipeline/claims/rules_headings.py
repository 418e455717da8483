"""Which heading-like paragraphs may hold a headline claim ("Senator Slams Plan").

Only the title is written as a headline. Short lines further down are section headings
("Ukraine demands more weapons", "Clinton: Keep it"), which annotators do not take as anyone's
claim: on PolNeAR train every headline-rule hit below the first line was wrong (3 of 3) and all
172 right ones were on the first line. Long unpunctuated lines below it are body paragraphs
whose last mark is a stray character (a wrong closing quote), so they keep the headline rules.
"""

from __future__ import annotations

from typing import Final

from pipeline.claims.model import Span

# a paragraph of at least this many words is body text, whatever its punctuation
BODY_WORDS: Final = 16


def headline_paragraphs(text: str, paras: list[Span], heads: list[bool]) -> list[Span]:
    """The title (first paragraph) if it looks like a heading, and long unpunctuated paragraphs.

    `heads[i]` says whether paragraph i looks like a heading (worked out once per document)."""
    out: list[Span] = []
    for i, (para, heading) in enumerate(zip(paras, heads, strict=True)):
        if not heading:
            continue
        if i == 0 or len(text[para[0] : para[1]].split()) >= BODY_WORDS:
            out.append(para)
    return out
