"""The source of a cue: the noun phrase before it (past auxiliaries, times, asides), the
sentence's subject, an apposition, and the checks that a noun phrase can be a subject."""

from __future__ import annotations

import bisect
import itertools
import re
from functools import cache
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import (
    _TIME_BEFORE,
    _TIME_WORDS,
    _WORD_RE,
    _last_word,
    _skip_time,
    _strip_aux,
    _time_last,
    skip_space,
    trim,
)
from pipeline.claims.cues import lookup_verb
from pipeline.claims.model import Span
from pipeline.claims.sources import (
    LEXICON_DIR,
    is_pronoun,
    np_after,
    np_before,
    share_before,
    word_list,
)

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


_APPOSITIVE_START: Final = re.compile(
    r"\s*(?:who|whose|which|speaking|writing|asked|appearing|talking|responding|citing|"
    r"according|in\s+a|at\s+a|during|after|before|[a-z]+ing\b|[a-z]+ed\b|a\s|an\s|the\s|\d)",
)
_SINGLE_SUBJECTS: Final = frozenset({"another", "one", "each", "either", "neither"})
_QUANTIFIER_SUBJECTS: Final = frozenset(
    {"some", "many", "most", "both", "all", "few", "several", "others"}
)
_PAREN_BEFORE: Final = re.compile(r"\s*\([^()\n]{1,60}\)\s*$")
_RELATIVE: Final = re.compile(r"(?:^|(?<=[\s,]))(who|which)\s*$", re.IGNORECASE)
_DASH_ASIDE: Final = re.compile(
    r"\s*(?:\s[—–]\s?|—|\s--\s?|\s-\s)[^—–;:“”\"]{2,100}(?:\s?[—–]|\s?--|\s-)\s*$"
)
_FRONTED: Final = re.compile(
    r"(?:(?i:[a-z]+ly|just|soon|long|even|only)\s+)?(?:(?i:in|at|on|during|after|before|following"
    r"|with|for|from|since|despite|as|when|while|unlike|like|amid|among|under|over|by|without"
    r"|beyond|absent|against|across|throughout|toward|towards|upon|within|given|because"
    r"|speaking|asked|appearing|writing|earlier|later)\b|[A-Z][a-z]+(?:ing|ed)\b)"
    r"[^,;:“”\"()]{1,100},\s*",
)
_CONTRACTED: Final = frozenset(
    {"", "he", "she", "it", "who", "that", "there", "let", "what", "here"}
)
_AGE: Final = re.compile(r"\d{1,3}")
_WHO_CLAUSE: Final = re.compile(r"\s+who\s+(?:[a-z]+\s+){1,2}$")
_LEAD: Final = re.compile(
    r"(?:but|and|so|yet|still|now|meanwhile|however|instead|also|then|later|even|only)\b,?\s*", re.I
)
_DATELINE: Final = re.compile(
    r"(?:[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z][a-z]{0,5}\.?(?:\s?[A-Z][a-z]{0,5}\.?)?)?\s*"
    r"(?:\([A-Za-z .]{1,12}\))?|\([A-Za-z .]{1,12}\))\s*(?:—|–|--|-)\s*"
)


@cache
def _aside_before() -> re.Pattern[str]:
    """`lexicon/source_asides.txt` as one pattern anchored at the cue: `, on the other hand,`."""
    lines = (LEXICON_DIR / "source_asides.txt").read_text(encoding="utf-8").splitlines()
    alts = "|".join(ln for ln in lines if ln.strip() and not ln.startswith("#"))
    return re.compile(rf"(?:,\s*|\s)(?:{alts}),?\s*$", re.IGNORECASE)


@cache
def _aside_words() -> frozenset[str]:
    """Every word of `lexicon/source_asides.txt`: the word before a cue must be one of them
    for an aside to end there (a superset, only to skip the regex)."""
    lines = (LEXICON_DIR / "source_asides.txt").read_text(encoding="utf-8").splitlines()
    rx = " ".join(ln for ln in lines if ln.strip() and not ln.startswith("#"))
    return frozenset(re.findall(r"[a-z]+", re.sub(r"\\[a-z]", " ", rx)))


