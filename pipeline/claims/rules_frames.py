"""Prepositional frames that attribute a clause without a cue verb.

News attributes findings to polls ("In the latest Fox poll, Trump leads by 9 points") and views
to a mind or a mouth ("In Trump's mind, …", "In her words, …", "…, as the memo put it");
PolNeAR annotates these with the preposition (or "put it") as the cue. Only the fronted "in"
frame is taken: measured on PolNeAR train, a poll phrase at a sentence's end or middle, and a
fronted beholder ("For many Republicans, …"), are left unannotated more often than not. The
frames run after the verb rules and never take claimed text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from pipeline.claims.attribution import Attributor, trim
from pipeline.claims.cues import Cue
from pipeline.claims.model import Span, Stance
from pipeline.claims.sources import np_after, word_list

IN_CUE: Final = Cue("in", "prep", Stance.NEUTRAL, "clause")
PUT_IT_CUE: Final = Cue("put it", "verb", Stance.NEUTRAL, "clause")
_PUT_IT_CUE: Final = re.compile(r"\bputs?\s+it\b")
_PUT_IT: Final = re.compile(
    r"\b[Aa]s\s+([^,;.]{1,60}?)\s+(?:(?:once|later|has|had|so|aptly)\s+)?((?:put|puts)\s+it)\b"
)
_IN: Final = re.compile(r"[Ii]n\s+")
_LEAD: Final = re.compile(
    r"\s*(?:(?:but|and|so|yet|still|now|meanwhile|however)\b,?\s*)?[\"“]?", re.I
)
_LEAD_WORDS: Final = ("but", "and", "so", "yet", "still", "now", "meanwhile", "however")
_LEAD_CHARS: Final = 9  # the longest of `_LEAD_WORDS`
_WORD: Final = re.compile(r"[\w’'-]+")
_POSSESSOR: Final = re.compile(r"(.+?)(?:'s|’s|')\s+(?:own\s+)?([a-z]+)")
_MIN_AFTER: Final = 4
_POSSESSIVE_PRONOUNS: Final = frozenset({"his", "her", "their", "our", "my", "its"})


@cache
def _nouns(name: str) -> frozenset[str]:
    return word_list(name)


@cache
def _hint_re() -> re.Pattern[str]:
    words = sorted(_nouns("poll_nouns.txt") | _nouns("view_nouns.txt"))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")


def _clause_after(att: Attributor, pos: int, e: int) -> Span | None:
    """`…, CONTENT.`: the clause after the comma that closes a fronted phrase."""
    text = att.text
    comma = text.find(",", pos, e)
    if comma == -1 or text[pos:comma].count(" ") > 8:
        return None
    start = comma + 1
    return trim(text, start, att._content_end(start, e))


def _source_of_phrase(att: Attributor, pos: int, e: int) -> tuple[Span, str] | None:
    """The NP after "in": a poll ("the latest Fox poll"), or a possessor of a view."""
    text = att.text
    src = np_after(text, pos, e)
    if src is None:
        return None
    words = _WORD.findall(text, *src)
    if words and words[-1].lower() in _nouns("poll_nouns.txt"):
        return src, "poll"
    possessive = words and words[0].lower() in _POSSESSIVE_PRONOUNS and len(words) <= 3
    if possessive and words[-1].lower() in _nouns("view_nouns.txt"):
        return (src[0], src[0] + len(words[0])), "view"
    m = _POSSESSOR.fullmatch(text, *src)  # "the senator's view": the NP runs to the noun
    if m and m.group(2).lower() in _nouns("view_nouns.txt"):
        return (src[0], m.end(1)), "view"
    return None


def _phrase_end(att: Attributor, src: Span, e: int) -> int:
    """The end of the phrase the source sits in ("In her words"): up to its first comma."""
    comma = att.text.find(",", src[1], e)
    return src[1] if comma == -1 else comma


def _may_open_in(text: str, s: int, e: int) -> bool:
    """False only when `_IN` cannot match where `_LEAD` ends at `s`: most sentences open with
    neither "in" nor one of `_LEAD_WORDS` nor a quote mark, and then `_LEAD` ends at their first
    non-space character, which is no "I". Only ASCII is judged (lower-casing is the regex's case
    folding there); a non-ASCII character runs the regexes."""
    q = s
    while q < e and text[q].isspace():  # `\s` is `str.isspace`
        q += 1
    if q >= e:
        return False  # `_LEAD` ends at e: no room for "in"
    head = text[q : q + _LEAD_CHARS]
    if not head.isascii() or head[0] in 'Ii"':
        return True
    return head.lower().startswith(_LEAD_WORDS)


def in_frames(att: Attributor) -> None:
    """`In the latest poll, …`, `In X's view, …`, `In his words, …` at a sentence's start."""
    text = att.text
    for s, e in att.sentences:
        if not _may_open_in(text, s, e):
            continue  # (about 9 sentences in 10: two regex calls saved)
        lead = _LEAD.match(text, s, e)
        m = _IN.match(text, lead.end() if lead else s, e)
        if m is None or att._in_quote(m.start()) or att._taken(m.start(), m.end()):
            continue
        comma = text.find(",", m.end(), min(e, m.end() + 120))
        if comma == -1 or not _hint_re().search(text, m.end(), comma):
            continue  # no poll or view noun before the comma: no NP scan needed
        found = _source_of_phrase(att, m.end(), e)
        if found is None:
            continue
        src, kind = found
        content = _clause_after(att, _phrase_end(att, src, e), e)
        if content is not None:
            cue = (m.start(), m.start() + 2)
            att._push(content, f"frame_in_{kind}", cue, IN_CUE, src)


def put_it_frames(att: Attributor) -> None:
    """`As X put it, CONTENT` and `CONTENT, as X put it.`"""
    text = att.text
    if "put it" not in text and "puts it" not in text:
        return  # a substring test is far cheaper than a regex scan of the whole text
    for hit in _PUT_IT_CUE.finditer(text):  # rare: find the cue first, then its "as" phrase
        s, e = att._sentence_of(hit.start())
        for m in _PUT_IT.finditer(text, max(s, hit.start() - 80), min(e, hit.end())):
            if att._in_quote(m.start()) or att._taken(*m.span()):
                continue
            src = np_after(text, m.start(1), m.end(1))
            if src is None:
                continue
            after = _clause_after(att, m.end(), e)
            front = _LEAD.match(text, s, m.start())
            if (front is not None and front.end() == m.start()) or (
                after is not None and len(_WORD.findall(text, *after)) >= _MIN_AFTER
            ):
                content = after  # "As X put it, CONTENT" or "That's because, as X put it, C"
            else:
                content = trim(text, s, m.start())
            if content is not None:
                att._push(content, "frame_put_it", m.span(2), PUT_IT_CUE, src)
