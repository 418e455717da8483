"""Resolve a source mention to a canonical speaker within one document.

People are known by their longest full name ("Zelensky" → "Volodymir Zelensky"), titles bind to
the person introduced with them ("the Ukrainian foreign minister" → "Dmytro Kuleba"), pronouns
to the most recent speaker of the right kind, capitals to their country, and "the ministry",
"the Russian military" to the organization the document introduced earlier.

What a canonical name is (researchers read these names in `speakers`, and the cross-document
merge joins on them):
- A name is one sentence: runs of capitalized words stop at a sentence end, a line break (bylines,
  headlines) and at function, headline and descriptor words ("Republican", "Rival", "By"), and a
  longer name that is a known two-word name with a word in front is that name.
- A relative pronoun ("experts, who said") speaks for the noun phrase before it; "you" is generic
  and has no speaker.
- A description with no proper noun ("the company", "officials", "a report", "a spokesman") gets
  the named organization or person it stands for when that is clear — "the company" the business
  named last in this or the two sentences before, "the committee" the last "... Committee" — and
  otherwise NO canonical name: speaker None, with its type (organization, person, other) and the
  source span kept on the claim. So two documents never merge on "company" or "officials".
  A description that holds a proper noun keeps it as a typed group ("Russian officials", other).
- Capitalized names ending in an outlet or company word ("Associated Press", "... Holdings") and
  acronyms ("FBI", "UBS Global Wealth Management") are organizations; "U.S.", "UK" are their
  countries. A lone capitalized word is a person only with evidence (a full name, title or
  honorific with it in the document, or "he"/"she" rather than "its" after it); otherwise an
  organization ("Netflix said ... its").
- People who share a surname stay apart ("Gary Johnson", "Jeh Johnson"); a bare surname means
  the one mentioned most so far (a speaker counts twice), and stays bare when two tie.
- "X's letter / statement / report" speaks for X.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Final

from pipeline.claims.given_names import is_given_name
from pipeline.claims.model import Span, SpeakerType
from pipeline.claims.sources import np_before, word_list

LEXICON_DIR: Final = Path(__file__).parent / "lexicon"
_POSSESSIVE_ENDS: Final = ("'s", "’s", "'", "’")
# the capital first and the word boundary as a lookbehind: the regex engine then skips ahead to
# capitals instead of trying every position
# possessive (`*+`, `++`): what follows a word or a separator never starts with a character of
# its class, so giving some back can never help a match; the engine then does not try (same
# matches, ~15% less time on news)
_NAME_WORD: Final = r"[\w'’.&-]*+"
_NAME_NEXT: Final = rf"[ \t\xa0]++(?:(?:of|de|van|von)[ \t\xa0]++|al-)?[A-Z]{_NAME_WORD}"
_NAME_RUN: Final = re.compile(rf"[A-Z](?<!\w[A-Z]){_NAME_WORD}(?:{_NAME_NEXT})*")
# The same runs, only those of two words or more: a word's own characters never hold a
# separator, so a one-word run gives no match inside it either (each longer run is found as is)
_LONG_NAME_RUN: Final = re.compile(rf"[A-Z](?<!\w[A-Z]){_NAME_WORD}(?:{_NAME_NEXT})+")
# `_LONG_NAME_RUN` for an ASCII text, on a copy of it with every capital made "C" (one byte a
# character, so the offsets are the text's): the scan then looks for one literal byte, which
# the regex engine does several times faster than testing each character against `[A-Z]`.
# In ASCII, `\w` of bytes is `\w` of str, and neither "’" nor "\xa0" can occur.
_CAPITALS_TO_C: Final = bytes(0x43 if 0x41 <= b <= 0x5A else b for b in range(256))
_LONG_NAME_RUN_MARKED: Final = re.compile(
    rb"C(?<!\wC)[\w'.&-]*+(?:[ \t]++(?:(?:of|de|van|von)[ \t]++|al-)?C[\w'.&-]*+)+"
)
_TOKEN: Final = re.compile(r"[\w.'’-]+")
_INITIALS: Final = re.compile(r"[A-Z](?:\.[A-Z])*\.?")
_ACRONYM: Final = re.compile(r"[A-Z]{2,6}")
_HONORIFICS: Final = frozenset({"mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr."})
_CONNECTORS: Final = frozenset({"of", "for", "and", "&", "de", "on"})
_PERSON_PRONOUNS: Final = frozenset(
    {"he", "she", "his", "her", "him", "hers", "himself", "herself"}
)
_PRONOUN_WORD: Final = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Hh]ers|[Hh]imself|[Hh]erself|[Ii]ts|[Ii]tself"
    r"|company|firm)\b"
)
# The same words (each alternative ends at a word boundary, so a match is a whole word, whatever
# the order), opening with a class of their first letters: the regex engine then skips ahead to
# those letters instead of trying the alternation at every position (`_pronoun_vote`).
_PRONOUN_WORD_FAST: Final = re.compile(
    r"[HhSsIicf](?<!\w.)(?:(?<=[Hh])(?:e|is|er|im|ers|imself|erself)|(?<=[Ss])he"
    r"|(?<=[Ii])ts(?:elf)?|(?<=c)ompany|(?<=f)irm)\b"
)
_RELATIVE: Final = frozenset({"who", "which", "that", "whom"})
_GENERIC_PRONOUNS: Final = frozenset({"you", "one"})
_NON_SPACE: Final = re.compile(r"\S+")
_WORD_STEM: Final = re.compile(r"[\w-]*")
_TOKEN_AFTER_SPACE: Final = re.compile(r"[\w'’.-]+")
_TOKEN_ENDING: Final = re.compile(r"[\w.-]+\Z")
_TOKEN_CHAR: Final = re.compile(r"[\w.-]")
#: Distinct source NPs and name runs remembered by `analyze`: they recur within a document and
#: across documents ("the company", "President Joe Biden"); bounded so memory stays flat.
ANALYZE_CACHE: Final = 16_384


def is_acronym(word: str) -> bool:
    """`_ACRONYM.fullmatch(word)`: two to six capitals A-Z (a str test, not a regex call)."""
    return 2 <= len(word) <= 6 and word.isascii() and word.isalpha() and word.isupper()


def is_initials(word: str) -> bool:
    """`_INITIALS.fullmatch(word)`: capitals A-Z joined by periods, maybe one at the end ("J",
    "J.", "H.W.", "U.S"); read left to right, not a regex call."""
    n = len(word)
    if n == 0 or not "A" <= word[0] <= "Z":
        return False
    i = 1
    while i + 1 < n and word[i] == "." and "A" <= word[i + 1] <= "Z":
        i += 2
    if i < n and word[i] == ".":
        i += 1
    return i == n


def _strip_possessive(word: str) -> str:
    """The word without a final "'s", "’s", "'" or "’" (a str test, not a regex per word)."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


