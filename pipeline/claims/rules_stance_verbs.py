"""Verbs of taking sides ("supported Sanders", "would back the bill") with a strict source test.

"support" and "back" are nouns or adverbs far more often than cue verbs ("strong support from",
"back in January"), so the general verb rule would misread them (measured on PolNeAR train: 199
"support" predictions at 0.32 precision). Here the source must be a pronoun, a relative pronoun,
a name or a group noun, and a bare form must follow a pronoun or an auxiliary; the content is the
object noun phrase, as annotators mark it.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.claims.attribution import Attributor, trim
from pipeline.claims.attribution_text import skip_space
from pipeline.claims.cue_openings import stance_forms
from pipeline.claims.literals import matches_at
from pipeline.claims.rules_nominal import object_end
from pipeline.claims.sources import PRONOUNS, share_before, word_list

_WORD: Final = re.compile(r"[\w’'-]+")
_AS: Final = re.compile(r"\sas\s")
_RELATIVE: Final = frozenset({"who", "which", "that"})
_BARE_AFTER: Final = frozenset(
    {
        "to",
        "not",
        "n't",
        "would",
        "will",
        "could",
        "might",
        "may",
        "can",
        "do",
        "does",
        "did",
        "also",
        "strongly",
        "still",
        "never",
        "who",
    }
)
_NOT_OBJECT: Final = frozenset(
    {
        "for",
        "from",
        "among",
        "of",
        "to",
        "in",
        "behind",
        "across",
        "on",
        "at",
        "with",
        "by",
        "as",
        "up",
        "down",
        "off",
        "out",
        "away",
        "into",
    }
)


def _good_source(text: str, src: tuple[int, int], inflected: bool) -> bool:
    """A pronoun, a name or a group; "the mayor" only before an inflected form ("backed")."""
    words = _WORD.findall(text, *src)
    if not words:
        return False
    low = [w.lower() for w in words]
    if len(words) == 1 and (low[0] in PRONOUNS or low[0] in _RELATIVE):
        return low[0] != "you"  # "if you support X": a hypothetical, not a reported stance
    if inflected and len(words) > 1 and low[0] in word_list("determiners.txt"):
        return True
    return words[0][:1].isupper() or low[-1] in word_list("group_sources.txt")


def _person_like(text: str, src: tuple[int, int]) -> bool:
    """A personal pronoun or a capitalized name (no determiner, no relative pronoun)."""
    words = _WORD.findall(text, *src)
    low = words[0].lower()
    if len(words) == 1 and low in PRONOUNS:
        return low not in {"it", "you"}
    return low not in word_list("determiners.txt") | _RELATIVE and words[0][:1].isupper()


def _bare_verb_after(text: str, s: int, cs: int, prev: list[str]) -> bool:
    """A bare form is a verb after a pronoun or an auxiliary, and after a surveyed group:
    "Millennials support background checks", "Two-thirds favor a path to legal status"."""
    if not prev:
        return False
    last = prev[-1].lower()
    if last in _BARE_AFTER or last in PRONOUNS or last in word_list("group_sources.txt"):
        return True
    end = cs
    while end > s and text[end - 1].isspace():
        end -= 1
    return share_before(text, end, s) is not None


def stance_verbs(att: Attributor) -> None:
    text = att.text
    rx, forms = stance_forms()
    starts = att.cue_starts.stance if att.cue_starts is not None else None
    for m in matches_at(rx, text, starts, 0, len(text)):  # one pass, then each one's sentence
        cs, ce = m.span()
        s, e = att._sentence_of(cs)
        if ce > e or att._in_quote(cs) or att._taken(cs, ce) or cs in att._cues_used:
            continue
        nxt = _WORD.search(text, ce, e)
        gap = text[ce : nxt.start()].strip(" \t\"“‘'") if nxt is not None else "-"
        if nxt is None or gap or nxt.group().lower() in _NOT_OBJECT:
            continue
        entry = forms[m.group()]
        start = skip_space(text, ce)  # a quoted object keeps its opening mark
        seeing_as = entry.lemma == "see" and _AS.search(text, start, att._content_end(start, e))
        prev = _WORD.findall(text, max(s, cs - 20), cs)
        bare = m.group() == entry.lemma
        if bare and not seeing_as and not _bare_verb_after(text, s, cs, prev):
            continue  # "support" after a noun is a noun; "Democrats see X as Y" is a view
        src = att._source_before(cs, s)
        if src is None or not _good_source(text, src, not bare or bool(seeing_as)):
            continue
        quote = att._in_quote(start)
        end = quote.end if quote is not None else object_end(text, start, e)
        if entry.lemma == "see":  # "see X as Y", or a person who sees: not "it saw growth"
            end = att._content_end(start, e)
            if not seeing_as and not _person_like(text, src):
                continue
        att._push(trim(text, start, end), "stance_verb", (cs, ce), entry, src)
