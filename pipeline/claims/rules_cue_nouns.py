"""Cue nouns with a possessive source: `X's allegations of …`, `their claims that …`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import _OF, _THAT, _WORD_RE
from pipeline.claims.cues import load_cues, lookup_noun
from pipeline.claims.literals import matches_at
from pipeline.claims.sources import np_before

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_POSS_NOUN: Final = re.compile(
    r"(?:'s|’s|\b(?:his|her|their|its|our|my))\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)


def nouns(att: Attributor, s: int, e: int) -> None:
    """`X's allegations of …`, `their claims that …`."""
    text, lex = att.text, load_cues()
    starts = att.cue_starts  # where a cue noun's first word starts (None: try everywhere)
    for m in matches_at(lex.noun_re, text, starts.nouns if starts is not None else None, s, e):
        if att._in_quote(m.start()) or att._taken(m.start(), m.end()):
            continue
        entry = lookup_noun(m.group())
        if entry is None:
            continue
        comp = _THAT.match(text, m.end()) if entry.frame == "that" else _OF.match(text, m.end())
        if comp is None:
            continue
        pm = _POSS_NOUN.search(text, max(s, m.start() - 60), m.start())
        if pm is None:
            continue
        if pm.group().lower().startswith(("'s", "’s")):
            src = np_before(text, pm.start(), s)
            src = (src[0], pm.start() + 2) if src else None
        else:
            w = _WORD_RE.search(text, pm.start())
            src = (w.start(), w.end()) if w else None
        if src is None:
            continue
        start = comp.end() if entry.frame == "of" else comp.start() + 1
        stop = text.find(",", start, e)
        end = stop if stop != -1 and entry.frame == "of" else att._content_end(start, e)
        att._push((start, end), "nominal", (m.start(), m.end()), entry, src)
