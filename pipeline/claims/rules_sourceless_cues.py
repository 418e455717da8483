"""Sourceless cues (`X seems to …`, `X is expected to …`) from `lexicon/sourceless_cues.tsv`."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Final

from pipeline.claims.attribution_text import _words_upto, skip_space, trim
from pipeline.claims.cues import Cue
from pipeline.claims.draft import Draft
from pipeline.claims.model import Span, Stance
from pipeline.claims.sourceless_clause import clause_end
from pipeline.claims.sources import LEXICON_DIR

if TYPE_CHECKING:  # attribution imports this module
    from pipeline.claims.attribution import Attributor


@cache
def _sourceless_cues() -> list[tuple[re.Pattern[str], Cue, str]]:
    """`lexicon/sourceless_cues.tsv`: pattern, lemma, stance, content rule."""
    out = []
    for line in (LEXICON_DIR / "sourceless_cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rx, lemma, stance, how = line.split("\t")
        cue = Cue(lemma, "verb", Stance(stance), how)
        out.append((re.compile(rf"\b{rx}", re.IGNORECASE), cue, how))
    return out


@cache
def _sourceless_any() -> re.Pattern[str]:
    """All of `lexicon/sourceless_cues.tsv` in one pattern: most sentences match none."""
    return re.compile("|".join(f"(?:{rx.pattern})" for rx, _, _ in _sourceless_cues()), re.I)


@cache
def _sourceless_any_folded() -> re.Pattern[str] | None:
    """`_sourceless_any` without IGNORECASE, for the lower-cased text (`FoldedText.lower`): the
    same matches at a third of the cost, since no character is tried in both cases. Lower-casing
    stands in for IGNORECASE only when the pattern holds no upper-case letter and no
    case-sensitive group (`FoldedText` already refuses texts where it would not); else None."""
    pattern = _sourceless_any().pattern
    if pattern != pattern.lower() or "(?-i" in pattern:
        return None
    return re.compile(pattern)


@cache
def _sourceless_folded() -> list[tuple[re.Pattern[str], re.Pattern[str]]] | None:
    """Each pattern of `_sourceless_cues` as `_sourceless_any_folded` is the whole set (None
    where that is None): a sentence runs only those whose trigger words it holds. Most
    sentences pass the trigger by one common word alone ("said", of the passives), and the
    one pattern needing it costs half the search of all of them.

    Each comes as (gate, pattern): the gate is the pattern without its leading `\\b`, so
    every match of the pattern is one of the gate, and the regex engine skips to the letters
    that open it instead of testing a word boundary at every position; the pattern runs
    only where its gate found something (replayed on the side set: 7.7 -> 5.2 us/doc)."""
    if _sourceless_any_folded() is None:
        return None
    out = []
    for rx, _, _ in _sourceless_cues():
        pattern = re.compile(rx.pattern)
        bare = rx.pattern.removeprefix(r"\b")
        out.append((re.compile(bare) if bare != rx.pattern else pattern, pattern))
    return out


_SUBORDINATOR: Final = re.compile(
    r"[\"“'‘]?(?:while|if|when|although|though|as|because|since|after|before|unless|once|still|but"
    r"|and|yet|so)\b,?\s*",
    re.IGNORECASE,
)


def sourceless(att: Attributor, s: int, e: int) -> None:
    """`X seems to …`, `X is expected to …`, `Asked whether …,`: claims without a source."""
    text = att.text
    low, folded = att._folded.lower, _sourceless_folded()
    which: list[int] | None = None  # the patterns that may match here (None: any)
    if low is not None and folded is not None:
        # a search of the lower-cased sentence, with only the patterns whose trigger words
        # it holds: no match of any of them, no match of the whole set (`_sourceless_any`)
        which = att._may_match_which("sourceless", s, e)
        if which is None:
            if _sourceless_any_folded().search(low, s, e) is None:  # type: ignore[union-attr]
                return
        elif not _any_search(folded, which, low, s, e):
            return
    elif _sourceless_any().search(text, s, e) is None:
        return
    for i, (rx, entry, how) in enumerate(_sourceless_cues()):
        if which is not None and i not in which:
            continue  # lacks a word every match of this pattern holds: no scan of it
        for m in rx.finditer(text, s, e):
            cs, ce = m.span()
            if att._in_quote(cs) or att._taken(cs, ce) or cs in att._cues_used:
                continue
            if how == "until_comma":
                stop = text.find(",", ce, e)
                if stop == -1:  # "…, she said when asked how it went."
                    stop = att._content_end(ce, e)
                att._push((ce, stop), "sourceless_question", (cs, ce), entry, None)
                continue
            left, right = sourceless_parts(att, s, e, cs, ce)
            if _words_upto(text, left, 1) < 1 or _words_upto(text, right, 2) < 2:
                continue
            if att._taken(left[0], clause_end(text, *right)):  # its clause only
                continue
            att._add(
                Draft(
                    att._kind((left[0], right[1])),
                    (left, right),
                    "sourceless",
                    (cs, ce),
                    entry,
                )
            )


def _any_search(
    patterns: list[tuple[re.Pattern[str], re.Pattern[str]]],
    which: list[int],
    text: str,
    s: int,
    e: int,
) -> bool:
    """Whether one of the patterns at `which` matches in text[s:e], each tried after its gate."""
    for i in which:
        gate, pattern = patterns[i]
        if gate.search(text, s, e) is not None and pattern.search(text, s, e) is not None:
            return True
    return False


def sourceless_parts(att: Attributor, s: int, e: int, cs: int, ce: int) -> tuple[Span, Span]:
    """Subject and rest of `X is expected to …`, without the writer's framing around it:
    a fronted phrase ("After a year of polls, X is expected …") and the main clause after
    a subordinate one ("While X is not expected to …, Y has …")."""
    text = att.text
    a = skip_space(text, s)
    sub = _SUBORDINATOR.match(text, a, cs)
    if sub is not None:
        a = sub.end()
    comma = text.rfind(",", a, cs)
    if comma != -1 and att._in_quote(comma) is None and _words_upto(text, (comma, cs), 1) >= 1:
        a = comma + 1
    end = att._content_end(ce, e)
    if sub is not None or comma != -1:
        stop = text.find(",", ce, end)
        if sub is not None and stop != -1 and att._in_quote(stop) is None:
            end = stop  # the subordinate clause ends at its comma
    return trim(text, a, cs), trim(text, ce, end)
