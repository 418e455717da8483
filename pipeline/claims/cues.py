"""Cue lexicon: which words introduce reported speech, thought or intention, and with what stance.

The lexicon lives in `lexicon/cues.tsv` (lemma, part, stance, frame, irregular forms); a tiny
inflector adds the regular verb and noun forms so the file lists lemmas only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from pipeline.claims.literals import matches_at
from pipeline.claims.model import Stance

LEXICON_DIR: Final = Path(__file__).parent / "lexicon"


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon entry: `frame` says where the content sits relative to the cue."""

    lemma: str
    part: str  # verb | noun | prep
    stance: Stance
    frame: str


def _third_person(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ied"
    return word + "ed"


def _gerund(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith("ee"):
        return word[:-1] + "ing"
    return word + "ing"


def inflect(lemma: str, part: str, irregular: tuple[str, ...] = ()) -> set[str]:
    """All surface forms of a lemma; for multi-word verbs ("point out") the first word inflects."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if part == "verb":
        drop = {f[1:] for f in irregular if f.startswith("-")}  # "-back": never the bare form
        irregular = tuple(f for f in irregular if not f.startswith("-"))
        forms = set(irregular) or {_third_person(head), _past(head), _gerund(head)}
        forms.add(head)
        return {f if f.endswith(tail) else f + tail for f in forms - drop}
    if part == "noun":
        return {lemma, _third_person(head) + tail}
    return {lemma}


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Surface form (lower case) → entry, per part of speech, plus one compiled regex per part."""

    verbs: dict[str, Cue]
    nouns: dict[str, Cue]
    preps: dict[str, Cue]
    verb_re: re.Pattern[str]
    noun_re: re.Pattern[str]


def trie_pattern(forms: set[str], word_start: bool = False) -> str:
    """One regex alternation factored as a trie: much faster than a flat list of words.

    `word_start`: a match must begin a word, as `\\b` before a form of letters would say, but
    tested by a lookbehind after the first letter (`s(?<!\\ws)…`): a pattern that opens with
    literals lets the regex engine skip to their first letters instead of trying the pattern
    at every position (a win when few letters open the forms)."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict], root: bool = False) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch))
            + (rf"(?<!\w{re.escape(ch)})" if root and word_start else "")
            + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie, root=True)


def _alternation(forms: set[str]) -> str:
    """Lower case only: a capitalized "Post" or "Report" is far more often a name than a cue."""
    return trie_pattern(forms)


@cache
def load_cues() -> CueLexicon:
    """Read `lexicon/cues.tsv` once."""
    verbs: dict[str, Cue] = {}
    nouns: dict[str, Cue] = {}
    preps: dict[str, Cue] = {}
    for line in (LEXICON_DIR / "cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        lemma, part, stance, frame = cols[:4]
        irregular = tuple(f for f in (cols[4].split(",") if len(cols) > 4 else []) if f)
        cue = Cue(lemma, part, Stance(stance), frame)
        target = verbs if part == "verb" else nouns if part == "noun" else preps
        for form in inflect(lemma, part, irregular):
            target.setdefault(form, cue)
    verb_re = re.compile(rf"\b(?=[a-z]){_alternation(set(verbs))}\b")
    noun_re = re.compile(rf"\b(?=[a-z]){_alternation(set(nouns))}\b")
    return CueLexicon(verbs, nouns, preps, verb_re, noun_re)


def verb_matches(text: str, starts: list[int] | None, lo: int, hi: int) -> list[re.Match[str]]:
    """`verb_re.finditer(text, lo, hi)` as a list, the pattern tried only where a verb form's
    first word occurs (`starts`: `cue_openings.cue_starts(text).verbs`; None: everywhere)."""
    return matches_at(load_cues().verb_re, text, starts, lo, hi)


@lru_cache(maxsize=16384)
def lookup_verb(surface: str) -> Cue | None:
    """The verb entry for a surface form such as "said" or "pointed out" (asked for every cue
    match, from a small vocabulary: cached)."""
    return load_cues().verbs.get(" ".join(surface.lower().split()))


def lookup_noun(surface: str) -> Cue | None:
    return load_cues().nouns.get(" ".join(surface.lower().split()))


def lookup_prep(surface: str) -> Cue | None:
    """The entry for a prepositional cue such as "according to"."""
    return load_cues().preps.get(" ".join(surface.lower().split()))
