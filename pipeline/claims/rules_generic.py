"""General frames for cues in no lexicon: "X <any verb> that C", progressive lexicon cues.

About 40 % of the attributions the lexicon rules miss use a cue verb no list holds ("makes the
case", "figures", "anticipated"). A finite verb followed by "that"/"whether" with a subject
before it is a reported clause far more often than a bare unknown verb is a cue, so the frame,
not the word, is the evidence here. A progressive form of a lexicon cue ("is insisting that")
is rejected by the verb rules (an -ing form there is usually a participle) and handled here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from pipeline.claims.attribution import Attributor, Draft
from pipeline.claims.attribution_text import skip_space
from pipeline.claims.cues import Cue, lookup_noun, lookup_verb
from pipeline.claims.literals import matches_at
from pipeline.claims.model import Span, Stance
from pipeline.claims.sources import PRONOUNS, np_after, np_before, word_list
from pipeline.claims.verb_forms import VerbHit
from pipeline.claims.word_scans import ing_words, ly_words, word_before_space

_WORD: Final = re.compile(r"[\w’'-]+")
_BE: Final = re.compile(r"(?:\b(?:is|are|was|were|am|been|be)|’s|'s|’re|'re)\s+(?:[a-z]+ly\s+)?$")
_ANY_POSSESSOR: Final = re.compile(r"(\w(?:['’]s|s['’]))\s+(?:[\w-]+\s+){0,2}$")
_NOUN_BEFORE: Final = re.compile(r"\b([a-z]{3,})\s+$")
# `\bto\s+` and `\b(?:that|whether)\b`, with the boundary as a lookbehind after the word: a
# pattern that opens with literals is found by a fast substring search, one that opens with `\b`
# is tried at every position of the text (the same matches: "t" and "w" are word characters)
_TO_WORD: Final = re.compile(r"to(?<!\wto)\s+")
_AS_WORD: Final = re.compile(r",\s+as\s+")
_COMMA_AS: Final = re.compile(r",\s+as\s+$")
_COMP: Final = re.compile(r"(?:that(?<!\wthat)|whether(?<!\wwhether))\b")
_VERB_BEFORE: Final = re.compile(r"\b([a-z][a-z’'-]{2,})\s+$")
# "did not specify whether he was talking about C": an open question, not a claim
_OPEN_QUESTION: Final = re.compile(r"\bwhether\s+(?:[\w’'-]+\s+){1,4}$", re.IGNORECASE)
_MODALS: Final = frozenset(
    {"would", "will", "could", "can", "may", "might", "should", "must", "to"}
)
_PERSONAL: Final = frozenset({"i", "we", "they", "you", "he", "she"})
_NOT_POSSESSORS: Final = frozenset(
    {"it", "that", "there", "here", "what", "who", "he", "she", "this"}
)
_ABSTRACT: Final = (
    "tion",
    "sion",
    "ment",
    "ance",
    "ence",
    "tions",
    "sions",
    "ments",
    "ances",
    "ences",
)
_SINGULAR: Final = frozenset({"he", "she", "it", "who", "which", "that"})


@cache
def _stops() -> frozenset[str]:
    return word_list("generic_verb_stops.txt") | word_list("determiners.txt")


def _open_question(text: str, s: int, pos: int) -> bool:
    """The cue's clause is the complement of "whether" ("asked whether he was insisting"): these
    weak frames then report an open question, not a claim. Not "if": a condition still claims."""
    return _OPEN_QUESTION.search(text, max(s, pos - 50), pos) is not None


def _relabel(att: Attributor, before: int, rule: str) -> None:
    for d in att.drafts[before:]:
        d.rule = rule


def progressive_cues(att: Attributor, verbs: list[VerbHit]) -> None:
    """`X is insisting that C`, `X was suggesting C`: a lexicon cue after a form of "be"."""
    text = att.text
    for m in verbs:
        cs, ce = m.span()
        if not m.group().split()[0].endswith("ing") or cs in att._cues_used:
            continue  # "is calling for": the first word carries the -ing
        be = _BE.search(text, max(0, cs - 24), cs)
        if be is None:
            continue
        s, e = att._sentence_of(cs)
        if ce > e or att._in_quote(cs) or att._taken(cs, ce) or _open_question(text, s, be.start()):
            continue
        entry = lookup_verb(m.group())
        if entry is None:
            continue
        n = len(att.drafts)
        att._forward(s, e, be.start(), ce, entry, "progressive")  # the cue is "is insisting"
        _relabel(att, n, "generic_progressive")


def _finite(text: str, s: int, ws: int, word: str) -> bool:
    """A finite verb, judged by its form and the word before it."""
    prev = _WORD.findall(text, max(s, ws - 30), ws)
    p = prev[-1].lower() if prev else ""
    if p in _stops() and p not in _MODALS and p not in PRONOUNS:
        return False  # "the evidence that", "so much that"
    if p in _PERSONAL or p in _MODALS:
        return True
    if word.endswith("ed"):
        return True
    if not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return False
    # "-s" after a lower-case word is a plural noun ("small donations that …"), after a name,
    # "he" or an adverb a verb ("The Labor Department calculates that …")
    return bool(prev) and (prev[-1][:1].isupper() or p in _SINGULAR or p.endswith("ly"))


def _clause_next(text: str, pos: int, e: int) -> bool:
    """A complement clause opens with a subject; a relative "that" with a verb ("that were"),
    a determiner "that" with its noun ("that deadline")."""
    if pos < e and text[pos] in "\"“‘'":
        return True
    w = _WORD.search(text, pos, e)
    if w is None or text[pos : w.start()].strip():
        return False
    word = w.group()
    openers = word_list("clause_openers.txt") | word_list("determiners.txt")
    return word[:1].isupper() or word[:1].isdigit() or word.lower() in openers


def generic_that(att: Attributor, comps: list[re.Match[str]]) -> None:
    """`SRC VERB that C` / `SRC VERB whether C` for a verb in no lexicon."""
    text = att.text
    for c in comps:
        verb = word_before_space(text, max(0, c.start() - 40), c.start(), inner=True)
        if verb is None:  # (`_VERB_BEFORE.search`, read backwards)
            continue
        ws, we = verb
        word = text[ws:we].lower()
        if word in _stops() or ws in att._cues_used or lookup_verb(word) is not None:
            continue
        s, e = att._sentence_of(ws)
        if c.end() > e or att._in_quote(ws) or att._taken(ws, c.end()):
            continue
        if c.group() == "that" and not _clause_next(text, skip_space(text, c.end()), e):
            continue
        if not _finite(text, s, ws, word):
            continue
        src = att._source_before(ws, s)
        if src is None or not att._subject_ok(src, word):
            continue
        first = text[src[0] : src[1]].split()[0]
        if not (first[:1].isupper() or first.lower() in PRONOUNS or first.lower() in _stops()):
            continue
        start = c.start()
        end = att._content_end(start, e)
        entry = Cue(word, "verb", Stance.NEUTRAL, c.group())
        att._push((start, end), "generic_that", (ws, we), entry, src)


_SPEECH: Final = frozenset({"clause", "that", "any", "obj"})
_COMMA_ADVERB: Final = re.compile(r",\s*(?:even|also|again|then|later|[a-z]+ly)\s+$")
_PLAIN_COMMA: Final = re.compile(r",\s*(?:[a-z]+ly\s+)?$")
_QUOTE_COMMA: Final = re.compile(r",[”’\"']+\s*(?:[a-z]+ly\s+)?$")


def _speaker_before(att: Attributor, s: int, pos: int) -> Span | None:
    """The source of the latest claim ending right before `pos` ("“…,” she said, adding …"),
    else of any claim sourced in the sentence so far."""
    best: Draft | None = None
    for d in att.drafts:
        if d.source is not None and d.end <= pos and pos - d.end <= 4:
            best = d
    if best is not None:
        return best.source
    return att._source_in(s, pos)


def quote_participles(att: Attributor, verbs: list[VerbHit]) -> None:
    """`“…,” adding that C`, `… the “king of debt,” noting that C`, `…, even suggesting C`: a
    speech participle after a comma inside a closing quote mark or after a comma and an adverb
    (the verb rules want the comma right before it)."""
    text = att.text
    for m in verbs:
        cs, ce = m.span()
        if not m.group().split()[0].endswith("ing") or cs in att._cues_used:
            continue
        q = _QUOTE_COMMA.search(text, max(0, cs - 20), cs)
        multiword = " " in m.group()  # "…,” X said, referring to …": the verb rules test the
        if q is None and multiword:  # whole phrase for "-ing" and miss it
            q = _PLAIN_COMMA.search(text, max(0, cs - 20), cs)
        if q is None:  # "…, even suggesting …": an adverb the verb rules do not skip
            q = _COMMA_ADVERB.search(text, max(0, cs - 20), cs)
        if q is None:
            continue
        s, e = att._sentence_of(cs)
        entry = lookup_verb(m.group())
        if entry is None or att._in_quote(cs):
            continue
        if entry.frame not in _SPEECH and not (multiword and entry.frame == "np"):
            continue
        if ce > e or att._taken(cs, ce):
            continue
        src = _speaker_before(att, s, q.start() + 2) or att._subject(s, q.start())
        if src is None:
            continue
        pos = ce
        if entry.frame == "obj":  # "telling CNN that …"
            obj = np_after(text, skip_space(text, pos), e)
            if obj is None:
                continue
            pos = obj[1]
        start = skip_space(text, pos)
        if entry.frame == "that" and not text.startswith("that", start):
            continue
        att._push((start, att._content_end(start, e)), "generic_participle", (cs, ce), entry, src)


_POSS_BEFORE: Final = re.compile(
    r"(?:\b(?:his|her|their|its|our|my)|['’]s)\s+(?:[a-z]+\s+)??([a-z]{3,})\s+(?:(?:is|was)\s+)?$",
)


def _speech_noun(word: str) -> bool:
    """A noun that names words or thoughts: a cue verb's form ("claim", "comments") or an
    abstract noun ("contention", "assurances"), not "his presidency", "their ancestors"."""
    return lookup_verb(word) is not None or word.endswith(_ABSTRACT)


def possessed_that(att: Attributor, comps: list[re.Match[str]]) -> None:
    """`their fear that C`, `the senator's view that C`: a possessed noun with a clause."""
    text = att.text
    for c in comps:
        m = _POSS_BEFORE.search(text, max(0, c.start() - 50), c.start())
        if m is None:
            continue
        ns, ne = m.span(1)
        word = m.group(1)
        if word in _stops() or ns in att._cues_used or not _speech_noun(word):
            continue
        s, e = att._sentence_of(ns)
        if c.end() > e or att._in_quote(ns) or att._taken(ns, c.end()):
            continue
        if c.group() == "that" and not _clause_next(text, skip_space(text, c.end()), e):
            continue
        head = m.group().split()[0].lower()
        if head.endswith(("'s", "’s")):
            src = np_before(text, m.start(), s)
            if src is None or text[src[0] : src[1]].lower() in _NOT_POSSESSORS:
                continue
            src = (src[0], m.start() + 2)
        else:
            w = _WORD.search(text, m.start())
            src = (w.start(), w.end()) if w else None
        if src is None:
            continue
        if text[s : src[0]].strip(" \"“'‘("):  # "Trump laid out his concerns that …": the
            subject = att._subject(s, src[0])  # clause's subject holds the view
            if subject is not None and subject[1] <= src[0]:
                src = subject
        start = c.start()
        entry = Cue(word, "noun", Stance.NEUTRAL, c.group())
        att._push((start, att._content_end(start, e)), "generic_poss_that", (ns, ne), entry, src)


_ADVERB: Final = re.compile(r"\b([a-z]{3,}ly)\s+$")


def adverb_cues(att: Attributor, verbs: list[VerbHit]) -> None:
    """`X has sharply criticized C`, `X powerfully highlights C`: a manner adverb the source
    scan does not know sits between the source and a lexicon cue; it joins the cue."""
    text = att.text
    skip = word_list("aux.txt")
    for m in verbs:
        cs, ce = m.span()
        if cs in att._cues_used:
            continue
        adv = _ADVERB.search(text, max(0, cs - 24), cs)
        if adv is None or adv.group(1) in skip or adv.group(1) in _stops():
            continue
        s, e = att._sentence_of(cs)
        if ce > e or att._in_quote(cs) or att._taken(adv.start(), ce):
            continue
        if _open_question(text, s, adv.start()):
            continue
        entry = lookup_verb(m.group())
        if entry is None:
            continue
        n = len(att.drafts)
        att._forward(s, e, adv.start(1), ce, entry, m.group())
        _relabel(att, n, "generic_adverb")


def clause_nouns(att: Attributor, comps: list[re.Match[str]]) -> None:
    """`amid claims that C`, `X bristled at the suggestion that C`: a lexicon noun with a clause
    the possessive rule left; the source is a possessor further back or the clause's subject."""
    text = att.text
    for c in comps:
        if c.group() != "that":
            continue
        noun = word_before_space(text, max(0, c.start() - 30), c.start())
        if noun is None:  # (`_NOUN_BEFORE.search`, read backwards)
            continue
        entry = lookup_noun(text[noun[0] : noun[1]])
        if entry is None or entry.frame != "that" or noun[0] in att._cues_used:
            continue
        s, e = att._sentence_of(c.start())
        if att._in_quote(c.start()) or att._taken(noun[0], c.end()):
            continue
        if not _clause_next(text, skip_space(text, c.end()), e):
            continue
        src = None
        poss = _ANY_POSSESSOR.search(text, max(s, noun[0] - 60), noun[0])
        if poss is not None:  # "budget hawks’ warnings that", "X's evidence-free assertion that"
            src = np_before(text, poss.end(1), s)
        elif text[s : noun[0]].strip(" \"“'‘("):  # "Christie bristled at the suggestion
            src = att._subject(s, noun[0])  # that …": the clause's subject
            if src is not None and src[1] > noun[0]:
                src = None
        start = c.start()
        att._push((start, att._content_end(start, e)), "generic_noun", noun, entry, src)


