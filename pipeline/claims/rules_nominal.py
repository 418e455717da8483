"""Nominal cues with a prepositional complement: "his attacks on Curiel", "support for the bill".

The verb rules and the lexicon's `that`/`of` nouns miss a noun whose complement opens with
another preposition or an infinitive. PolNeAR annotates the complement as the content; the
source is the possessor when the noun phrase opens the sentence ("His attacks on …"), else the
clause's subject ("Clinton has stood by her plan to …", "X is chiming in with criticism of …").
A noun phrase right after a verb is that verb's object and is left to the verb rules; a noun
with neither possessor nor subject is left alone (measured on PolNeAR train: mostly noise).
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.attribution import Attributor, trim
from pipeline.claims.cue_openings import nominal_lexicon
from pipeline.claims.literals import matches_at
from pipeline.claims.model import Span
from pipeline.claims.sources import np_before, word_list

_POSSESSOR: Final = re.compile(
    r"(?:'s|’s|\b(?:his|her|their|its|our|my))\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)
_NP_STOP: Final = re.compile(
    r"[,;:()\"“”]|\s[-–—]+\s|[!?](?:\s|$)|(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\.(?:\s|$)"
)  # a period after "Sen", "Gov", "Mr" or an initial does not end the phrase
_WORD: Final = re.compile(r"[\w’'-]+")
_NOT_POSSESSORS: Final = frozenset(
    {"it", "that", "there", "here", "what", "who", "he", "she", "this"}
)
_DET_BEFORE: Final = re.compile(r"\b(?:the|a|an|this|that|these|those|such|new|growing)\s+$", re.I)


def object_end(text: str, start: int, e: int) -> int:
    """The object of the complement: to a comma, a clause break or a finite verb."""
    m = _NP_STOP.search(text, start, e)
    end = m.start() if m else e
    stops = word_list("headline_object_stops.txt") | word_list("aux.txt")
    finite = {"is", "are", "was", "were", "will", "would", "could", "can", "may", "might"}
    for w in _WORD.finditer(text, start, end):
        if w.start() > start and w.group().lower() in stops | finite:
            return w.start()
    return end


def _source(att: Attributor, s: int, noun_start: int) -> Span | None:
    text = att.text
    pm = _POSSESSOR.search(text, max(s, noun_start - 40), noun_start)
    if pm is None:
        return None
    if pm.group().lower().startswith(("'s", "’s")):
        src = np_before(text, pm.start(), s)
        if src is None or text[src[0] : src[1]].lower() in _NOT_POSSESSORS:
            return None  # "It's", "there's": a contraction of "is", no possessor
        return src[0], pm.start() + 2
    w = _WORD.search(text, pm.start())
    return (w.start(), w.end()) if w else None


def _not_an_object(text: str, s: int, phrase_start: int) -> bool:
    """The noun phrase opens its sentence or follows a preposition: "Despite his pledge to …".

    After a verb ("he repeated his promise to …") the verb is the cue and the whole noun phrase
    its content, which the verb rules (or nothing) should claim, not this one.
    """
    before = _WORD.findall(text, max(s, phrase_start - 30), phrase_start)
    if not before or not text[s:phrase_start].strip(" \"“'‘("):
        return True
    return before[-1].lower() in word_list("nominal_openers.txt")


def nominal_cues(att: Attributor) -> None:
    """`[POSS] NOUN PREP CONTENT` in body sentences; content is the object or the clause."""
    text = att.text
    rx, entries = nominal_lexicon()
    starts = att.cue_starts.nominal if att.cue_starts is not None else None
    for m in matches_at(rx, text, starts, 0, len(text)):  # one pass, not one per sentence
        s, e = att._sentence_of(m.start())
        entry = entries.get((m.group(1), m.group(2)))
        if entry is None or m.end() > e or att._in_quote(m.start()) or att._taken(*m.span()):
            continue
        src = _source(att, s, m.start())
        phrase_start = src[0] if src is not None else m.start()
        det = _DET_BEFORE.search(text, max(s, phrase_start - 12), phrase_start)
        if det is not None:
            phrase_start = det.start()
        if not _not_an_object(text, s, phrase_start):
            continue
        if text[s:phrase_start].strip(" \"“'‘("):
            # "X is chiming in with criticism of …": the clause's subject holds the view
            subject = att._subject(s, phrase_start)
            if subject is not None and subject[1] <= phrase_start:
                src = subject
        start = m.end() if entry.frame != "to" else m.start(2)
        if entry.frame in ("that", "to"):
            end = att._content_end(start, e)
        else:
            end = object_end(text, start, e)
        if src is None:
            continue  # measured on PolNeAR train: a bare "support for …" is mostly noise
        att._push(trim(text, start, end), "nominal_prep", m.span(1), entry, src)
