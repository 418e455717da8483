"""Short prepositional phrases after a cue: an end of sentence, not a claim's content.

"C, his aides argued in interviews." / "…, she declared in Mexico City.": the post-cue rule
accepts a sentence whose cue is followed only by such a phrase (`short_pp_end`); before, it
refused them and the forward rule took the phrase itself ("in interviews") as the content.
A forward claim that is still only a phrase like that ("X said [in Paris]", "X reported [from
Oakland]") is dropped (`drop_phrase_claims`): on PolNeAR train 80 % of them were wrong,
except where the cue takes that preposition ("believe in", "comment on", a lexicon list).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Final

from pipeline.claims.sources import LEXICON_DIR

if TYPE_CHECKING:  # attribution imports short_pp_end from here
    from pipeline.claims.attribution import Attributor

_SHORT_PP: Final = re.compile(
    r"\s+(?:in|on|at|from|during|before|after|via|outside|inside|near)"
    r"(?:\s+[\w’'.&-]+){1,4}[\s.!?\"”’)]*"
)
_PREP: Final = "in|on|at|from|during|after|before|over|under|with|through|since|across|near"
# a content that opens with a preposition and holds no clause, question word or quotation
_PHRASE_ONLY: Final = re.compile(
    rf"(?:{_PREP})\b(?![^\n]*\b(?:that|whether|what|how|why|if|who)\b)[^“\"\n]*", re.IGNORECASE
)
_MAX_WORDS: Final = 8


def short_pp_end(rest: str) -> bool:
    """`rest` (what follows the cue up to the sentence end) is one short prepositional phrase."""
    return len(rest) < 60 and _SHORT_PP.fullmatch(rest) is not None


@cache
def _complements() -> frozenset[str]:
    lines = (LEXICON_DIR / "prep_complements.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def drop_phrase_claims(att: Attributor) -> None:
    """Remove forward claims whose whole content is one short prepositional phrase (the cue
    stays used: its sentence's real claim, if any, is the post-cue one it already refused)."""
    text = att.text
    keep = []
    for d in att.drafts:
        if d.rule == "indirect_forward" and len(d.spans) == 1 and d.cue_entry is not None:
            a, b = d.spans[0]
            m = _PHRASE_ONLY.fullmatch(text, a, b)
            if m is not None and len(text[a:b].split()) <= _MAX_WORDS:
                prep = text[a:b].split(None, 1)[0].lower()
                if f"{d.cue_entry.lemma} {prep}" not in _complements():
                    continue
        keep.append(d)
    if len(keep) != len(att.drafts):
        att.keep_drafts(keep)
