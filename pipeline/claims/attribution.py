"""Attribution rules: tie quotes and reported clauses to a cue and a source mention.

Rules return `Draft`s (spans only); `extract.py` resolves speakers and builds `Claim`s.
Direct-quote rules run first; indirect rules then skip text already claimed.
"""

from __future__ import annotations

import bisect
from functools import cache
from typing import ClassVar, Final, NamedTuple

from pipeline.claims import (
    content_end,
    cue_sources,
    rules_according,
    rules_asked,
    rules_continuations,
    rules_cue_nouns,
    rules_direct,
    rules_headlines,
    rules_sourceless_cues,
    rules_verbs,
)
from pipeline.claims.attribution_text import _words_upto, trim
from pipeline.claims.cue_openings import CueStarts, cue_starts
from pipeline.claims.cues import Cue, load_cues
from pipeline.claims.draft import Draft
from pipeline.claims.literals import Literals
from pipeline.claims.model import ClaimKind, Span
from pipeline.claims.quotes import Quote
from pipeline.claims.rules_according import _ACCORDING
from pipeline.claims.rules_sourceless_cues import _sourceless_cues
from pipeline.claims.sources import word_list
from pipeline.claims.triggers import Clause, FoldedText, Trigger, required_words
from pipeline.claims.verb_forms import VerbHit, verb_at, verb_hits

_TERMINAL_CHARS: Final = frozenset(".!?\"”’'»)]:")
_NP_PRONOUNS: Final = frozenset({"it", "him", "her", "them", "this", "that", "these", "those"})


Patterns = list[list[Clause] | None]  # each pattern's required words (`triggers`)


class TriggerWords(NamedTuple):
    """Required words of the rare patterns `Attributor._may_match` tests for."""

    according: Patterns
    nouns: Patterns
    sourceless: Patterns


@cache
def _trigger_words() -> TriggerWords:
    return TriggerWords(
        [required_words(_ACCORDING)],
        [required_words(load_cues().noun_re)],
        [required_words(rx) for rx, _, _ in _sourceless_cues()],
    )


@cache
def _trigger_literals() -> Literals:
    """Every trigger word of every field: a document is scanned once for all of them."""
    return Literals(
        word
        for patterns in _trigger_words()
        for clauses in patterns
        for clause in clauses or ()
        for word in clause
    )