def _may_end_relative(text: str, a: int, end: int) -> bool:
    """False only when `_RELATIVE` cannot match in `text[a:end]`: every match is "who" or
    "which" (any case) and then white space to `end`. Only ASCII is judged (lower-casing is
    the regex's case folding there); a non-ASCII character runs the regex."""
    j = end
    while j > a and text[j - 1].isspace():  # `\s` is `str.isspace`
        j -= 1
    tail = text[max(a, j - 5) : j]
    return not tail.isascii() or tail.lower().endswith(("who", "which"))


def find_source_before(att: Attributor, cue_start: int, lo: int) -> Span | None:
    """The source NP before a cue, past auxiliaries, times, asides and parentheses. Each
    regex runs only when the word before could end what it matches (a cheap test first)."""
    text = att.text
    end = _strip_aux(text, cue_start, lo)
    last = _last_word(text, end)  # (`_time_last`, read once for both tests below)
    m = _TIME_BEFORE.search(text, max(lo, end - 40), end) if last in _TIME_WORDS else None
    if m is not None:  # "the spokesman on Thursday said"
        end = _strip_aux(att.text, m.start(), lo)
        last = _last_word(text, end)
    share = share_before(att.text, end, lo)
    if share is not None:  # "One in three said …", "Nearly half say …"
        return share
    a = max(lo, end - 120)  # (a dash in text[a:end], found without copying it)
    dashed = text.find("—", a, end) != -1 or text.find("–", a, end) != -1
    m = _DASH_ASIDE.search(text, a, end) if dashed or text.find(" -", a, end) != -1 else None
    if m is not None:  # "Jane Doe — a teacher from the valley — says"
        end = m.start()
        last = _last_word(text, end)
    aside = last in _aside_words()
    m = _aside_before().search(text, max(lo, end - 30), end) if aside else None
    if m is not None:  # "critics, on the other hand, argued", "officials in particular noted"
        end = _strip_aux(att.text, m.start(), lo)
        m = _TIME_BEFORE.search(text, max(lo, end - 40), end) if _time_last(text, end) else None
        if m is not None:  # "the report on Friday for the first time cited"
            end = _strip_aux(att.text, m.start(), lo)
    k = end
    while k > lo and text[k - 1].isspace():
        k -= 1
    m = _PAREN_BEFORE.search(text, max(lo, end - 70), end) if text[k - 1 : k] == ")" else None
    if m is not None:  # "Rep. Jane Doe (D-N.Y.) said": party and state, or an age
        end = m.start()
    a = max(lo, end - 8)
    m = _RELATIVE.search(text, a, end) if _may_end_relative(text, a, end) else None
    if m is not None:  # "experts who think …": annotators take the relative pronoun
        return m.start(1), m.end(1)
    src = np_before(att.text, end, lo)
    if src is not None:
        a = max(lo, src[0] - 40)
        m = _WHO_CLAUSE.search(text, a, src[0]) if text.find("who", a, src[0]) != -1 else None
        if m is not None:  # "officials who spoke with the Post said": the officials said
            head = np_before(att.text, m.start(), lo)
            if head is not None:
                return head
    return src


def subject(att: Attributor, s: int, before: int) -> Span | None:
    """The noun phrase opening the sentence (after a conjunction or a fronted phrase)."""
    text = att.text
    pos = skip_space(text, s)
    m = _DATELINE.match(text, pos, before)
    if m:  # "CITY (AP) — …"
        pos = m.end()
    m = _LEAD.match(text, pos, before)
    if m:
        pos = m.end()
    pos = _skip_time(text, pos, before)
    pos = skip_space(text, pos)
    if pos < before and text[pos] == ",":  # "In an interview, she …"
        pos = skip_space(text, pos + 1)
    m = _FRONTED.match(text, pos, before)
    if m is not None:  # "In a brief interview, the senator …"
        pos = m.end()
    while pos < before and text[pos] in "\"“”'‘’([":
        pos += 1
    src = np_after(text, pos, before)
    if src is None:
        return None
    first = text[src[0] : src[1]].split()[0].lower()
    determined = first in word_list("determiners.txt") and len(text[src[0] : src[1]].split()) > 1
    if not (text[src[0]].isupper() or is_pronoun(text, src) or determined):
        return None  # "the campaign", "other advisers" are subjects too; "reports" alone not
    prev = ""
    for w in _WORD_RE.finditer(text, src[0], src[1]):
        word = w.group()
        verb = prev not in word_list("determiners.txt") and (
            lookup_verb(word) is not None
            or word.endswith("ed")
            or word in word_list("irregular_past.txt")
        )  # "the report", "a call": a noun right after a determiner
        if w.start() > src[0] and word.islower() and verb:
            return trim(text, src[0], w.start())  # "The senator attacked …": a verb
        prev = word.lower()
    return src


