"""Resolve a source mention to a canonical speaker within one document.

People are known by their longest full name ("Zelensky" → "Volodymir Zelensky"), titles bind to
the person introduced with them ("the Ukrainian foreign minister" → "Dmytro Kuleba"), pronouns
to the most recent speaker of the right kind, capitals to their country, and "the ministry",
"the Russian military" to the organization the document introduced earlier.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.claims.model import Span, SpeakerType
from pipeline.claims.sources import word_list

LEXICON_DIR = Path(__file__).parent / "lexicon"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+|van\s+|von\s+|al-)?[A-Z][\w'’.-]*)*")
_TOKEN = re.compile(r"[\w.'’-]+")
_LEADING_CAPS = frozenset(
    {
        "the",
        "a",
        "an",
        "also",
        "but",
        "and",
        "as",
        "in",
        "on",
        "at",
        "after",
        "before",
        "when",
        "while",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "our",
        "if",
        "so",
        "then",
        "now",
        "amid",
        "during",
        "back",
        "last",
        "for",
        "with",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "i",
        "we",
        "he",
        "she",
        "it",
        "they",
        "you",
    }
)
_HEAD_NORMAL = {"forces": "army", "troops": "army", "armed forces": "army"}


@dataclass(frozen=True, slots=True)
class Places:
    """Country table: demonyms and capitals/metonyms (lower case) → country name."""

    by_word: dict[str, str]
    demonym: dict[str, str]  # country → demonym


@cache
def places() -> Places:
    by_word: dict[str, str] = {}
    demonym: dict[str, str] = {}
    for line in (LEXICON_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, dem, metonyms = line.split("\t")
        demonym[country] = dem
        for w in (country, dem, *metonyms.split(",")):
            by_word[w.lower()] = country
    return Places(by_word, demonym)


@dataclass(slots=True)
class Mention:
    """What a source NP says about its speaker."""

    text: str
    name: str | None = None  # a person's name as written
    title: str | None = None
    country: str | None = None
    head: str | None = None  # organization head noun ("ministry")
    army: bool = False
    metonym: bool = False
    group: bool = False


def _strip_det(words: list[str]) -> list[str]:
    while words and words[0].lower() in word_list("determiners.txt") | {"the"}:
        words = words[1:]
    return words


def _match_title(low_words: list[str], i: int) -> int:
    """Length of the longest title starting at word i (0 if none)."""
    titles = word_list("titles.txt")
    for n in (3, 2, 1):
        if " ".join(low_words[i : i + n]) in titles:
            return n
    return 0


def analyze(np: str) -> Mention:
    """Split a source NP into country, title, person name, organization head."""
    words = _strip_det(_TOKEN.findall(np))
    m = Mention(text=" ".join(words))
    if not words:
        return m
    pl = places()
    low = [_POSSESSIVE.sub("", w).lower() for w in words]
    joined = " ".join(low)
    if joined in pl.by_word and not any(
        w[0].isupper() and w.lower() not in pl.by_word for w in words[1:]
    ):
        m.country, m.metonym = pl.by_word[joined], True
        return m
    army = word_list("army_family.txt")
    heads = word_list("org_heads.txt")
    name: list[str] = []
    i = 0
    while i < len(words):
        for n in (2, 1):
            key = " ".join(low[i : i + n])
            if key in pl.by_word and not m.country:
                m.country = pl.by_word[key]
                i += n
                break
        else:
            n = _match_title(low, i)
            if n:
                m.title = " ".join(low[i : i + n])
                name = []
                i += n
                continue
            w = words[i]
            if low[i] in heads or low[i] in army:
                m.head = low[i]
                name = []
            elif w[0].isupper() and low[i] not in _LEADING_CAPS:
                name.append(_POSSESSIVE.sub("", w))
            else:
                name = []
            i += 1
    last_two = " ".join(low[-2:])
    m.army = low[-1] in army or last_two in army or any(a in joined for a in army if " " in a)
    if m.head and name and low[-1] in heads:
        name = []  # "Russian Defense Ministry": the capitals belong to the organization
    if name and (len(name) >= 2 or m.title or len(words) == 1):
        m.name = " ".join(name)
    if not m.name and not m.head and not m.title and low[-1] in word_list("group_sources.txt"):
        m.group = True
    return m


@dataclass(slots=True)
class SpeakerResolver:
    """Resolves mentions in document order; keeps what the document has introduced so far."""

    text: str
    sentence_starts: list[int]
    names: list[tuple[int, str, str | None]] = field(default_factory=list)  # pos, name, title
    full_names: dict[str, str] = field(default_factory=dict)  # surname → longest full name
    by_title: dict[tuple[str | None, str], str] = field(default_factory=dict)
    orgs: list[tuple[str, str | None, str | None, bool]] = field(default_factory=list)
    last_person: tuple[int, str] | None = None
    last_org: tuple[str, SpeakerType] | None = None

    @classmethod
    def for_document(cls, text: str, sentences: list[Span]) -> SpeakerResolver:
        r = cls(text, [s for s, _ in sentences])
        for m in _NAME_RUN.finditer(text):
            run = m.group()
            if " " not in run.strip():
                continue
            start = m.start()
            # take the title/country context just before the run ("Russian President ...")
            ment = analyze(run)
            if ment.name and " " in ment.name and not ment.head:
                r.names.append((start, ment.name, ment.title))
        return r

    def _sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def _register_person(self, name: str, title: str | None, country: str | None) -> str:
        parts = name.split()
        surname = parts[-1]
        known = self.full_names.get(surname)
        if known and len(known.split()) >= len(parts):
            name = known
        else:
            self.full_names[surname] = name
        if title:
            self.by_title.setdefault((country, title), name)
            self.by_title.setdefault((None, title), name)
        return name

    def _names_between(self, lo: int, hi: int) -> list[tuple[int, str, str | None]]:
        return [n for n in self.names if lo <= n[0] < hi]

    def resolve(self, source: Span) -> tuple[str | None, SpeakerType | None]:
        """Canonical speaker and type for the source mention at `source`."""
        np = self.text[source[0] : source[1]]
        low = np.lower()
        here = self._sentence_index(source[0])
        if low in {"he", "she", "i"}:
            return self._pronoun_person(source[0], here)
        if low in {"it", "they", "we"}:
            if self.last_org:
                return self.last_org
            if low != "it" and self.last_person:
                return self.last_person[1], SpeakerType.PERSON
            return None, None
        ment = analyze(np)
        if ment.name:
            for n_pos, n_name, n_title in self.names:
                if n_pos >= source[1]:
                    break
                self._register_person(n_name, n_title, None)
            name = self._register_person(ment.name, ment.title, ment.country)
            self.last_person = (here, name)
            return name, SpeakerType.PERSON
        if ment.metonym and ment.country:
            return self._org(ment.country, SpeakerType.GOVERNMENT, None, ment.country, False)
        if ment.title and not ment.head:
            return self._title(ment, source, here)
        if ment.head or ment.army:
            return self._organization(ment)
        if ment.group:
            return ment.text, SpeakerType.OTHER
        single = ment.text.split()
        if len(single) == 1 and single[0][:1].isupper():
            surname = _POSSESSIVE.sub("", single[0])
            self._learn_until(source[1])
            name = self.full_names.get(surname, surname)
            self.last_person = (here, name)
            return name, SpeakerType.PERSON
        return (ment.text or None), SpeakerType.OTHER

    def _learn_until(self, pos: int) -> None:
        for n_pos, n_name, n_title in self.names:
            if n_pos >= pos:
                break
            self._register_person(n_name, n_title, None)

    def _pronoun_person(self, pos: int, here: int) -> tuple[str | None, SpeakerType | None]:
        if self.last_person and here - self.last_person[0] <= 4:
            return self.last_person[1], SpeakerType.PERSON
        lo = self.sentence_starts[max(0, here - 2)] if self.sentence_starts else 0
        named = self._names_between(lo, pos)
        if named:
            self._learn_until(pos)
            name = self.full_names.get(named[-1][1].split()[-1], named[-1][1])
            self.last_person = (here, name)
            return name, SpeakerType.PERSON
        if self.last_person:
            return self.last_person[1], SpeakerType.PERSON
        return None, None

    def _title(self, ment: Mention, source: Span, here: int) -> tuple[str | None, SpeakerType]:
        assert ment.title is not None
        self._learn_until(source[0])
        name = self.by_title.get((ment.country, ment.title)) or (
            None if ment.country else self.by_title.get((None, ment.title))
        )
        if name is None:
            hi_idx = min(len(self.sentence_starts) - 1, here + 2)
            hi = (
                self.sentence_starts[hi_idx + 1]
                if hi_idx + 1 < len(self.sentence_starts)
                else (len(self.text))
            )
            ahead = self._names_between(source[1], hi)
            titled = [n for n in ahead if n[2] == ment.title]
            pick = titled or ahead
            if pick:
                name = pick[0][1]
                self.by_title[(ment.country, ment.title)] = name
        if name is None:
            return ment.text, SpeakerType.PERSON
        self.last_person = (here, name)
        return name, SpeakerType.PERSON

    def _organization(self, ment: Mention) -> tuple[str | None, SpeakerType]:
        for canon, country, head, army in reversed(self.orgs):
            same_body = (ment.army and army) or (ment.head and head == ment.head)
            if same_body and (ment.country is None or country in (None, ment.country)):
                return self._org(canon, self._type_of(canon), head, country, army)
        words = ment.text.split()
        if ment.country and words and _POSSESSIVE.search(words[0]):
            head = " ".join(words[1:]).lower()
            head = _HEAD_NORMAL.get(head, head)
            canon = f"{places().demonym[ment.country]} {head}"
        else:
            canon = " ".join(
                _POSSESSIVE.sub("", w) if i == len(words) - 1 else w for i, w in enumerate(words)
            )
        return self._org(canon, self._type_of(canon), ment.head, ment.country, ment.army)

    @staticmethod
    def _type_of(canon: str) -> SpeakerType:
        low = canon.lower()
        gov = ("ministry", "army", "military", "government", "forces", "department", "kremlin")
        if any(g in low for g in gov) or low in places().by_word:
            return SpeakerType.GOVERNMENT
        return SpeakerType.ORGANIZATION

    def _org(
        self, canon: str, kind: SpeakerType, head: str | None, country: str | None, army: bool
    ) -> tuple[str, SpeakerType]:
        self.orgs.append((canon, country, head, army))
        self.last_org = (canon, kind)
        return canon, kind
