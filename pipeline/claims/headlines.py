"""Attributions in headlines and signed quotes, where news drops the verb.

PolNeAR-style annotation counts `Source: claim` headlines ("Senator: the bill is dead"), title-case
cue verbs in headlines ("Governor Endorses Rival") and quotes signed with a dash (`“…” ― Name`).
Body rules skip headings on purpose (no sentence punctuation, capitals everywhere), so these
patterns get their own narrow rules: the source must look like a name or short noun phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from pipeline.claims.cues import Cue, lookup_verb
from pipeline.claims.model import Span, Stance
from pipeline.claims.quotes import Quote
from pipeline.claims.sources import word_list

COLON_CUE: Final = Cue(":", "prep", Stance.NEUTRAL, "clause")
HEADLINE_VERB: Final = Cue("headline verb", "verb", Stance.NEUTRAL, "np")
DASH_CUE: Final = Cue("―", "prep", Stance.NEUTRAL, "clause")
_COLON: Final = re.compile(r"([^:\n]{2,60}?)\s*:\s+(?=\S)")
_WORD: Final = re.compile(r"[\w’'.-]+")
_DASH_SIGN: Final = re.compile(r"\s*[―—–]\s*([A-Z][^\n,;:!?“”\"]{1,50}?)\s*\.?\s*$")
_SMALL: Final = frozenset(
    {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "van", "von"}
)
_MAX_SOURCE_WORDS: Final = 6
_SOURCE_TAIL: Final = frozenset(
    {"just", "finally", "quietly", "openly", "even", "may", "might", "not"}
)
_FRONTED: Final = re.compile(r"[A-Z][a-z]+ing\b[^,;:]{0,60},\s+(?=[A-Z])")
_PARTICLES: Final = frozenset(
    {"for", "at", "on", "about", "to", "against", "with", "off", "out", "after", "up"}
)
_BREAK: Final = re.compile(r"[,;:]\s|\s[-–—―]+\s|(?<![A-Z])[.?!]\s|(?<![A-Z])\.?$")
_POSTCUE: Final = re.compile(r",\s+([A-Z][^,;:]{1,50}?)\s+([A-Za-z]+(?:s|ed))\.?\s*$")


def _words(text: str, span: Span) -> int:
    return len(_WORD.findall(text[span[0] : span[1]]))


def _name_like(text: str, span: Span) -> bool:
    """Short, and every word capitalized except small connectives ("Secretary of State")."""
    words = _WORD.findall(text[span[0] : span[1]])
    if not 1 <= len(words) <= _MAX_SOURCE_WORDS or words[0].lower() in _SMALL:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL for w in words)


def _group_like(text: str, span: Span) -> bool:
    """A name and a lower-case head: "Clinton camp", "Obama aides", "GOP leaders"."""
    words = _WORD.findall(text[span[0] : span[1]])
    if not 2 <= len(words) <= 3 or not words[0][:1].isupper():
        return False
    if words[0].lower() in word_list("determiners.txt") | _SMALL:
        return False
    return not any(w.islower() and w in word_list("np_stop.txt") for w in words)


def _trim(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == "."):
        b -= 1
    return a, b


def colon_headline(text: str, para: Span) -> tuple[Span, Span, Span] | None:
    """`Source: claim` at the start of a heading: (source, cue, content)."""
    m = _COLON.match(text, para[0], para[1])
    if m is None:
        return None
    src = _trim(text, m.start(1), m.end(1))
    if text[src[0] : src[1]].lower() in word_list("headline_labels.txt"):
        return None
    if not _name_like(text, src) and not _group_like(text, src):
        return None
    colon = text.index(":", src[1], m.end())
    content = _trim(text, m.end(), para[1])
    if len(_WORD.findall(text[content[0] : content[1]])) < 2:
        return None
    return src, (colon, colon + 1), content


def _label_end(text: str, para: Span) -> int:
    """Where the headline's own clause starts: after a label and colon ("The Latest: Sanders
    declares …", "Ah, friends once more: Ted Cruz endorses …") or a fronted participle phrase
    ("Railing Against Trump, Sanders Vows …")."""
    m = _COLON.match(text, para[0], para[1])
    if m is not None:
        label = _trim(text, m.start(1), m.end(1))
        if text[label[0] : label[1]].lower() in word_list("headline_labels.txt"):
            return m.end()
        if not _name_like(text, label):
            return m.end()
    m = _FRONTED.match(text, para[0], para[1])
    return m.end() if m else para[0]


def _object_end(text: str, words: list[re.Match[str]], start: int, hi: int) -> int:
    """Where a headline's object ends: annotators take "Trump" from "blasts Trump over …"."""
    stops = word_list("headline_object_stops.txt")
    end = hi
    for m in _BREAK.finditer(text, start, hi):
        end = m.start()
        break
    for w in words:
        if w.start() > start and w.start() < end and w.group().lower() in stops:
            return w.start()
    return end