@cache
def _name_stop() -> frozenset[str]:
    """Capitalized words that end a name run: function words, months, descriptors of a person."""
    return word_list("name_stop.txt") | word_list("name_descriptors.txt")


@cache
def _no_name() -> frozenset[str]:
    return _name_stop() | _common_nouns()


@cache
def _common_nouns() -> frozenset[str]:
    """Sources named by a common noun, capitalized only at a sentence start ("Authorities")."""
    return word_list("group_sources.txt") | word_list("company_nouns.txt")


@cache
def _abbreviations() -> frozenset[str]:
    lines = (LEXICON_DIR / "abbreviations.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def ends_sentence(word: str) -> bool:
    """Whether a word's final period ends a sentence: not an initial ("M.", "H.W.") nor "Gen."."""
    if not word.endswith("."):
        return False
    stem = word[:-1]
    return not (is_initials(stem) or stem in _lex().abbreviations)


def name_runs(text: str, *, multi_word: bool = False) -> list[tuple[int, str]]:
    """Runs of capitalized words, cut at sentence ends ("Sell Coal. ABSTRACT. Tom Clarke").

    With multi_word, only the pieces of runs of two words or more: the one-word runs, most of
    them, are then never matched (a piece of a longer run may still be one word)."""
    out: list[tuple[int, str]] = []
    if multi_word and text.isascii():
        # the same runs, found in a copy with every capital made "C" (`_CAPITALS_TO_C`)
        marked = text.encode("ascii").translate(_CAPITALS_TO_C)
        for b in _LONG_NAME_RUN_MARKED.finditer(marked):
            _cut_run(text, b.start(), b.end(), out)
        return out
    for m in (_LONG_NAME_RUN if multi_word else _NAME_RUN).finditer(text):
        _cut_run(text, m.start(), m.end(), out)
    return out


def _cut_run(text: str, run_start: int, run_end: int, out: list[tuple[int, str]]) -> None:
    """Append the pieces of the run text[run_start:run_end] cut at sentence ends."""
    run = text[run_start:run_end]
    if "." not in run:
        out.append((run_start, run))
        return
    start = run_start
    for w in _NON_SPACE.finditer(run):
        if ends_sentence(w.group()):
            piece = text[start : run_start + w.end() - 1]
            if piece.strip():
                out.append((start, piece))
            start = run_start + w.end()
            while start < run_end and text[start].isspace():
                start += 1
    if start < run_end:
        out.append((start, text[start:run_end]))


@cache
def _not_proper() -> frozenset[str]:
    """Capitalized words that do not name anyone: common nouns, determiners, places' demonyms
    ("Russian military" is described, not named)."""
    return (
        _common_nouns()
        | word_list("org_heads.txt")
        | word_list("determiners.txt")
        | _name_stop()
        | frozenset(places().by_word)
    )


def _proper(words: list[str]) -> bool:
    """Whether a phrase holds a proper noun, not only capitalized common nouns ("Officials")."""
    common = _lex().not_proper
    return any(w[:1].isupper() and _strip_possessive(w).lower() not in common for w in words)


def _named_phrase(text: str) -> str | None:
    """A description kept as a name only when it opens with a proper noun ("Russian officials");
    "officials", "of Mr. X's advisers" have no canonical name."""
    return text if text[:1] and not text[0].islower() and _proper(text.split()) else None


_HEAD_NORMAL: Final = {"forces": "army", "troops": "army", "armed forces": "army"}


@dataclass(frozen=True, slots=True)
class Places:
    """Country table: demonyms and capitals/metonyms (lower case) → country name."""

    by_word: dict[str, str]
    demonym: dict[str, str]  # country → demonym
    acronyms: dict[str, str]  # "U.S." → country (case-sensitive: "us" is a pronoun)


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
    acronyms: dict[str, str] = {}
    for line in (LEXICON_DIR / "place_acronyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, country = line.split("\t")
            acronyms[short] = country
    return Places(by_word, demonym, acronyms)


@dataclass(frozen=True, slots=True, init=False)
class Mention:
    """What a source NP says about its speaker (frozen: `analyze` hands out cached ones)."""

    text: str
    name: str | None = None  # a person's name as written
    title: str | None = None
    country: str | None = None
    head: str | None = None  # organization head noun ("ministry")
    army: bool = False
    metonym: bool = False
    group: bool = False

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(
        self,
        text: str,
        name: str | None = None,
        title: str | None = None,
        country: str | None = None,
        head: str | None = None,
        army: bool = False,
        metonym: bool = False,
        group: bool = False,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "head", head)
        object.__setattr__(self, "army", army)
        object.__setattr__(self, "metonym", metonym)
        object.__setattr__(self, "group", group)


@cache
def _determiners() -> frozenset[str]:
    return word_list("determiners.txt") | {"the"}


def _strip_det(words: list[str]) -> list[str]:
    determiners = _lex().determiners
    i = 0
    while i < len(words) and words[i].lower() in determiners:
        i += 1
    return words[i:] if i else words


@cache
def _title_starts() -> frozenset[str]:
    """First words of the titles: most words start none, and need no n-gram joined for them."""
    return frozenset(t.split(" ")[0] for t in word_list("titles.txt"))


def _match_title(low_words: list[str], i: int, starts: frozenset[str]) -> int:
    """Length of the longest title starting at word i (0 if none); `starts` is
    `_title_starts()`, looked up once per mention by the caller."""
    if low_words[i] not in starts:
        return 0
    titles = _lex().titles
    for n in (3, 2, 1):
        if i + n <= len(low_words) and " ".join(low_words[i : i + n]) in titles:
            return n
    return 0


@cache
def _army_phrases() -> tuple[str, ...]:
    """Army words of more than one word, looked for anywhere in a mention (as substrings: one
    `in` test each is cheaper than a regex search for any of them)."""
    return tuple(sorted(a for a in word_list("army_family.txt") if " " in a))


@cache
def _place_pair_firsts() -> frozenset[str]:
    """First words of the place names of more than one word: a two-word key can be one only
    when its first word is among these."""
    return frozenset(k.split(" ")[0] for k in places().by_word if " " in k)


def _tokens(np: str) -> list[str]:
    """`_TOKEN.findall(np)`: when every whitespace-separated word is letters and digits (most
    names), the tokens are those words; a word with any other character takes the regex."""
    words = np.split()
    for w in words:
        if not w.isalnum():
            return _TOKEN.findall(np)
    return words


class _Lexicon:
    """Every word list the resolver reads, loaded once into a module global rather than read
    through `@cache` functions: compiled code calls those through their Python wrapper (an
    argument tuple and a dict lookup, ~0.1 us), and a mention asks for a dozen lists."""

    def __init__(self) -> None:
        self.places = places()
        self.army = word_list("army_family.txt")
        self.army_phrases = _army_phrases()
        self.heads = word_list("org_heads.txt")
        self.org_name_words = word_list("org_name_words.txt")
        self.group_sources = word_list("group_sources.txt")
        self.company_nouns = word_list("company_nouns.txt")
        self.named_things = word_list("named_things.txt")
        self.speaking_things = word_list("speaking_things.txt")
        self.titles = word_list("titles.txt")
        self.title_starts = _title_starts()
        self.roles = _roles()
        self.no_name = _no_name()
        self.name_stop = _name_stop()
        self.not_proper = _not_proper()
        self.determiners = _determiners()
        self.abbreviations = _abbreviations()
        self.place_pair_firsts = _place_pair_firsts()


_LEXICON: _Lexicon | None = None


def _lex() -> _Lexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = _Lexicon()
    return _LEXICON


#: `analyze`'s memo: a plain dict read from compiled code costs a lookup, where an
#: `lru_cache` wrapper costs a Python call (~0.2 us, for every name run of every document);
#: emptied when full, so memory stays bounded as before
_ANALYZED: dict[str, Mention] = {}


def analyze(np: str) -> Mention:
    """Split a source NP into country, title, person name, organization head.

    A pure function of the string, so it is remembered: a document repeats its names and
    sources, and a corpus repeats "the company", "officials", "President Joe Biden".
    """
    found = _ANALYZED.get(np)
    if found is None:
        if len(_ANALYZED) >= ANALYZE_CACHE:
            _ANALYZED.clear()
        found = _ANALYZED[np] = _analyze(np)
    return found


def _analyze(np: str) -> Mention:
    words = _tokens(np)
    cut = [i for i, w in enumerate(words[:-1]) if ends_sentence(w)] if "." in np else []
    if cut:  # a run across a sentence end: only the last sentence speaks
        words = words[cut[-1] + 1 :]
    words = _strip_det(words)
    text = " ".join(words)
    if not words:
        return Mention(text=text)
    lex = _lex()
    pl = lex.places
    if "'" in np or "’" in np:
        low = [_strip_possessive(w).lower() for w in words]
    else:  # most mentions: no possessive to strip
        low = [w.lower() for w in words]
    joined = " ".join(low)
    if len(words) == 1 and _strip_possessive(words[0]) in pl.acronyms:
        return Mention(text, country=pl.acronyms[_strip_possessive(words[0])], metonym=True)
    if joined in pl.by_word:  # "Moscow", "the White House", "South Korea"
        return Mention(text, country=pl.by_word[joined], metonym=True)
    army = lex.army
    heads = lex.heads
    no_name = lex.no_name
    title_starts = lex.title_starts
    pair_firsts = lex.place_pair_firsts
    country: str | None = None
    title: str | None = None
    head: str | None = None
    name: list[str] = []
    of_person: list[str] = []  # "Jane Roe of Acme Research": Jane Roe speaks, not Acme
    i = 0
    while i < len(words):
        if not country:
            # " ".join(low[i : i + 2]), built only when it can be a place: a two-word key
            # opens with a first word of one, and a last word's key is the word itself
            if i + 1 == len(low):
                key = low[i]
            elif low[i] in pair_firsts:
                key = low[i] + " " + low[i + 1]
            else:
                key = ""
            if key and key in pl.by_word:
                country = pl.by_word[key]
                i += 2
                continue
            if low[i] in pl.by_word:
                country = pl.by_word[low[i]]
                i += 1
                continue
        n = _match_title(low, i, title_starts)
        surname = (  # "Larry King", "Mr. King": a title word used as a surname
            n == 1 and i == len(words) - 1 and words[i][0].isupper()
        ) and bool(name or title in _HONORIFICS)
        if n and not surname:
            title = " ".join(low[i : i + n])
            name = []
            i += n
            continue
        w = words[i]
        if low[i] in heads or low[i] in army:
            head = low[i]
            name = []
        elif w[0].isupper() and low[i] not in no_name:
            name.append(_strip_possessive(w))
            if w.endswith(_POSSESSIVE_ENDS) and i < len(words) - 1:
                name, title = [], None  # "Mr. Trump's RT appearance": not a name
        else:
            if (
                low[i] == "of"
                and len(name) >= 2
                and is_given_name(name[0])
                and name[-1].lower() not in heads
                and name[-1].lower() not in lex.org_name_words
            ):  # "Jane Roe of ...", not "Stern School of Business"
                of_person = name
            name = []
        i += 1
    last_two = " ".join(low[-2:])
    is_army = low[-1] in army or last_two in army or any(p in joined for p in lex.army_phrases)
    if head and name and low[-1] in heads:
        name = []  # "Russian Defense Ministry": the capitals belong to the organization
    if name and (
        name[-1].lower() in lex.org_name_words
        or (len(words) == 1 and is_acronym(name[0]))
        or (len(name) >= 2 and is_acronym(name[0]) and not is_acronym(name[1]))
    ):  # "UBS Global Wealth Management", "NHS England"
        head, name = name[-1].lower(), []  # "Associated Press", "FBI": an organization
    if of_person and not title and not (name and is_given_name(name[0])):
        name, head = of_person, None
    person = " ".join(name) if name and (len(name) >= 2 or title or len(words) == 1) else None
    group = not person and not head and not title and low[-1] in lex.group_sources
    return Mention(text, person, title, country, head, is_army, False, group)


@dataclass(slots=True, init=False)
class SpeakerResolver:
    """Resolves mentions in document order; keeps what the document has introduced so far."""

    text: str
    sentence_starts: list[int]
    names: list[tuple[int, str, str | None]] = field(default_factory=list)  # pos, name, title
    # surname → the people with it, each by its longest full name ("Robert Durst", "Kathie
    # McCormack Durst" stay two); mentions decide whom a bare "Durst" means
    people: dict[str, list[str]] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    learned: int = 0  # how many of `names` are registered
    by_title: dict[tuple[str | None, str], str] = field(default_factory=dict)
    orgs: list[tuple[str, str | None, str | None, bool]] = field(default_factory=list)
    last_person: tuple[int, str] | None = None
    last_org: tuple[str | None, SpeakerType] | None = None
    named_orgs: list[tuple[int, str, SpeakerType]] = field(default_factory=list)  # pos, name
    two_word: set[str] = field(default_factory=set)  # "Hillary Clinton" seen as a name
    # person evidence anywhere in the document, for a lone capitalized word ("Biden", "Google")
    by_surname: dict[str, set[str]] = field(default_factory=dict)
    by_first: dict[str, set[str]] = field(default_factory=dict)
    titled: set[str] = field(default_factory=set)  # "Mr. Obama", "President Xi"
    titled_names: set[str] = field(default_factory=set)  # "Chancellor Rishi Sunak"
    _after_title: dict[str, bool] = field(default_factory=dict)  # word → follows a title
    _all_after_title: frozenset[str] | None = None  # every such word, once many are asked
    _scanned: bool = False  # whether `_scan` has read the document's names yet
    # indexes, so that a long document costs linear time, not one pass over all so far per
    # mention: name positions (names are in text order), named organizations by (position,
    # order named) and by last word, organizations' indexes by head noun and the armies
    _name_starts: list[int] = field(default_factory=list)
    _orgs_by_pos: list[tuple[int, int, str, SpeakerType]] = field(default_factory=list)
    _orgs_by_last: dict[str, list[tuple[str, SpeakerType]]] = field(default_factory=dict)
    _orgs_by_head: dict[str, list[int]] = field(default_factory=dict)
    _army_orgs: list[int] = field(default_factory=list)

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays
    # Python; every field but the first two starts at its default (tested)
    def __init__(self, text: str, sentence_starts: list[int]) -> None:
        self.text = text
        self.sentence_starts = sentence_starts
        self.names = []
        self.people = {}
        self.mentions = {}
        self.learned = 0
        self.by_title = {}
        self.orgs = []
        self.last_person = None
        self.last_org = None
        self.named_orgs = []
        self.two_word = set()
        self.by_surname = {}
        self.by_first = {}
        self.titled = set()
        self.titled_names = set()
        self._after_title = {}
        self._all_after_title = None
        self._scanned = False
        self._name_starts = []
        self._orgs_by_pos = []
        self._orgs_by_last = {}
        self._orgs_by_head = {}
        self._army_orgs = []

    @classmethod
    def for_document(cls, text: str, sentences: list[Span]) -> SpeakerResolver:
        """A resolver for one document; its names are read at the first `resolve`, so a
        document without an attributed source (4 in 10 short news articles) costs nothing."""
        return cls(text, [s for s, _ in sentences])

    def _scan(self) -> None:
        """Read the document's full names, titled names and named organizations, once."""
        self._scanned = True
        r = self
        for start, run in name_runs(r.text, multi_word=True):
            if " " not in run:
                continue
            ment = analyze(run)
            if ment.name and " " in ment.name:  # after any head: "Senate Leader Harry Reid"
                r.names.append((start, ment.name, ment.title))
                r._name_starts.append(start)
                parts = ment.name.split()
                r.by_surname.setdefault(parts[-1], set()).add(ment.name)
                if is_given_name(parts[0]):  # "Melanie" alone, not "Goldman" of "Goldman Sachs"
                    r.by_first.setdefault(parts[0], set()).add(ment.name)
                if ment.title:
                    r.titled_names.add(ment.name)
            elif ment.name and ment.title:
                r.titled.add(ment.name)
            elif ment.head and not ment.name and " " in run and run.split()[-1][:1].isupper():
                canon = _org_canon(ment)
                if _proper(canon.split()):
                    r._named_org(start, canon, r._type_of(canon))
        # "Mr. Guajardo Villarreal" is a double surname, not a name to cut longer ones down to
        r.two_word = {n for _, n, t in r.names if len(n.split()) == 2 and t not in _HONORIFICS}

    def _sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def _register_person(
        self, name: str, title: str | None, country: str | None, weight: int = 1
    ) -> str:
        """Record a person mention (a speaker counts twice: it is what the text is about)."""
        parts = name.split()
        if len(parts) >= 3 and " ".join(parts[-2:]) in self.two_word:
            parts = parts[-2:]  # "Crooked Hillary Clinton": a word in front of a known name
            name = " ".join(parts)
        surname = parts[-1]
        people = self.people.setdefault(surname, [])
        if len(parts) == 1:
            name = self._known(surname) or name
        else:
            for i, canon in enumerate(people):
                cparts = canon.split()
                if not _same_person(parts, cparts):
                    continue
                junk_before = len(cparts) > len(parts) and cparts[-len(parts) :] == parts
                if (junk_before and title not in _HONORIFICS) or (
                    len(parts) > len(cparts) and parts[-len(cparts) :] != cparts
                ):  # "Laurence D. Fink" after "Merced Laurence D. Fink"; a middle name
                    people[i] = name
                    self.mentions[name] = self.mentions.pop(canon, 0)
                else:  # "Ms. McCormack Durst" is "Kathie McCormack Durst"
                    name = canon
                break
            else:
                people.append(name)
        self.mentions[name] = self.mentions.get(name, 0) + weight
        if title and title not in _HONORIFICS:
            self.by_title.setdefault((country, title), name)
            self.by_title.setdefault((None, title), name)
        return name

    def _known(self, surname: str) -> str | None:
        """The person a bare surname means: the one the document has mentioned most so far;
        nobody when two are mentioned equally ("Bill Clinton" once, "Hillary Clinton" once)."""
        people = sorted(self.people.get(surname, []), key=lambda n: -self.mentions.get(n, 0))
        if not people:
            return None
        if len(people) > 1 and self.mentions.get(people[0]) == self.mentions.get(people[1]):
            return None
        return people[0]

    def _canonical(self, name: str) -> str:
        parts = name.split()
        for canon in self.people.get(parts[-1], []):
            if _same_person(parts, canon.split()):
                return canon
        return name

    def _names_between(self, lo: int, hi: int) -> list[tuple[int, str, str | None]]:
        starts = self._name_starts
        return self.names[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def _named_org(self, pos: int, name: str, kind: SpeakerType) -> None:
        """Record an organization named at `pos` (in `named_orgs` and its indexes)."""
        self.named_orgs.append((pos, name, kind))
        bisect.insort(self._orgs_by_pos, (pos, len(self.named_orgs), name, kind))
        parts = name.split()
        self._orgs_by_last.setdefault(parts[-1] if parts else "", []).append((name, kind))

    def resolve(self, source: Span) -> tuple[str | None, SpeakerType | None]:
        """Canonical speaker and type for the source mention at `source`."""
        if not self._scanned:
            self._scan()
        np = self.text[source[0] : source[1]]
        low = np.lower()
        here = self._sentence_index(source[0])
        if low in _RELATIVE:
            return self._antecedent(source, here)
        if low in _GENERIC_PRONOUNS:
            return None, None
        if low in {"he", "she", "i"}:
            return self._pronoun_person(source[0], here)
        if low in {"it", "they", "we"}:
            if self.last_org:
                return self.last_org
            if low != "it" and self.last_person:
                return self.last_person[1], SpeakerType.PERSON
            return None, None
        ment = analyze(np)
        if ment.name and " " not in ment.name and not ment.title:
            return self._lone_word(ment.name, source, here)
        if ment.name and not ment.title and not self._person_name(ment.name, source, here):
            return self._named_thing(ment.name, source)
        if ment.name:
            self._learn_until(source[1])
            name = self._register_person(ment.name, ment.title, ment.country, weight=2)
            self.last_person = (here, name)
            return name, SpeakerType.PERSON
        if ment.metonym and ment.country:
            return self._org(ment.country, SpeakerType.GOVERNMENT, None, ment.country, False)
        if ment.title and not ment.head:
            return self._title(ment, source, here)
        if ment.head or ment.army:
            return self._organization(ment, source)
        if ment.group:
            return _named_phrase(ment.text), SpeakerType.OTHER
        single = ment.text.split()
        if len(single) == 1 and single[0][:1].isupper():
            surname = _strip_possessive(single[0])
            if surname.lower() in _lex().name_stop:  # "the Republican": someone not named here
                return None, SpeakerType.PERSON
            return self._lone_word(surname, source, here)
        owner = _owner(ment.text)
        at = np.find(owner) if owner is not None else -1
        if owner is not None and at >= 0:  # "Larry Fink's annual letter": its author speaks
            return self.resolve((source[0] + at, source[0] + at + len(owner)))
        if low.split()[-1:] and low.split()[-1] in _lex().company_nouns:
            # "the firm", "the lender": a business
            return self._organization(replace(ment, head=low.split()[-1]), source)
        return _named_phrase(ment.text), SpeakerType.OTHER

    def _antecedent(self, source: Span, here: int) -> tuple[str | None, SpeakerType | None]:
        """A relative pronoun speaks for the noun phrase it follows ("experts, who said")."""
        lo = self.sentence_starts[here] if self.sentence_starts else 0
        end = source[0]
        while end > lo and self.text[end - 1] in " ,\t\xa0":
            end -= 1
        if end > lo and self.text[end - 1] == ")":  # "Jane Roe (D-Ariz.), who"
            opening = self.text.rfind("(", lo, end)
            end = opening if opening >= 0 else end
            while end > lo and self.text[end - 1] in " \t\xa0":
                end -= 1
        span = np_before(self.text, end, lo)
        if span is None or self.text[span[0] : span[1]].lower() in _RELATIVE:
            return None, None
        name, kind = self.resolve(span)
        if kind == SpeakerType.PERSON and self.text[source[0] : source[1]].lower() == "which":
            return None, None  # "the Fifth Amendment, which": not a person
        return name, kind

    def _lone_word(self, word: str, source: Span, here: int) -> tuple[str, SpeakerType]:
        """A lone capitalized word: a surname or first name of someone the document names in
        full, someone it titles ("Mr. Obama"), else an organization ("Netflix", "F.A.A.")."""
        self._learn_until(source[1])
        later = self.by_surname.get(word, set())
        firsts = self.by_first.get(word, set())
        known = self._known(word)
        if known:
            name = known
        elif len(later) == 1:  # "Biden said ..." before "President Joe Biden"
            name = next(iter(later))
        elif len(firsts) == 1 and not later:  # "Melanie" for "Melanie Campbell"
            name = next(iter(firsts))
        elif (
            later
            or word in self.titled
            or not _proper([word])
            or self._titled_in_text(word)
            or self._pronoun_vote(source, here) > 0
        ):
            name = word
        else:
            self.last_org = (word, SpeakerType.ORGANIZATION)
            self._named_org(source[0], word, SpeakerType.ORGANIZATION)
            return word, SpeakerType.ORGANIZATION
        self.last_person = (here, name)
        return name, SpeakerType.PERSON

    def _person_name(self, name: str, source: Span, here: int) -> bool:
        """Whether a name of two words or more is a person's: it opens with a given name or an
        initial, or the document titles the person ("Mr. Sunak", "Chancellor Rishi Sunak") or
        says "he"/"she" after it; "Fitch Ratings", "Stitch Fix" and "Goldman Sachs" have none."""
        parts = name.split()
        if len(parts) < 2 or any(is_given_name(w) for w in parts[:-1]):
            return True
        if is_initials(parts[0]) or name in self.titled_names:
            return True
        mention = self.text[source[0] : source[1]].lower().split()
        roles = _lex().roles
        if any(w.rstrip(".") in roles for w in mention):  # "Singer Karry Wang", "owner X"
            return True
        last = parts[-1]
        kin = self.by_surname.get(last, ())  # "Meshawn Maddock" beside "Matt Maddock"
        return (
            any(n != name and is_given_name(n.split()[0]) for n in kin)
            or last in self.titled
            or self._titled_in_text(last)
            or _role_beside(self.text, source)
            or self._pronoun_vote(source, here) > 0
        )

    def _named_thing(self, name: str, source: Span) -> tuple[str, SpeakerType]:
        """A capitalized name that is not a person's: an organization ("Fitch Ratings"), or
        a named thing when it ends in a word such as "Amendment", "Act" or "Index"."""
        if name.split()[-1].lower() in _lex().named_things:
            return name, SpeakerType.OTHER
        self.last_org = (name, SpeakerType.ORGANIZATION)
        self._named_org(source[0], name, SpeakerType.ORGANIZATION)
        return name, SpeakerType.ORGANIZATION

    def _pronoun_vote(self, source: Span, here: int) -> int:
        """Person pronouns minus organization ones from the mention to the next sentence's end:
        "Netflix said ... its" is a company, "O'Neill said ... he" a person."""
        nxt = here + 2
        hi = self.sentence_starts[nxt] if nxt < len(self.sentence_starts) else len(self.text)
        words = _PRONOUN_WORD_FAST.findall(self.text, source[1], hi)
        person = sum(w.lower() in _PERSON_PRONOUNS for w in words)
        return person - (len(words) - person)

    def _titled_in_text(self, word: str) -> bool:
        """Whether the text puts a person's title or honorific before the word ("nominee X")."""
        if is_acronym(word) or is_initials(word):
            return False
        if self._all_after_title is not None:
            return word in self._all_after_title
        if len(self._after_title) >= _FEW_WORDS:  # a long document: one pass over it instead
            self._all_after_title = _words_after_titles(self.text)
            return word in self._all_after_title
        if word not in self._after_title:  # usually a few words only: look up each once
            self._after_title[word] = _follows_title(self.text, word)
        return self._after_title[word]

    def _learn_until(self, pos: int) -> None:
        while self.learned < len(self.names) and self.names[self.learned][0] < pos:
            _, n_name, n_title = self.names[self.learned]
            self._register_person(n_name, n_title, None)
            self.learned += 1

    def _pronoun_person(self, pos: int, here: int) -> tuple[str | None, SpeakerType | None]:
        if self.last_person and here - self.last_person[0] <= 4:
            return self.last_person[1], SpeakerType.PERSON
        lo = self.sentence_starts[max(0, here - 2)] if self.sentence_starts else 0
        named = self._names_between(lo, pos)
        if named:
            self._learn_until(pos)
            name = self._canonical(named[-1][1])
            self.last_person = (here, name)
            return name, SpeakerType.PERSON
        if self.last_person:
            return self.last_person[1], SpeakerType.PERSON
        return None, None

    def _title(self, ment: Mention, source: Span, here: int) -> tuple[str | None, SpeakerType]:
        assert ment.title is not None
        if ment.title in _HONORIFICS:  # "Mr Watt's lawyer": someone unnamed, not Mr Watt
            return None, SpeakerType.PERSON
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
        if name is None:  # "a spokesman" with nobody named: no canonical name
            return _named_phrase(ment.text), SpeakerType.PERSON
        self.last_person = (here, name)
        return name, SpeakerType.PERSON

    def _organization(self, ment: Mention, source: Span) -> tuple[str | None, SpeakerType]:
        # "the Defense Ministry" is its own body even after "the military"; the reverse not
        own_head = ment.head is not None and ment.head not in _lex().army
        named_here = _proper(_org_canon(ment).split())  # "China Daily newspaper" names itself
        if named_here and len(ment.text.split()) == 1:  # "the Journal": the one named in full
            short = _strip_possessive(ment.text)
            for name, kind in reversed(self._orgs_by_last.get(short, [])):
                if " " in name and name.split()[0] != short:
                    return self._org(name, kind, ment.head, ment.country, ment.army, source)
        same = None if named_here else self._same_body(ment, own_head)
        if same is not None:
            canon, country, head, army = self.orgs[same]
            return self._org(canon, self._type_of(canon), head, country, army, source)
        canon = _org_canon(ment)
        kind = self._type_of(canon)
        if not ment.country and not _proper(canon.split()):
            named = self._recent_org(source, kind, ment.head)  # "the company": the one named
            if named is None:
                self.last_org = (None, kind)
                return None, kind
            canon = named
        return self._org(canon, kind, ment.head, ment.country, ment.army, source)

    def _recent_org(self, source: Span, kind: SpeakerType, head: str | None) -> str | None:
        """The organization named last in this or the two sentences before: any business for
        "the company", one with the same head noun otherwise ("the committee")."""
        here = self._sentence_index(source[0])
        lo = self.sentence_starts[max(0, here - 2)] if self.sentence_starts else 0
        lex = _lex()
        business = head in lex.company_nouns
        best: tuple[int, str] | None = None
        i = bisect.bisect_left(self._orgs_by_pos, (lo,))
        j = bisect.bisect_left(self._orgs_by_pos, (source[0],))
        for pos, _, name, k in self._orgs_by_pos[i:j]:  # by position, then in the order named
            last = name.split()[-1].lower()
            company = last not in lex.heads or last in lex.company_nouns
            fits = (business and k == kind and company) or (
                head is not None and name.split()[-1].lower() == head
            )
            if lo <= pos < source[0] and fits and (best is None or pos > best[0]):
                best = (pos, name)
        return best[1] if best else None

    def _same_body(self, ment: Mention, own_head: bool) -> int | None:
        """Index in `orgs` of the last organization the mention names again: the same head
        noun ("the ministry"), or any army for "the military", in a compatible country."""
        candidates: list[list[int]] = []
        if ment.head:
            candidates.append(self._orgs_by_head.get(ment.head, []))
        if ment.army and not own_head:
            candidates.append(self._army_orgs)
        best = -1
        for indexes in candidates:
            for i in reversed(indexes):
                if i <= best:
                    break
                country = self.orgs[i][1]
                if ment.country is None or country in (None, ment.country):
                    best = i
                    break
        return best if best >= 0 else None

    @staticmethod
    def _type_of(canon: str) -> SpeakerType:
        low = canon.lower()
        gov = ("ministry", "army", "military", "government", "forces", "department", "kremlin")
        if any(g in low for g in gov) or low in _lex().places.by_word:
            return SpeakerType.GOVERNMENT
        return SpeakerType.ORGANIZATION

    def _org(
        self,
        canon: str,
        kind: SpeakerType,
        head: str | None,
        country: str | None,
        army: bool,
        source: Span | None = None,
    ) -> tuple[str, SpeakerType]:
        if head:
            self._orgs_by_head.setdefault(head, []).append(len(self.orgs))
        if army:
            self._army_orgs.append(len(self.orgs))
        self.orgs.append((canon, country, head, army))
        self.last_org = (canon, kind)
        if source is not None:
            self._named_org(source[0], canon, kind)
        return canon, kind


#: Distinct words asked "does a title stand before it?" that are looked up one by one; past
#: this many, one pass over the document answers all (linear in a long document).
_FEW_WORDS: Final = 8
# every adjacent pair of tokens: the lookahead lets each token be the second of one pair and
# the first of the next, so one pass over the text sees them all
_TOKEN_PAIR: Final = re.compile(r"([\w.-]+)\s+(?=([\w'’.-]+))")


def _words_after_titles(text: str) -> frozenset[str]:
    """Every word `_follows_title` says yes to, in one pass over the text."""
    titles = word_list("titles.txt")
    words: set[str] = set()
    for m in _TOKEN_PAIR.finditer(text):
        if m.group(1).lower() in titles:
            token = m.group(2)
            words.add(token.rstrip(".-"))
            words.add(_WORD_STEM.match(token).group(0))
    return frozenset(words)


@cache
def _longest_title() -> int:
    return max((len(t) for t in word_list("titles.txt")), default=0)


def _is_token_char(c: str) -> bool:
    """`_TOKEN_CHAR`: a word character (`\\w`: letters, digits, "_"), a period or a hyphen."""
    return c.isalnum() or c in "_.-"


def _token_start(text: str, lo: int, hi: int) -> int:
    """Where `_TOKEN_ENDING.search(text, lo, hi)` matches (hi when it does not): the run of
    token characters ending at hi, from lo at the earliest, read backwards instead of trying
    the pattern at each start of the window."""
    p = hi
    while p > lo and _is_token_char(text[p - 1]):
        p -= 1
    return p


def _follows_title(text: str, word: str) -> bool:
    """Whether a one-word title or honorific ("nominee", "Mr.") stands right before a token
    that is the word, with or without trailing punctuation or possessive ("X.", "X's").

    Tokens are runs of word characters, dots and hyphens (apostrophes too for the one after
    the title), separated by whitespace. Only the word's occurrences are looked at, not every
    pair of words in the document.
    """
    if not word:
        return False
    titles = word_list("titles.txt")
    window = _longest_title() + 1
    at = text.find(word)
    while at >= 0:
        if at > 0 and text[at - 1].isspace():
            token = _TOKEN_AFTER_SPACE.match(text, at)
            if token is not None and word in (
                token.group().rstrip(".-"),
                _WORD_STEM.match(token.group()).group(),
            ):
                end = at - 1
                while end > 0 and text[end - 1].isspace():
                    end -= 1
                lo = max(0, end - window)
                begin = _token_start(text, lo, end)
                whole = begin < end and (begin > lo or lo == 0 or not _is_token_char(text[lo - 1]))
                if whole and text[begin:end].lower() in titles:
                    return True
        at = text.find(word, at + 1)
    return False


@cache
def _roles() -> frozenset[str]:
    return word_list("titles.txt") | word_list("person_roles.txt")


# the words of an apposition after a name, up to the first function word or punctuation:
# ", a professor of ...", ", Acme's chief executive", ", manager, market analysis"
_APPOSITION: Final = re.compile(r"[ \t\xa0]*(?:,|--|[—–(])[ \t\xa0]*((?:[\w'’.-]+[ \t\xa0]*){1,6})")
_APPOSITION_STOP: Final = frozenset(
    {
        "at",
        "of",
        "for",
        "in",
        "on",
        "with",
        "from",
        "to",
        "and",
        "or",
        "who",
        "whose",
        "which",
        "that",
        "where",
        "said",
        "says",
        "told",
    }
)
_WORD_BEFORE: Final = re.compile(r"([\w-]+),?[ \t\xa0]+\Z")


def _role_beside(text: str, source: Span) -> bool:
    """Whether a person's role stands in an apposition right after the mention ("Jane Roe, an
    economist at ...") or as the lowercase word right before it ("store owner Jane Roe")."""
    roles = _lex().roles
    before = _WORD_BEFORE.search(text, max(0, source[0] - 40), source[0])
    if before is not None and before.group(1).islower() and before.group(1) in roles:
        return True
    after = _APPOSITION.match(text, source[1])
    if after is None:
        return False
    for word in after.group(1).split():
        low = _strip_possessive(word).lower()
        if low in _APPOSITION_STOP:
            return False
        if low in roles:
            return True
    return False


def _owner(text: str) -> str | None:
    """The capitalized owner in "<Owner>'s <lowercase words> <letter|statement|...>"."""
    words = text.split()
    if len(words) < 2 or words[-1].lower() not in _lex().speaking_things:
        return None
    for i, w in enumerate(words[:-1]):
        if w.endswith(_POSSESSIVE_ENDS) and w[:1].isupper():
            if all(x[:1].islower() for x in words[i + 1 :]):
                return " ".join(words[: i + 1])[: len(_strip_possessive(w)) - len(w)]
            return None
    return None


def _same_person(a: list[str], b: list[str]) -> bool:
    """Two full names with the same surname: one person when the first names agree, or one is
    the other's initial ("H. Clinton"); "Robert Durst" and "Kathie Durst" are two."""
    x, y = a[0].rstrip("."), b[0].rstrip(".")
    n = min(len(a), len(b))
    suffix = n >= 2 and a[-n:] == b[-n:]  # "Merced Laurence D. Fink", "Laurence D. Fink"
    return suffix or x == y or (min(len(x), len(y)) == 1 and x[0] == y[0])


def _org_canon(ment: Mention) -> str:
    """An organization's name as written, or "<demonym> <head>" for "Kiev's forces"."""
    words = ment.text.split()
    if ment.country and words and words[0].endswith(_POSSESSIVE_ENDS):
        head = " ".join(words[1:]).lower()
        head = _HEAD_NORMAL.get(head, head)
        return f"{places().demonym[ment.country]} {head}"
    words = [_strip_possessive(w) if i == len(words) - 1 else w for i, w in enumerate(words)]
    while words and words[-1][:1].islower() and words[-1].lower() != ment.head:
        words.pop()  # "State Department spokesman": the body, not its employee
    keep: list[str] = []
    for w in reversed(words):  # the name run that ends in the head: "New York University"
        if w[:1].isupper() or w.lower() in _CONNECTORS or (w.lower() == ment.head and not keep):
            keep.insert(0, w)  # a lowercase head ends the name ("Ukrainian army"), not "group X"
        else:
            break
    while keep and keep[0].lower() in _CONNECTORS:
        keep.pop(0)
    return " ".join(keep) or ment.text
