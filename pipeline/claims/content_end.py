"""Where a reported clause ends: the sentence end, cut at a new clause of the writer's own,
a second attribution, a trailing time phrase or a participle (`Attributor._content_end`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import (
    _SPEECH_FRAMES,
    _strip_aux,
    _words_upto,
    trailing_time_start,
)
from pipeline.claims.cues import lookup_verb
from pipeline.claims.literals import matches_at
from pipeline.claims.sources import np_after, share_before

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_CLAUSE_CUT: Final = re.compile(
    r",\s+(?:but|while|although|though|whereas|even\s+as|even\s+though|yet)\b(?!\s+(?:that|also)\b)|;\s|\s[—–]\s|\s--\s"
    r"|,\s+(?:which|where|who|whom|whose)\b"
    r"|,\s+and\s+(?=(?:he|she|they|it|we|I|the|[A-Z][a-z]+)\s+\w+)"
    r"|,?\s+(?:and|but)\s+(?:(?:also|then|later|now)\s+)?(?=(?:[a-z]{3,}ed|said|says|told|took|made"
    r"|went|would\s+not|did\s+not|refused|declined)\b)"
)
_PARTICIPLE_CUT: Final = re.compile(r",[”’\"']?\s+(?:[a-z]+ly\s+)?([a-z]{3,}ing)\b")
_AND_CLAUSE: Final = re.compile(r",?\s+(?:and|but|while|whereas)\s+")
# Strings one of which every match of a pattern holds (read off its branches; a test checks):
# a content without any skips the scan (about half of them on news).
CLAUSE_CUT_NEEDS: Final = (",", ";", "—", "–", "--", "and", "but")
PARTICIPLE_CUT_NEEDS: Final = (",",)
AND_CLAUSE_NEEDS: Final = ("and", "but", "while", "whereas")
_SPACED_DASH: Final = re.compile(r"\s(?:—|–|--)\s")
_REL_WORD: Final = re.compile(r"\b(?:which|where|who|whom|whose)\b")
_REL_CLOSE_BAD: Final = re.compile(r",\s+(?:and|but|or|which|who|while|although|though)\b")


def holds_any(text: str, start: int, end: int, needles: tuple[str, ...]) -> bool:
    """Whether `text[start:end]` holds one of `needles` (a few `find`s, no slice)."""
    for needle in needles:  # noqa: SIM110 (a plain loop compiles to C; any() builds a generator)
        if text.find(needle, start, end) != -1:
            return True
    return False


def clause_cut_starts(text: str, start: int, end: int) -> list[int]:
    """Every place in `text[start:end]` where `_CLAUSE_CUT` may match (a superset), found by a
    loop instead of the pattern's scan of every position: a comma or semicolon; white space
    right before a dash (`\\s[—–]\\s`, `\\s--\\s`); the white space before "and" or "but"
    (`,?\\s+(?:and|but)\\s+…` may open at any of it). Every branch opens so."""
    out: list[int] = []
    p, n = max(start, 0), min(end, len(text))
    while p < n:
        o = ord(text[p])
        if o == 44 or o == 59:  # "," ";"
            out.append(p)
            p += 1
        elif (o == 32 or 9 <= o <= 13) or (o > 127 and text[p].isspace()) or 28 <= o <= 31:
            r = p + 1  # the end of this run of white space
            while r < n and text[r].isspace():
                r += 1
            if r < n:
                c = ord(text[r])  # (one look at the next character before any call)
                if c == 97 or c == 98:  # "a", "b"
                    if text.startswith(("and", "but"), r, n):
                        out.extend(range(p, r))
                elif c == 45 or c == 0x2014 or c == 0x2013:  # - — –
                    out.append(r - 1)
            p = r
        else:
            p += 1
    return out


def content_end(att: Attributor, start: int, sent_end: int) -> int:
    """Sentence end, extended to the close of a quote the sentence end falls into, or cut
    where a new clause of the writer's own begins (", but …", "; …")."""
    end = sent_end
    q = att._in_quote(max(start, end - 1))
    if q is not None and q.end > end:
        end = q.end
    if holds_any(att.text, start, end, CLAUSE_CUT_NEEDS):
        cuts = clause_cut_starts(att.text, start, end)
        for m in matches_at(_CLAUSE_CUT, att.text, cuts, start, end):  # `finditer`
            if m.start() > start and att._in_quote(m.start()) is None:
                if embedded(att, m, start, end):
                    continue
                end = m.start()
                break
    end = next_attribution(att, start, end)
    end = strip_trailing_time(att, start, end)
    if not holds_any(att.text, start, end, PARTICIPLE_CUT_NEEDS):
        return end
    for m in _PARTICIPLE_CUT.finditer(att.text, start, end):
        entry = lookup_verb(m.group(1))
        speech = entry is not None and entry.frame in _SPEECH_FRAMES
        if speech and att._in_quote(m.start(1)) is None:
            cut = m.start()
            while att.text[cut] in ",”’\"'":  # a quote closing before it stays in
                cut += 1
            return cut  # "…, adding that …": a new attribution, not this content
    return end


