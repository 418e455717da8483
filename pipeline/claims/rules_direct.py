"""Direct quotes: `“…,” SRC said`, `“…,” said SRC`, `SRC said: “…”`, split quotes joined
into one claim, and a quote after a paraphrase of the same sentence (mixed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import (
    _WORD_RE,
    _skip_time,
    _strip_aux,
    _words_upto,
    object_after,
    skip_space,
    trim,
)
from pipeline.claims.cues import Cue, lookup_verb
from pipeline.claims.draft import Draft
from pipeline.claims.model import ClaimKind, Span
from pipeline.claims.quotes import Quote
from pipeline.claims.sources import crosses_sentence, np_after, word_list
from pipeline.claims.verb_forms import VerbHit

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_ASIDE_CH: Final = (
    r"(?:[^,;.!?“”\"()]|(?<=\b[A-Z])\.)"  # initials ("George W. Bush") may stand inside
)
_ASIDE: Final = re.compile(rf"\s*,{_ASIDE_CH}{{2,100}}(?:,{_ASIDE_CH}{{2,80}})?,\s*")
_CLAUSE_STOP: Final = re.compile(r"[,.;:!?\"“”]|''")
_THAT_WORD: Final = re.compile(r"\bthat\b", re.IGNORECASE)
_QUOTE_GAP_ASIDE: Final = re.compile(
    r"\s*,\s*(?:[a-z]+ly\s+)?([a-z]{3,}ing)\b[^.;“”\"]{0,80}?[,.]\s*"
)
_OBJ_TAIL: Final = re.compile(r"(?:\s*\([^()\n]{1,20}\))?(?:\s+[a-z]{3,}ly\b)?")
_ABOUT: Final = re.compile(r"\s+(?:of|about)\s+", re.IGNORECASE)


def _invertible(surface: str) -> bool:
    """Verbs that come before their speaker after a quote: "“…,” said Obama", not "thanked"."""
    entry = lookup_verb(surface)
    return (
        entry is not None
        and entry.frame in ("clause", "that", "any", "obj")
        and not surface.lower().partition(" ")[0].endswith("ing")
    )


def direct(att: Attributor) -> None:
    text = att.text
    carry: dict[int, tuple[str, Span, Cue, Span | None]] = {}  # quote index → how it attaches
    last_direct: int | None = None
    skip: set[int] = set()
    for qi, q in enumerate(att.quotes):
        if qi in skip:
            continue
        para = att._para_of(q.start)
        sent = att._sentence_of(q.start)
        spans = q.spans
        found = carry.pop(qi, None)
        rule = found[0] if found else ""
        cue: Span | None = found[1] if found else None
        entry: Cue | None = found[2] if found else None
        src: Span | None = found[3] if found else None
        attr_end = q.end
        if found is None:
            post = cue_after_quote(att, q, para[1])
            if post:
                cue, entry, src, attr_end = post
                rule = "direct_postcue"
            else:
                pre = cue_before_quote(att, q, para[0])
                if pre:
                    cue, entry, src = pre
                    rule = "direct_precue"
        lead = text[sent[0] : q.start].strip(" \t\"“”'‘’«»([")
        introduced = text[sent[0] : q.start].rstrip(" \t\"“”'‘’«»([").endswith(":")
        if (
            rule
            and lead
            and rule == "direct_postcue"
            and _words_upto(text, (sent[0], q.start), 1)
            and not introduced  # "…: “Q,” he said": the words before the colon are not Q
        ):
            if entry is None or att._in_quote(sent[0]) is not None:
                continue
            # words before the quote in its sentence: a paraphrase containing quoted words
            content = trim(text, sent[0], q.end)
            if att._taken(*content):
                continue
            att._add(Draft(ClaimKind.MIXED, (content,), "mixed_postcue", cue, entry, src))
            continue
        if not rule:
            continue  # a continuation, if it is one, joins its claim in `continuations`
        if src is None and rule == "direct_precue" and att.drafts and last_direct is not None:
            prev = att.drafts[last_direct]
            if prev.source and para[0] <= prev.source[0]:
                src = prev.source
                rule = "direct_precue_participle"
        if src is None and rule == "direct_precue" and cue and text[cue[1] - 3 : cue[1]] == "ing":
            # "X attacked Y, saying, “…”": the sentence's subject speaks
            src = att._subject(sent[0], cue[0])
            rule = "direct_precue_participle_subject"
        if src is None:
            continue
        # split quote `“A,” he said, “B.”` and `…, adding, “C”`
        nxt_i = qi + 1
        if nxt_i < len(att.quotes) and att.quotes[nxt_i].start < para[1]:
            nq = att.quotes[nxt_i]
            gap = text[attr_end : nq.start]
            aside = _QUOTE_GAP_ASIDE.fullmatch(gap)
            if rule == "direct_postcue" and (
                re.fullmatch(r"\s*,\s*", gap)
                or (aside is not None and lookup_verb(aside.group(1)) is None)
            ):  # "“A,” she said, clapping, “B.”": one claim; "…, adding, “B”" is another
                spans = spans + nq.spans
                skip.add(nxt_i)
            else:
                m = re.fullmatch(r"([^.;“”\"]*?)[\s,]*\b(\w+ing)\b[\s,:]*", gap)
                part = lookup_verb(m.group(2)) if m else None
                if m and part is not None:
                    cs = attr_end + m.start(2)
                    carry[nxt_i] = ("direct_participle", (cs, cs + len(m.group(2))), part, src)
        last_direct = att._add(Draft(ClaimKind.DIRECT, spans, rule, cue, entry, src))


def cue_after_quote(
    att: Attributor, q: Quote, hi: int
) -> tuple[Span, Cue, Span | None, int] | None:
    """`“…,” SRC CUE` or `“…,” CUE SRC`: (cue span, entry, source, end of the attribution)."""
    text = att.text
    p = skip_space(text, q.end)
    if p < hi and text[p] == ",":
        p = skip_space(text, p + 1)
    m = att._verb_at(p, hi)
    inverted = m is not None and _invertible(m.group())
    if m and inverted:  # inverted: "said Obama" (a speech verb, not "thanked Obama")
        src = np_after(text, skip_space(text, m.end()), hi)
        if src is not None:
            return (m.start(), m.end()), lookup_verb(m.group()), src, src[1]  # type: ignore[return-value]
        return None
    if m:
        return None  # "… “Scandal,” thanked Obama …": the quote is no claim of Obama's
    closed = closes_sentence(att, q)
    for m in att._verbs_in(p, min(hi, p + 160)):
        if crosses_sentence(text, p, m.start()):
            return None
        if closed and att._sentence_of(m.start())[0] >= q.end:
            return None  # “… Clinton.'' A spokesman declined …: a new sentence, not a cue
        # the first cue that fits: "“…,” Jane Doe, who has endorsed no one, told reporters"
        found = source_after_quote(att, m, p, hi)
        if found is not None:
            return found
    return None


def closes_sentence(att: Attributor, q: Quote) -> bool:
    """A quote whose words end in a period ("… Clinton.''") closes its sentence."""
    i = q.end - 1
    while i > q.start and att.text[i] in "\"“”'‘’»":
        i -= 1
    return att.text[i] == "."


def source_after_quote(
    att: Attributor, m: VerbHit, p: int, hi: int
) -> tuple[Span, Cue, Span | None, int] | None:
    """`SRC CUE` right after a quote (from `p`), or `SRC, ASIDE, CUE`."""
    text = att.text
    src = att._source_before(m.start(), p)
    if src is None or text[p : src[0]].strip():
        # "“…,” Jane Doe, the committee chair, said": the NP before the aside
        src = np_after(text, p, m.start())
        if src is None or not _ASIDE.fullmatch(text, src[1], _strip_aux(text, m.start(), p)):
            return None
    entry = lookup_verb(m.group())
    if entry is None or not attribution_ends(att, m.end(), hi, entry):
        return None
    end = m.end()
    if entry.frame == "obj":  # "“A,” he told the paper in May, “B.”": the split joins after
        obj = object_after(text, skip_space(text, _skip_time(text, end, hi)), hi)
        end = _skip_time(text, obj[1], hi) if obj else end
    return (m.start(), m.end()), entry, src, end


def attribution_ends(att: Attributor, pos: int, hi: int, entry: Cue) -> bool:
    """After `“…,” he said`: punctuation, a time or place phrase, not a clause of its own."""
    text = att.text
    if entry.frame == "obj":  # "he told reporters …" unless "… that CLAUSE" follows
        stop = _CLAUSE_STOP.search(text, pos, hi)
        return _THAT_WORD.search(text, pos, stop.start() if stop else hi) is None
    pos = skip_space(text, pos)
    if pos >= hi or not text[pos].isalnum():
        return True
    w = _WORD_RE.match(text, pos)
    if w is None:
        return True
    word = w.group().lower()
    return word in word_list("after_attribution.txt") or (word.endswith("ly") and len(word) > 4)


def cue_before_quote(att: Attributor, q: Quote, lo: int) -> tuple[Span, Cue, Span | None] | None:
    """`SRC CUE[,:] “…”`, also with "in a statement" between cue and colon."""
    text = att.text
    j = q.start
    while j > lo and text[j - 1].isspace():
        j -= 1
    if j <= lo or text[j - 1] not in ",:":
        return None
    best = None
    for m in att._verbs_in(max(lo, j - 120), j):
        best = m
    if best is None:
        return None
    between = text[best.end() : j - 1]
    entry = lookup_verb(best.group())
    if entry is None:
        return None
    if between.strip():
        k = _skip_time(text, best.end(), j - 1)
        if entry.frame == "obj" and text[k : j - 1].strip():
            obj = object_after(text, skip_space(text, k), j - 1)
            k = obj[1] if obj else k
            tail = _OBJ_TAIL.match(text, k, j - 1)  # "the Associated Press (AP)", "simply"
            k = _skip_time(text, tail.end(), j - 1) if tail else k
        about = _ABOUT.match(text, k, j - 1)
        if about is not None and text[k : j - 1].strip():  # "she said of the plan: “Q”"
            topic = np_after(text, about.end(), j - 1)
            k = _skip_time(text, topic[1], j - 1) if topic else k
        if text[k : j - 1].strip():
            return None
    src = att._source_before(best.start(), lo)
    c = best.start()
    while c > lo and text[c - 1].isspace():
        c -= 1
    gerund = best.group().partition(" ")[0].endswith("ing")  # "…, saying, “…”": the subject
    if src is None and not gerund and c > lo and text[c - 1] == ",":
        # "Jane Doe, who chairs the panel, told the paper, “…”"
        src = att._apposition_source(att._sentence_of(best.start())[0], c)
    return (best.start(), best.end()), entry, src