@cache
def _catenative_re() -> re.Pattern[str]:
    phrases = sorted(word_list("catenatives.txt"), key=len, reverse=True)
    alts = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"\b(?:{alts})\s+to\s+$")


def catenative_cues(att: Attributor, verbs: list[VerbHit]) -> None:
    """`X went on to say that C`, `X was quick to point out C`: a bare cue after a phrase that
    keeps the cue's subject; the phrase joins the cue."""
    text = att.text
    for v in verbs:
        cs, ce = v.span()
        if cs in att._cues_used:
            continue
        cat = _catenative_re().search(text, max(0, cs - 40), cs)
        if cat is None:
            continue
        s, e = att._sentence_of(cs)
        if ce > e or att._in_quote(cs) or att._taken(cat.start(), ce):
            continue
        entry = lookup_verb(v.group())
        if entry is None or v.group().split()[0] != entry.lemma.split()[0]:
            continue  # the bare form only
        n = len(att.drafts)
        att._forward(s, e, cat.start(), ce, entry, v.group())
        _relabel(att, n, "generic_catenative")


def _cue_after_as(att: Attributor, m: re.Match[str]) -> VerbHit | None:
    """The first cue verb within a few words after ", as " (", as the senator noted")."""
    text = att.text
    for w in _WORD.finditer(text, m.end(), min(len(text), m.end() + 60)):
        if text[w.start() - 1] in ",.;:!?":
            return None
        v = att._verb_at(w.start(), len(text))
        if v is not None:
            return v
    return None