def _headline_verb(surface: str) -> Cue | None:
    """A verb from `headline_verbs.txt` ("Backs", "Sides"): headlines only."""
    return HEADLINE_VERB if surface.lower() in word_list("headline_verbs.txt") else None


def _signed_at_end(text: str, start: int, end: int) -> tuple[Span, Span, Cue, Span] | None:
    """`Claim, Name Says.`: the source and cue close the headline."""
    m = _POSTCUE.search(text, start, end)
    if m is None:
        return None
    entry = lookup_verb(m.group(2))
    src = _trim(text, *m.span(1))
    content = _trim(text, start, m.start())
    if entry is None or not _name_like(text, src) or _words(text, content) < 2:
        return None
    return src, m.span(2), entry, content


def verb_headline(text: str, para: Span) -> tuple[Span, Span, Cue, Span] | None:
    """`Source Verbs Claim` in a heading: (source, cue, entry, content)."""
    start = _label_end(text, para)
    signed = _signed_at_end(text, start, para[1])
    if signed is not None:
        return signed
    words = list(_WORD.finditer(text, start, para[1]))
    for i, w in enumerate(words[1 : _MAX_SOURCE_WORDS + 1], start=1):
        surface = w.group()
        prev = words[i - 1].group()
        plural_subject = len(prev) > 3 and prev.endswith("s") and not prev.endswith(("'s", "ss"))
        if not surface.lower().endswith(("s", "ed")) and not plural_subject:
            continue  # a bare form only after a plural: "Republicans blast Obama"
        pair = f"{surface} {words[i + 1].group()}" if i + 1 < len(words) else ""
        two_word = lookup_verb(pair) if pair else None  # "Rules Against", "Sums Up"
        entry = two_word or lookup_verb(surface) or _headline_verb(surface)
        if entry is None:
            continue
        k = i
        while k > 1 and words[k - 1].group().lower() in _SOURCE_TAIL | word_list("aux.txt"):
            k -= 1  # "Trump Just Revealed", "Republicans Finally Confirmed": not the source
        src = (words[0].start(), words[k - 1].end())
        if text.find(",", src[0], src[1]) != -1 and i > 3:
            return None
        if not text[src[0]].isupper() or any(x.group().lower() in _SMALL for x in words[:i]):
            return None
        cue_end = words[i + 1].end() if two_word else w.end()
        nxt = i + 1
        if not two_word and nxt < len(words) and words[nxt].group().lower() in _PARTICLES:
            cue_end = words[nxt].end()  # "Calls for", "hints at": the particle is the cue's
        end = para[1]
        if entry.frame == "np":  # an object, not a clause: "blasts Trump over …" → "Trump"
            end = _object_end(text, words, cue_end, end)
        content = _trim(text, cue_end, end)
        if _words(text, content) < 1:
            return None
        return src, (w.start(), cue_end), entry, content
    return None


def dash_signed(text: str, quotes: list[Quote]) -> Iterator[tuple[Quote, Span, Span]]:
    """`“…” ― Name`: the quote, the dash, and the name that signs it (to the line's end)."""
    for q in quotes:
        line_end = text.find("\n", q.end)
        line_end = len(text) if line_end == -1 else line_end
        m = _DASH_SIGN.match(text, q.end, line_end)
        if m is None:
            continue
        dash = next(i for i in range(q.end, m.start(1)) if text[i] in "―—–")
        src = _trim(text, m.start(1), m.end(1))
        if _name_like(text, src):
            yield q, (dash, dash + 1), src
