"""Indirect speech around a cue verb: `CONTENT, SRC said` (post-content, tried first over the
whole sentence), `A, he said, B` and `SRC said (that) CONTENT` (forward)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import (
    _OF,
    _SPEECH_FRAMES,
    _THAT,
    _WORD_RE,
    _skip_time,
    _strip_aux,
    _words_upto,
    may_end_with,
    may_open_with,
    object_after,
    skip_space,
    trim,
)
from pipeline.claims.cue_sources import _APPOSITIVE_START
from pipeline.claims.cues import Cue
from pipeline.claims.draft import Draft
from pipeline.claims.model import Span
from pipeline.claims.rules_short_pp import short_pp_end
from pipeline.claims.sources import np_after, word_list

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_COMMA_GAP: Final = re.compile(r"\s*,\s*")
_SENT_END: Final = re.compile(r"[\s.!?;:\"“”'’)\]]*$")
_TO: Final = re.compile(r"\s+to\s", re.IGNORECASE)
_REJECT_NEXT: Final = frozenset(
    {"of", "about", "by", "for", "with", "up", "as", "and", "or", "but", "so", "if", "no", "yes"}
)
_GERUND_LEAD: Final = re.compile(r"\b(?:by|after|before|for|while|and|also)\s*$", re.IGNORECASE)
_REJECT_NP: Final = frozenset({"by", "and", "or", "but", "so", "up", "as"})
_AFTER_OBJECT: Final = frozenset(
    {"in", "on", "at", "during", "after", "before", "from", "while", "when"}
)
_FRONT_SUBORDINATE: Final = re.compile(
    r"[\"“'‘]?(?:(?:and|but|yet|so)\s+)?(?:even\s+)?(?:although|though|while|whereas|if|when|because"
    r"|as|since|after|before|unless|once|until)\b",
    re.IGNORECASE,
)
_MID_SUBORDINATE: Final = re.compile(
    r",\s+(?:although|though|even\s+though|while|whereas|when|because|since|after|before|unless"
    r"|until)\b",
    re.IGNORECASE,
)


# the words every match of `_CONJ` / `_GERUND_LEAD` ends with, `_FRONT_SUBORDINATE` opens with
_CONJ_LAST: Final = ("and", "but", "or", "then", "yet", "also", "later")
_LEADS: Final = ("by", "after", "before", "for", "while", "and", "also")
_FRONT: Final = (
    "and", "but", "yet", "so", "even", "although", "though", "while", "whereas", "if", "when",
    "because", "as", "since", "after", "before", "unless", "once", "until",
)  # fmt: skip


def _start(m: re.Match[str]) -> int:
    return m.start()


_SHORT_REST: Final = re.compile(r"(?:\s+[\w’'.&-]+){1,3}[\s.!?\"”’)]*")
_PLACE_THEN_THAT: Final = re.compile(
    r"\s*(?:in|at|on|during|after|before|from)\s+[^,.;:“”\"]{1,60}?"
    r"(?=\s+that\s(?!(?:was|were|is|are|has|had)\b))",  # not "a summit that was held …"
    re.IGNORECASE,
)
_NO_DETERMINER: Final = re.compile(r" (?!to\b|matter\b|longer\b)[a-z]")
_WITH_BEFORE: Final = re.compile(r"\bwith\s+$", re.IGNORECASE)
_CONJ: Final = re.compile(
    r"(?:,\s*)?\b(?:and|but|or|then|yet)(?:\s+(?:also|then|later))?\s*$", re.I
)


def verbs(att: Attributor, s: int, e: int) -> None:
    found = []
    for m in att._verbs_in(s, e):  # (a hit carries `lookup_verb(m.group())`, never None)
        found.append((m.start(), m.end(), m.entry, m.group().lower()))
    # `CONTENT, SRC said.` first: the sentence-final attribution owns the sentence, so an
    # earlier verb inside its content ("… did not recognize …, X said") cannot take it
    for cs, ce, entry, _ in found:
        if att._in_quote(cs) or att._taken(cs, ce) or cs in att._cues_used:
            continue
        post_content(att, s, e, cs, ce, entry)
    for cs, ce, entry, surface in found:
        if att._in_quote(cs) or att._taken(cs, ce) or cs in att._cues_used:
            continue
        att._forward(s, e, cs, ce, entry, surface)


def right_ok(att: Attributor, pos: int, e: int, entry: Cue | None = None) -> bool:
    start = _skip_time(att.text, pos, e)
    rest = att.text[start:e]
    if _SENT_END.fullmatch(rest) or rest.lstrip().startswith((",", ";")):
        return True
    if entry is not None and entry.frame in _SPEECH_FRAMES and short_pp_end(rest):
        return True  # "C, his aides argued in interviews."
    # the rest of a skipped phrase: "… in a video message to the [convention]."
    return start > pos and bool(_SHORT_REST.fullmatch(rest))


def push_around(
    att: Attributor,
    s: int,
    e: int,
    left_end: int,
    attr_end: int,
    rule: str,
    cue: Span,
    entry: Cue,
    src: Span,
) -> bool:
    """`A, he said, B.` is one claim A + B; `A, he said, adding …` keeps only A."""
    text = att.text
    pos = _skip_time(text, attr_end, e)
    m = _COMMA_GAP.match(text, pos, e)
    rest = m.end() if m else e
    # "In any case, he said, the …": not an aside
    fronted = _words_upto(text, (s, left_end), 5) <= 4
    if (
        m
        and _words_upto(text, (rest, e), 3) >= 3
        and (fronted or not _APPOSITIVE_START.match(text, rest, e))
    ):
        left, right = trim(text, s, left_end), trim(text, rest, att._content_end(rest, e))
        if _words_upto(text, left, 1) >= 1 and not att._taken(*right) and not att._taken(*left):
            att._add(
                Draft(
                    att._kind((left[0], right[1])),
                    (left, right),
                    rule + "_parenthetical",
                    cue,
                    entry,
                    src,
                )
            )
            return True
    return att._push((s, left_end), rule, cue, entry, src)


def post_content(att: Attributor, s: int, e: int, cs: int, ce: int, entry: Cue) -> bool:
    """`CONTENT, SRC CUE.` and `CONTENT, CUE SRC.`"""
    text = att.text
    if text.find(",", s, cs) == -1:
        return False  # both forms need the comma closing CONTENT before the cue
    src = att._source_before(cs, s)
    if src is not None and not att._subject_ok(src, text[cs:ce]):
        return False
    if src is not None:
        j = src[0]
        while j > s and text[j - 1] in ' \t"”’':
            j -= 1
        after = ce
        if entry.frame == "obj":  # "C, the aide told The Huffington Post."
            obj = object_after(text, skip_space(text, _skip_time(text, ce, e)), e)
            after = obj[1] if obj is not None else ce
        if j > s and text[j - 1] == "," and att._right_ok(after, e, entry):
            return att._push_around(s, e, j - 1, after, "indirect_postcue", (cs, ce), entry, src)
        return False
    j = cs
    while j > s and text[j - 1] in ' \t"”’':
        j -= 1
    if j > s and text[j - 1] == "," and entry.frame in ("clause", "that", "any"):
        inv = np_after(text, skip_space(text, ce), e)
        gerund = text[cs:ce].partition(" ")[0].endswith("ing")  # "…, arguing its merits"
        if inv is not None and not gerund and att._right_ok(inv[1], e) and not att._has_verb(inv):
            return att._push_around(
                s, e, j - 1, inv[1], "indirect_postcue_inverted", (cs, ce), entry, inv
            )
    return False


def forward(att: Attributor, s: int, e: int, cs: int, ce: int, entry: Cue, surface: str) -> bool:
    """`SRC CUE (that) CONTENT`, `SRC told OBJ (that) CONTENT`, `SRC hopes to CONTENT`."""
    text = att.text
    src = att._source_before(cs, s)
    rule = "indirect_forward"
    gerund = surface.partition(" ")[0].endswith("ing")  # "saying", "referring to"
    if src is None:
        j = cs
        while j > s and text[j - 1].isspace():
            j -= 1
        aux_end = _strip_aux(text, cs, s)
        a = max(s, aux_end - 16)
        conj = None
        if may_end_with(text, a, aux_end, _CONJ_LAST):
            conj = _CONJ.search(text, a, aux_end)
        dash = j > s + 1 and (text[j - 1] in "—–" or text[j - 2 : j] == "--")
        if j > s and (text[j - 1] == "," or dash) and gerund:
            prev = att._source_in(s, cs)
            if prev is not None:
                src, rule = prev, "indirect_participle"
            elif entry.frame != "to":  # "…, saying …", "…, calling him …"
                # (not "…, refusing to …": an intention tied to a fronted subject is too
                # often the writer's own account of what a group did)
                src, rule = att._subject(s, j - 1), "indirect_participle_subject"
        elif conj is not None and not gerund:
            # "X did Y and said Z": the cue shares the sentence's subject
            src, rule = att._subject(s, conj.start()), "indirect_conjoined"
        elif gerund and entry.frame in _SPEECH_FRAMES:
            # "X responded by saying …", "X … and saying …": the sentence's subject speaks
            a = max(s, aux_end - 12)
            g = None
            if may_end_with(text, a, aux_end, _LEADS):
                g = _GERUND_LEAD.search(text, a, aux_end)
            if g is not None and g.start() > s:
                src, rule = att._subject(s, g.start()), "indirect_gerund_subject"
        elif j > s and text[j - 1] == ",":
            src = att._apposition_source(s, j)
            rule = "indirect_apposition"
    if src is None or att._taken(*src) or not att._subject_ok(src, surface):
        return False
    if surface.endswith("ing") and rule == "indirect_forward":  # ("a letter calling for C"
        # with its preposition passes: content right 0.8 on train, though its source less)
        if not _WITH_BEFORE.search(text, max(s, src[0] - 8), src[0]):
            return False  # "…the ministry, claiming …" needs a finite clause before it
        rule = "indirect_with_participle"  # "…, with the mayor saying C": the mayor says C
    pos = _skip_time(text, ce, e)
    if entry.frame == "obj":
        obj = object_after(text, skip_space(text, pos), e)
        if obj is None:
            return False
        pos = _skip_time(text, obj[1], e)
    elif entry.frame == "obj_of":
        m = _OF.search(text, pos, min(e, pos + 80))
        if m is None:
            return False
        pos = m.end() - 1
    if entry.frame == "to" and not _TO.match(text, pos):
        return False
    if entry.frame == "that" and not _THAT.match(text, pos):
        return False
    nxt = _WORD_RE.search(text, pos, e)
    if nxt is None or text[pos : nxt.start()].strip(" ,:\"“'‘"):
        return False
    reject = _REJECT_NP if entry.frame == "np" else _REJECT_NEXT
    word = nxt.group().lower()
    if entry.frame == "clause" and word in word_list("short_answers.txt"):
        after = text[nxt.end() : nxt.end() + 1]
        if after == "" or after in ",.;:!?":  # "46 percent said yes, …"
            return att._push(nxt.span(), rule, (cs, ce), entry, src)
    answer_to = word in word_list("short_answers.txt") and _TO.match(text, nxt.end())
    determiner_no = word == "no" and _NO_DETERMINER.match(text, nxt.end()) is not None
    if (
        word in reject
        and not (word == "if" and entry.frame == "clause")
        and not answer_to
        and not determiner_no  # "records show no gifts …", "said no decision was made"
    ):
        return False  # "X said if …" opens a conditional clause, "X asked if …" a question
    if entry.frame == "clause" and nxt.group().lower() == "to":
        return False
    if entry.frame == "obj" and word in _AFTER_OBJECT:
        place = _PLACE_THEN_THAT.match(text, pos, e)
        if place is None:
            return False  # "told reporters on a visit to …": where, not what
        pos = place.end()  # "told reporters in Dallas that C": where, then what
    start = skip_space(text, pos)
    if start < e and text[start] == ",":
        start += 1
    end = att._content_end(start, e)
    if (
        text[src[0] : src[1]].lower() in ("who", "which")
        and "," in text[max(s, src[0] - 40) : src[0]]
    ):
        end = att._relative_end(start, end)  # "X, who said last week that C, did Y"
    p = skip_space(text, s)
    sub = _FRONT_SUBORDINATE.match(text, p, cs) if may_open_with(text, p, cs, _FRONT) else None
    a = max(s, cs - 80)
    if sub is None and text.find(",", a, cs) != -1:  # (every mid clause opens with a comma)
        # "…, when he said C, the crowd …": the last such clause before the cue
        sub = max(_MID_SUBORDINATE.finditer(text, a, cs), default=None, key=_start)
    if sub is not None and "," not in text[sub.end() : cs]:
        end = att._relative_end(start, end)  # "Although he admitted C, he …": C ends there
    return att._push((start, end), rule, (cs, ce), entry, src)