class Attributor:
    """Runs the rules over one document."""

    # skip sentences without a rare rule's words (False: run every rule); a ClassVar, so that
    # setting it on the class reaches compiled code too (a compiled class copies plain defaults)
    prefilter: ClassVar[bool] = True

    def __init__(
        self, text: str, sentences: list[Span], quotes: list[Quote], paras: list[Span]
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.quotes = quotes
        self.paras = paras
        self.drafts: list[Draft] = []
        self._cues_used: set[int] = set()  # a cue introduces one claim
        self._bounds: list[Span] = []  # (start, end) of every draft, sorted
        self._bound_starts: list[int] = []  # the same, split for bisection on plain ints
        self._bound_ends: list[int] = []
        self._max_len = 0  # longest draft so far: how far back an overlapping draft can start
        self._ends: list[tuple[int, int]] = []  # (end, draft index), built by continuations()
        self._sources: list[tuple[int, int, Span]] = []  # (source start, draft index, source)
        self._para_starts = [a for a, _ in paras]
        self._sent_starts = [a for a, _ in sentences]
        self._quote_starts = [q.start for q in quotes]
        self._source_memo: dict[tuple[int, int], Span | None] = {}  # see `_source_before`
        self._folded = FoldedText(text, enabled=self.prefilter)
        self._triggers: dict[str, Trigger] = {}  # by `TriggerWords` field, built when needed
        self._present: set[str] | None = None  # trigger words in the lower-cased text
        # where the cue scans may match (`cue_openings`); None: they try every position
        self.cue_starts: CueStarts | None = cue_starts(text) if self.prefilter else None
        self._verb_starts = set(self.cue_starts.verbs) if self.cue_starts is not None else None

    # ---- rules and helpers in modules of their own --------------------------------------------
    # plain functions taking the Attributor, reached by rule modules as `att._name`: methods
    # that call them, not `name = module.function`, because mypyc-compiled functions do not
    # bind as methods (pipeline/_compiled.py); compiled, these calls are direct C calls
    def direct(self) -> None:
        return rules_direct.direct(self)

    def headlines(self, headings: list[Span]) -> None:
        return rules_headlines.headlines(self, headings)

    def continuations(self) -> None:
        return rules_continuations.continuations(self)

    def _according_to(self, s: int, e: int) -> None:
        return rules_according.according_to(self, s, e)

    def _asked(self, s: int, e: int) -> None:
        return rules_asked.asked(self, s, e)

    def _verbs(self, s: int, e: int) -> None:
        return rules_verbs.verbs(self, s, e)

    def _nouns(self, s: int, e: int) -> None:
        return rules_cue_nouns.nouns(self, s, e)

    def _sourceless(self, s: int, e: int) -> None:
        return rules_sourceless_cues.sourceless(self, s, e)

    def _forward(self, s: int, e: int, cs: int, ce: int, entry: Cue, surface: str) -> bool:
        return rules_verbs.forward(self, s, e, cs, ce, entry, surface)

    def _right_ok(self, pos: int, e: int, entry: Cue | None = None) -> bool:
        return rules_verbs.right_ok(self, pos, e, entry)

    def _push_around(
        self,
        s: int,
        e: int,
        left_end: int,
        attr_end: int,
        rule: str,
        cue: Span,
        entry: Cue,
        src: Span,
    ) -> bool:
        return rules_verbs.push_around(self, s, e, left_end, attr_end, rule, cue, entry, src)

    def _content_end(self, start: int, sent_end: int) -> int:
        return content_end.content_end(self, start, sent_end)

    def _relative_end(self, start: int, end: int) -> int:
        return content_end.relative_end(self, start, end)

    def _find_source_before(self, cue_start: int, lo: int) -> Span | None:
        return cue_sources.find_source_before(self, cue_start, lo)

    def _subject(self, s: int, before: int) -> Span | None:
        return cue_sources.subject(self, s, before)

    def _apposition_source(self, s: int, cue_start: int) -> Span | None:
        return cue_sources.apposition_source(self, s, cue_start)

    def _source_in(self, s: int, cs: int) -> Span | None:
        return cue_sources.source_in(self, s, cs)

    def _has_verb(self, span: Span) -> bool:
        return cue_sources.has_verb(self, span)

    def _subject_ok(self, src: Span, surface: str) -> bool:
        return cue_sources.subject_ok(self, src, surface)

    # ---- helpers -------------------------------------------------------------------------
    def _verbs_in(self, lo: int, hi: int) -> list[VerbHit]:
        """`verb_re.finditer(text, lo, hi)`, tried only where a verb form's first word occurs
        (read by hand: `verb_forms`)."""
        starts = self.cue_starts
        return verb_hits(self.text, starts.verbs if starts is not None else None, lo, hi)

    def _verb_at(self, pos: int, hi: int) -> VerbHit | None:
        """`verb_re.match(text, pos, hi)` (pos >= 0): None at once where no verb form's first
        word starts, since every match opens with one (`cue_openings`)."""
        if self._verb_starts is not None and pos not in self._verb_starts:
            return None
        return verb_at(self.text, pos, hi)

    def _may_match(self, patterns: str, start: int, end: int) -> bool:
        """False only when none of the `TriggerWords` field's patterns can match inside
        `[start, end)`: a few substring searches instead of a regex scan."""
        return self._trigger(patterns).may_match(start, end)

    def _may_match_which(self, patterns: str, start: int, end: int) -> list[int] | None:
        """Which of the `TriggerWords` field's patterns may match inside `[start, end)`, by
        position (None: any may), so a rule runs only those."""
        return self._trigger(patterns).which(start, end)

    def _trigger(self, patterns: str) -> Trigger:
        trigger = self._triggers.get(patterns)
        if trigger is None:
            low = self._folded.lower
            if self._present is None and low is not None:
                self._present = _trigger_literals().present(low)
            words = getattr(_trigger_words(), patterns)
            trigger = self._triggers[patterns] = self._folded.trigger(words, self._present)
        return trigger

    def _para_of(self, pos: int) -> Span:
        i = bisect.bisect_right(self._para_starts, pos) - 1
        if i >= 0 and pos < self.paras[i][1]:
            return self.paras[i]
        return 0, len(self.text)

    def _sentence_of(self, pos: int) -> Span:
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i][1]:
            return self.sentences[i]
        return self._para_of(pos)

    def _in_quote(self, pos: int) -> Quote | None:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def _insert_bounds(self, span: Span) -> None:
        """Index one new draft (sorted bounds; drafts arrive out of text order)."""
        i = bisect.bisect_right(self._bounds, span)
        self._bounds.insert(i, span)
        self._bound_starts.insert(i, span[0])
        self._bound_ends.insert(i, span[1])
        self._max_len = max(self._max_len, span[1] - span[0])

    def keep_drafts(self, keep: list[Draft]) -> None:
        """Keep only `keep` (in order) and rebuild every index over the drafts, so a rule that
        removes drafts after the fact leaves `_taken` and the source index consistent."""
        self.drafts[:] = keep
        self._bounds = sorted((d.start, d.end) for d in keep)
        self._bound_starts = [a for a, _ in self._bounds]
        self._bound_ends = [b for _, b in self._bounds]
        self._max_len = max((b - a for a, b in self._bounds), default=0)
        self._sources = sorted(
            (d.source[0], i, d.source) for i, d in enumerate(keep) if d.source is not None
        )

    def _replace_bounds(self, old: Span, new: Span) -> None:
        """Re-index a draft whose spans grew (a continued quote), without a full re-sort."""
        i = bisect.bisect_left(self._bounds, old)
        del self._bounds[i], self._bound_starts[i], self._bound_ends[i]
        self._insert_bounds(new)

    def _taken(self, start: int, end: int) -> bool:
        """Whether `[start, end)` overlaps a claim so far. Only drafts starting within the
        longest draft's length before `start` can reach it, so the scan is short and a long
        document stays linear (a running maximum of ends had to be redone on every insert)."""
        starts = self._bound_starts
        hi = bisect.bisect_left(starts, end)
        lo = bisect.bisect_left(starts, start - self._max_len, 0, hi)
        ends = self._bound_ends  # stops at the first overlap (a long draft is first)
        for k in range(lo, hi):  # noqa: SIM110 (a plain loop compiles to C; any() a generator)
            if ends[k] > start:
                return True
        return False

    def _source_before(self, cue_start: int, lo: int) -> Span | None:
        """The source NP before a cue, computed once per (cue, sentence start): `_post_content`,
        `_forward` and the later rules all ask for the same cue, and the answer depends on the
        text alone."""
        key = (cue_start, lo)
        memo = self._source_memo
        if key not in memo:
            memo[key] = self._find_source_before(cue_start, lo)
        return memo[key]

    def _add(self, draft: Draft) -> int:
        self.drafts.append(draft)
        if draft.source is not None:
            bisect.insort(self._sources, (draft.source[0], len(self.drafts) - 1, draft.source))
        self._insert_bounds((draft.start, draft.end))
        if draft.cue is not None:
            self._cues_used.add(draft.cue[0])
        return len(self.drafts) - 1

    # ---- new drafts and the per-sentence rules ---------------------------------------------
    def _kind(self, span: Span) -> ClaimKind:
        """Mixed when a quotation lies inside the content (quotes are sorted by start)."""
        a, b = span
        i = bisect.bisect_left(self._quote_starts, a)
        while i < len(self.quotes) and self.quotes[i].start <= b + 1:
            if self.quotes[i].end <= b + 1:
                return ClaimKind.MIXED
            i += 1
        return ClaimKind.INDIRECT

    def _push(self, content: Span, rule: str, cue: Span, entry: Cue, src: Span | None) -> bool:
        content = trim(self.text, *content)
        n = _words_upto(self.text, content, 2)  # only 0, 1 or more matters
        short = False
        if n == 1:  # "X endorsed Clinton", "leaders decried it": a name or pronoun is whole
            word = self.text[content[0] : content[1]].rstrip(".!?\"”’'")
            short = word.lower() in word_list("short_answers.txt") or (
                entry.frame == "np" and (word[:1].isupper() or word.lower() in _NP_PRONOUNS)
            )
        if (n < 2 and not short) or self._taken(*content):
            return False
        if self._taken(*cue) or cue[0] in self._cues_used:
            return False
        self._add(Draft(self._kind(content), (content,), rule, cue, entry, src))
        return True

    def _ends_terminal(self, s: int, end: int, last_solid: dict[int, int]) -> bool:
        """Whether text[s:end] ends in sentence-final punctuation or a closing mark, then only
        spaces. Not a regex scan from every sentence to its paragraph's end (quadratic in a long
        paragraph): the last non-space character before `end`, found once per paragraph, must
        lie at or after `s` and be terminal."""
        last = last_solid.get(end)
        if last is None:
            last = end - 1
            while last >= 0 and self.text[last].isspace():
                last -= 1
            last_solid[end] = last
        return last >= s and self.text[last] in _TERMINAL_CHARS

    def indirect(self) -> None:
        """The per-sentence rules. "according to", cue nouns and sourceless cues are rare:
        each runs only on sentences holding the words its patterns need (`triggers`)."""
        last_solid: dict[int, int] = {}  # paragraph end → its last non-space character
        according: Trigger | None = None  # `_trigger(...)`, fetched once, when first needed
        nouns: Trigger | None = None
        for s, e in self.sentences:
            if not self._ends_terminal(s, self._para_of(s)[1], last_solid):
                continue  # headings carry no reported speech worth the risk
            if according is None:
                according, nouns = self._trigger("according"), self._trigger("nouns")
            if according.may_match(s, e):
                self._according_to(s, e)
            self._asked(s, e)
            self._verbs(s, e)
            if nouns is not None and nouns.may_match(s, e):
                self._nouns(s, e)
        if self.sentences:
            sourceless = self._trigger("sourceless")
            for s, e in self.sentences:
                if sourceless.may_match(s, e):
                    self._sourceless(s, e)