def as_postcues(att: Attributor, verbs: list[VerbHit]) -> None:
    """`C, as X noted.` and `A, as X said, B`: "as" makes the attribution an aside."""
    text = att.text
    for v in verbs:
        cs, ce = v.span()
        if cs in att._cues_used:
            continue
        s, e = att._sentence_of(cs)
        if ce > e or att._in_quote(cs) or att._taken(cs, ce):
            continue
        src = att._source_before(cs, s)
        if src is None:
            continue
        m = _COMMA_AS.search(text, max(s, src[0] - 12), src[0])
        if m is None or m.start() <= s:
            continue
        entry = lookup_verb(v.group())
        if entry is None or entry.frame not in _SPEECH:
            continue
        if not (att._right_ok(ce, e) or text.startswith(",", skip_space(text, ce))):
            continue
        att._push_around(s, e, m.start(), ce, "generic_as_postcue", (cs, ce), entry, src)


def generic_rules(att: Attributor) -> None:
    """All of this module's rules, in order, over one scan for cue verbs and complementizers
    (after the lexicon rules: a frame here only claims what they left)."""
    text, n = att.text, len(att.text)
    # cheap word scans first, the big cue-verb pattern only where one starts
    ing = [v for a, _ in ing_words(text) if (v := att._verb_at(a, n))]
    after_ly = [v for _, b in ly_words(text) if (v := att._verb_at(b, n))]
    starts = att.cue_starts  # "that"/"whether" found with the cue words (None: scan all)
    comps = matches_at(_COMP, text, starts.comps if starts is not None else None, 0, n)
    progressive_cues(att, ing)
    generic_that(att, comps)
    quote_participles(att, ing)
    possessed_that(att, comps)
    adverb_cues(att, after_ly)
    clause_nouns(att, comps)
    as_postcues(att, [v for m in _AS_WORD.finditer(text) if (v := _cue_after_as(att, m))])
    catenative_cues(att, [v for m in _TO_WORD.finditer(text) if (v := att._verb_at(m.end(), n))])
