"""`X blasted the plan, calling it absurd`: a participle cue after an object ends that object.

The content of an object-taking cue ("blasted", "mocked", "praised") runs to the sentence end,
so a following ", calling it …" / ", pointing to …" was swallowed and never became a claim of
its own. The content is cut there and the participle is offered to the forward rule, which
gives it the same source. Only after object cues: after "said C, citing …" the participle
often belongs to C's subject ("said some allies were hesitant, citing the risk"), and the
general content-end rules keep such content whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution import trim
from pipeline.claims.cues import lookup_verb

if TYPE_CHECKING:
    from pipeline.claims.attribution import Attributor

_PARTICIPLE: Final = re.compile(r",[”’\"']?\s+(?:[a-z]+ly\s+)?([a-z]{3,}ing)\b")
_RULES: Final = frozenset(
    {"indirect_forward", "indirect_conjoined", "stance_verb", "generic_adverb"}
)
_MIN_WORDS: Final = 1


def cut_at_participles(att: Attributor) -> None:
    """Split off ", VERBing …" from the content of object-cue claims (after the body rules)."""
    text = att.text
    offers = []
    for d in list(att.drafts):
        entry = d.cue_entry
        if d.rule not in _RULES or entry is None or entry.frame != "np" or len(d.spans) != 1:
            continue
        a, b = d.spans[0]
        if text.find("ing", a, b) == -1:
            continue  # cheap test first
        for m in _PARTICIPLE.finditer(text, a, b):
            v = att._verb_at(m.start(1), len(text))
            part = lookup_verb(v.group()) if v is not None else None
            if part is None or att._in_quote(m.start(1)) is not None:
                continue
            new = trim(text, a, m.start())
            if len(text[new[0] : new[1]].split()) < _MIN_WORDS:
                break
            old = (d.start, d.end)
            d.spans = (new,)
            att._replace_bounds(old, (d.start, d.end))
            offers.append((v.start(), v.end(), part, v.group()))
            break
    for cs, ce, part, surface in offers:
        if cs in att._cues_used or att._taken(cs, ce):
            continue
        s, e = att._sentence_of(cs)
        att._forward(s, e, cs, ce, part, surface)
