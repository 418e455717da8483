"""The whole-document cue scans' opening words, all found in one pass over a document.

The cue verbs (per sentence), the nominal cues and the stance verbs (over the whole text) are
case-sensitive regexes that open with a word boundary, so the regex engine tries them at every
position. Every match of each opens with the first word of one of its forms (the forms' words
are literals joined by `\\s+`, `cues.trie_pattern`), so one automaton over all those first
words (`literals.LiteralGroups`) gives each scan the only places it can match
(`literals.matches_at`). The loaders of the nominal and stance lexicons live here, not in
their rules, so that `Attributor` can build the starts without importing the rules.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final, NamedTuple

from pipeline.claims.cues import Cue, inflect, load_cues, trie_pattern
from pipeline.claims.literals import LiteralGroups
from pipeline.claims.model import Stance
from pipeline.claims.sources import LEXICON_DIR


class CueStarts(NamedTuple):
    """Sorted offsets where each scan may match (`cue_starts`)."""

    verbs: list[int]  # `load_cues().verb_re`
    nominal: list[int]  # `nominal_lexicon()[0]`
    stance: list[int]  # `stance_forms()[0]`
    comps: list[int]  # `rules_generic._COMP`: "that" and "whether"
    nouns: list[int]  # `load_cues().noun_re` (the cue nouns of `rules_cue_nouns`)


#: the words every match of `rules_generic._COMP` opens with (a test checks): the generic
#: rules' complementizers, found by the same pass instead of a scan of every "t" and "w"
COMPLEMENTIZERS: Final = ("that", "whether")


@cache
def nominal_lexicon() -> tuple[re.Pattern[str], dict[tuple[str, str], Cue]]:
    """`lexicon/nominal_cues.tsv`: one regex for "NOUN COMPLEMENT", entries by (form, comp)."""
    entries: dict[tuple[str, str], Cue] = {}
    for line in (LEXICON_DIR / "nominal_cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        noun, comp, stance = line.split("\t")
        for form in inflect(noun, "noun"):
            entries[(form, comp)] = Cue(f"{noun} {comp}", "noun", Stance(stance), comp)
    forms = trie_pattern({f for f, _ in entries})
    comps = trie_pattern({c for _, c in entries})
    return re.compile(rf"\b(?=[a-z])({forms})\s+({comps})\s+(?=\S)"), entries


@cache
def stance_forms() -> tuple[re.Pattern[str], dict[str, Cue]]:
    forms: dict[str, Cue] = {}
    for line in (LEXICON_DIR / "stance_verbs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, lemma, stance = line.split("\t")
            forms[form] = Cue(lemma, "verb", Stance(stance), "np")
    # `\b(?=[a-z])(?:FORMS)\b`, the word start tested after the first letter (`trie_pattern`):
    # the forms open with three letters only, which the engine skips to
    starts = {f for f in forms if "a" <= f[:1] <= "z"}  # (?=[a-z]): no other form can match
    return re.compile(rf"(?:{trie_pattern(starts, word_start=True)})\b"), forms


@cache
def _openings() -> LiteralGroups:
    return LiteralGroups(
        [
            {form.split(" ")[0] for form in load_cues().verbs},
            {form.split(" ")[0] for form, _ in nominal_lexicon()[1]},
            {f.split(" ")[0] for f in stance_forms()[1] if "a" <= f[:1] <= "z"},
            set(COMPLEMENTIZERS),
            {form.split(" ")[0] for form in load_cues().nouns},
        ]
    )


def cue_starts(text: str) -> CueStarts | None:
    """Where each scan may match in `text`; None when the automaton cannot read it (a lone
    surrogate): then the scans try every position."""
    found = _openings().starts(text)
    return None if found is None else CueStarts(found[0], found[1], found[2], found[3], found[4])
