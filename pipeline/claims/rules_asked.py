"""`Asked whether C, …`: the question as the claim, the asker as source when named."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.cues import lookup_verb
from pipeline.claims.sources import np_after

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_ASKED: Final = re.compile(
    r"(?P<cue>Asked|(?:(?<=\bwhen\s)|(?<=\bWhen\s)|(?<=\bwas\s)|(?<=\bwere\s)|(?<=\bis\s)|(?<=\bare\s)"
    r"|(?<=\bbeen\s)|(?<=\bbeing\s))asked)\s+(?:(?:on|at|in|during|about|after|specifically|repeatedly|later|again"
    r"|earlier|today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"[^,;:“”\"]{0,50}?\s+)?(?:(?P<by>by\s)[^,;:“”\"]{2,60}?\s+)?"
    r"(?P<q>(?:whether|if|why|how|what|which|who|whom|where|when)\b)"
)


def asked(att: Attributor, s: int, e: int) -> None:
    """`Asked on Monday whether C, …`, `when asked by a reporter if C`: the question C, and
    the asker as source when named ("by a reporter")."""
    text = att.text
    if text.find("sked", s, e) == -1:
        return  # the pattern's lookbehinds are slow; most sentences hold no "asked"
    for m in _ASKED.finditer(text, s, e):
        cs, ce = m.span("cue")
        if att._in_quote(cs) or att._taken(cs, ce) or cs in att._cues_used:
            continue
        entry = lookup_verb(m.group("cue"))
        if entry is None:
            continue
        src = None
        if m.group("by"):
            src = np_after(text, m.start("by") + 3, m.start("q"))
        end = att._relative_end(m.start("q"), att._content_end(m.start("q"), e))
        att._push((m.start("q"), end), "asked_question", (cs, ce), entry, src)
