"""`according to SRC`: in front of its claim, after it, or as an aside inside it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import _words_upto, skip_space, trim
from pipeline.claims.cues import lookup_prep
from pipeline.claims.draft import Draft
from pipeline.claims.sources import crosses_sentence, np_after

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_ACCORDING: Final = re.compile(r"\baccording\s+to\b", re.IGNORECASE)


def according_to(att: Attributor, s: int, e: int) -> None:
    text = att.text
    entry = lookup_prep("according to")
    if entry is None:
        return
    for m in _ACCORDING.finditer(text, s, e):
        if att._in_quote(m.start()) or att._taken(m.start(), m.end()):
            continue
        src = np_after(text, skip_space(text, m.end()), e)
        if src is None:
            continue
        if not text[s : m.start()].strip(" \"“”'‘’«»(["):
            comma = text.find(",", src[1], min(e, src[1] + 120))
            if comma != -1 and not crosses_sentence(text, src[1], comma):
                src = trim(text, src[0], comma)  # "According to a poll out Thursday, …"
            rest = skip_space(text, src[1])
            if rest < e and text[rest] == ",":
                rest += 1
            content = (rest, att._content_end(rest, e))
            att._push(content, "indirect_according_to_front", (m.start(), m.end()), entry, src)
        else:
            # "Since May, according to the group, police have …": the claim goes on after it
            rest = skip_space(text, src[1])
            if _words_upto(text, (s, m.start()), 7) <= 6 and rest < e and text[rest] == ",":
                left = trim(text, s, m.start())
                right = trim(text, rest + 1, att._content_end(rest + 1, e))
                if _words_upto(text, right, 3) >= 3 and not att._taken(left[0], right[1]):
                    att._add(
                        Draft(
                            att._kind((left[0], right[1])),
                            (left, right),
                            "indirect_according_to_parenthetical",
                            (m.start(), m.end()),
                            entry,
                            src,
                        )
                    )
                    continue
            att._push_around(
                s,
                e,
                m.start(),
                src[1],
                "indirect_according_to",
                (m.start(), m.end()),
                entry,
                src,
            )