def apposition_source(att: Attributor, s: int, cue_start: int) -> Span | None:
    """`Kuleba, speaking at …, said` / `X, who …, said`: the NP before the first aside."""
    text = att.text
    commas = [i for i in range(s, cue_start) if text[i] == ","]
    if not commas:
        return None
    bounds = [s, *[c + 1 for c in commas]]
    chunks = [(bounds[i], commas[i]) for i in range(len(commas))]
    for i in range(len(chunks) - 1, 0, -1):
        a, b = chunks[i]
        if _APPOSITIVE_START.match(text, a, b):
            src = np_before(text, chunks[i - 1][1], chunks[i - 1][0])
            if src is not None and not att._taken(*src) and not _AGE.fullmatch(text, *src):
                return src  # ("Jane Doe, 35, a teacher, said": the age is an aside too)
    a, b = chunks[-1]
    src = np_before(text, trim(text, a, b)[1], a)
    if (src is None or _AGE.search(text, *src)) and len(commas) == 2:
        # "Jane Doe, the city's mayor from 2007 to 2013, said": the name opening the sentence
        first = trim(text, s, commas[0])
        head = np_before(text, first[1], s)
        lead = text[s : head[0]].strip(" \t\"“‘'") if head else "x"
        if head is not None and not lead and text[head[0]].isupper():
            return head
    return src


def source_in(att: Attributor, s: int, cs: int) -> Span | None:
    """The source of the latest claim whose source lies in `[s, cs)`."""
    k = bisect.bisect_left(att._sources, (cs,)) - 1
    if k < 0 or att._sources[k][0] < s:
        return None
    # the first draft among those whose source starts there, as a scan in draft order found
    return att._sources[bisect.bisect_left(att._sources, (att._sources[k][0],))][2]


def has_verb(att: Attributor, span: Span) -> bool:
    """A lower-case cue verb or -ed form after the first word: a clause, not a noun phrase."""
    words = list(_WORD_RE.finditer(att.text, span[0], span[1]))
    for prev, w in itertools.pairwise(words):
        word = w.group()
        if word.islower() and (
            lookup_verb(word) is not None
            or (word.endswith("ed") and prev.group().lower() not in word_list("determiners.txt"))
        ):
            return True
    return False


def subject_ok(att: Attributor, src: Span, surface: str) -> bool:
    """Reject a noun read as a verb: "the state", "a question", "two states", "several calls".

    A lone determiner or number cannot be the subject of a finite cue verb, and a plural
    quantifier ("some", "many") takes the bare form, not the -s form.
    """
    words = att.text[src[0] : src[1]].lower().split()
    last = words[-1]
    if last.endswith(("'s", "’s")) and last[:-2] not in _CONTRACTED:
        return False  # "Mr. Trump's remarks", "the group's claims": the cue is a noun
    if share_before(att.text, src[1], att._sentence_of(src[0])[0]) == src:
        return True  # "One in three said …": a share of those polled
    if last.isdigit():
        return False
    if len(words) == 1 and last in word_list("determiners.txt"):
        if last in _SINGLE_SUBJECTS:  # "another says …", "one says …"
            return True
        return last in _QUANTIFIER_SUBJECTS and not surface.lower().endswith("s")
    return True