def next_attribution(att: Attributor, start: int, end: int) -> int:
    """`X said C and one in four said D`: C ends where a second subject and speech verb
    begin, so D stays free for its own claim."""
    text = att.text
    if not holds_any(text, start, end, AND_CLAUSE_NEEDS):
        return end
    for m in _AND_CLAUSE.finditer(text, start, end):
        if att._in_quote(m.start()) is not None:
            continue
        found = att._verbs_in(m.end(), min(end, m.end() + 60))  # (the first is `search`'s)
        if not found:
            continue
        v = found[0]
        entry = lookup_verb(v.group())
        if entry is None or entry.frame not in _SPEECH_FRAMES or v.group().endswith("ing"):
            continue
        if v.start() == m.end():  # "C but argues that D": the same subject, a new claim
            if v.group().lower() != entry.lemma and m.group().strip(", ") == "but":
                return m.start()
            continue
        src = share_before(text, _strip_aux(text, v.start(), m.end()), m.end())
        if src is None:
            src = np_after(text, m.end(), v.start())
            if src is not None and text[src[1] : v.start()].strip():
                src = None
        if src is not None and src[0] == m.end():
            return m.start()
    return end


def strip_trailing_time(att: Attributor, start: int, end: int) -> int:
    """`X said C on Wednesday at a rally.`: when and where the words were said is not C."""
    text = att.text
    stop = end
    while stop > start and text[stop - 1] in " .!?\n":
        stop -= 1
    if stop < end and text[stop:end].strip(" \n") not in ("", ".", "!", "?"):
        return end
    cut = trailing_time_start(text, att._folded.lower, max(start, stop - 120), stop)
    if cut == -1 or cut <= start or att._in_quote(cut) is not None:
        return end
    return cut


def embedded(att: Attributor, m: re.Match[str], start: int, end: int) -> bool:
    """An aside the clause goes on after: "the talks, which began in May, remain …" and
    "the rift — mostly among the young — and the police" are not where the content ends."""
    text = att.text
    cut = text[m.start() : m.end()]
    if "," in cut and _REL_WORD.search(cut):
        close = text.find(",", m.end(), end)
        return (
            close != -1
            and _words_upto(text, (close, end), 3) >= 3
            and not _REL_CLOSE_BAD.match(text, close)
        )
    if cut.strip() in ("—", "–", "--"):
        opened = len(_SPACED_DASH.findall(text, start, m.start())) % 2 == 1
        return opened or _SPACED_DASH.search(text, m.end(), end) is not None
    return False


def relative_end(att: Attributor, start: int, end: int) -> int:
    """Where a non-restrictive relative clause closes: its next comma outside quotes."""
    text = att.text
    pos = text.find(",", start, end)
    while pos != -1 and (
        att._in_quote(pos) is not None or text[pos - 1 : pos + 2 : 2].isdigit()
    ):  # not inside a quote, not "2,400"
        pos = text.find(",", pos + 1, end)
    return end if pos == -1 else pos
