"""Attribution rules: tie quotes and reported clauses to a cue and a source mention.

Rules return `Draft`s (spans only); `extract.py` resolves speakers and builds `Claim`s.
Direct-quote rules run first; indirect rules then skip text already claimed.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import NamedTuple

from pipeline.claims import content_end, cue_sources
from pipeline.claims.attribution_text import (
    _OF,
    _SPEECH_FRAMES,
    _THAT,
    _WORD_RE,
    _WS,
    _skip_time,
    _strip_aux,
    _words,
    object_after,
    trim,
)
from pipeline.claims.cue_sources import _APPOSITIVE_START
from pipeline.claims.cues import Cue, load_cues, lookup_noun, lookup_prep, lookup_verb
from pipeline.claims.draft import Draft
from pipeline.claims.headlines import (
    COLON_CUE,
    DASH_CUE,
    colon_headline,
    dash_signed,
    verb_headline,
)
from pipeline.claims.model import ClaimKind, Span, Stance
from pipeline.claims.quotes import Quote
from pipeline.claims.rules_short_pp import short_pp_end
from pipeline.claims.sourceless_clause import clause_end
from pipeline.claims.sources import LEXICON_DIR, crosses_sentence, np_after, np_before, word_list
from pipeline.claims.triggers import Clause, FoldedText, Trigger, required_words

_TERMINAL_CHARS = frozenset(".!?\"”’'»)]:")
_SENT_END = re.compile(r"[\s.!?;:\"“”'’)\]]*$")
_TO = re.compile(r"\s+to\s", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
_POSS_NOUN = re.compile(
    r"(?:'s|’s|\b(?:his|her|their|its|our|my))\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)
_REJECT_NEXT = frozenset(
    {"of", "about", "by", "for", "with", "up", "as", "and", "or", "but", "so", "if", "no", "yes"}
)
_ASIDE_CH = r"(?:[^,;.!?“”\"()]|(?<=\b[A-Z])\.)"  # initials ("George W. Bush") may stand inside
_ASIDE = re.compile(rf"\s*,{_ASIDE_CH}{{2,100}}(?:,{_ASIDE_CH}{{2,80}})?,\s*")
_GERUND_LEAD = re.compile(r"\b(?:by|after|before|for|while|and|also)\s*$", re.IGNORECASE)
_CLAUSE_STOP = re.compile(r"[,.;:!?\"“”]|''")
_THAT_WORD = re.compile(r"\bthat\b", re.IGNORECASE)
_REJECT_NP = frozenset({"by", "and", "or", "but", "so", "up", "as"})
_AFTER_OBJECT = frozenset({"in", "on", "at", "during", "after", "before", "from", "while", "when"})
_SUBORDINATOR = re.compile(
    r"[\"“'‘]?(?:while|if|when|although|though|as|because|since|after|before|unless|once|still|but"
    r"|and|yet|so)\b,?\s*",
    re.IGNORECASE,
)
_FRONT_SUBORDINATE = re.compile(
    r"[\"“'‘]?(?:(?:and|but|yet|so)\s+)?(?:even\s+)?(?:although|though|while|whereas|if|when|because"
    r"|as|since|after|before|unless|once|until)\b",
    re.IGNORECASE,
)
_MID_SUBORDINATE = re.compile(
    r",\s+(?:although|though|even\s+though|while|whereas|when|because|since|after|before|unless"
    r"|until)\b",
    re.IGNORECASE,
)


def _start(m: re.Match[str]) -> int:
    return m.start()


_SHORT_REST = re.compile(r"(?:\s+[\w’'.&-]+){1,3}[\s.!?\"”’)]*")
_ASKED = re.compile(
    r"(?P<cue>Asked|(?:(?<=\bwhen\s)|(?<=\bWhen\s)|(?<=\bwas\s)|(?<=\bwere\s)|(?<=\bis\s)|(?<=\bare\s)"
    r"|(?<=\bbeen\s)|(?<=\bbeing\s))asked)\s+(?:(?:on|at|in|during|about|after|specifically|repeatedly|later|again"
    r"|earlier|today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"[^,;:“”\"]{0,50}?\s+)?(?:(?P<by>by\s)[^,;:“”\"]{2,60}?\s+)?"
    r"(?P<q>(?:whether|if|why|how|what|which|who|whom|where|when)\b)"
)
_QUOTE_GAP_ASIDE = re.compile(r"\s*,\s*(?:[a-z]+ly\s+)?([a-z]{3,}ing)\b[^.;“”\"]{0,80}?[,.]\s*")
_NP_PRONOUNS = frozenset({"it", "him", "her", "them", "this", "that", "these", "those"})
_PLACE_THEN_THAT = re.compile(
    r"\s*(?:in|at|on|during|after|before|from)\s+[^,.;:“”\"]{1,60}?"
    r"(?=\s+that\s(?!(?:was|were|is|are|has|had)\b))",  # not "a summit that was held …"
    re.IGNORECASE,
)
_OBJ_TAIL = re.compile(r"(?:\s*\([^()\n]{1,20}\))?(?:\s+[a-z]{3,}ly\b)?")
_ABOUT = re.compile(r"\s+(?:of|about)\s+", re.IGNORECASE)
_NO_DETERMINER = re.compile(r" (?!to\b|matter\b|longer\b)[a-z]")
_WITH_BEFORE = re.compile(r"\bwith\s+$", re.IGNORECASE)
_CONJ = re.compile(r"(?:,\s*)?\b(?:and|but|or|then|yet)(?:\s+(?:also|then|later))?\s*$", re.I)


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


def _invertible(surface: str) -> bool:
    """Verbs that come before their speaker after a quote: "“…,” said Obama", not "thanked"."""
    entry = lookup_verb(surface)
    return (
        entry is not None
        and entry.frame in ("clause", "that", "any", "obj")
        and not surface.lower().partition(" ")[0].endswith("ing")
    )


class Attributor:
    """Runs the rules over one document."""

    prefilter = True  # skip sentences without a rare rule's words (False: run every rule)

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

    # rule families and their helpers, in modules of their own (bound here as methods)

    _content_end = content_end.content_end
    _relative_end = content_end.relative_end

    _find_source_before = cue_sources.find_source_before
    _subject = cue_sources.subject
    _apposition_source = cue_sources.apposition_source
    _source_in = cue_sources.source_in
    _has_verb = cue_sources.has_verb
    _subject_ok = cue_sources.subject_ok

    # ---- helpers -------------------------------------------------------------------------
    def _may_match(self, patterns: str, start: int, end: int) -> bool:
        """False only when none of the `TriggerWords` field's patterns can match inside
        `[start, end)`: a few substring searches instead of a regex scan."""
        trigger = self._triggers.get(patterns)
        if trigger is None:
            words = getattr(_trigger_words(), patterns)
            trigger = self._triggers[patterns] = self._folded.trigger(words)
        return trigger.may_match(start, end)

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
        ends = self._bound_ends  # any(): stops at the first overlap (a long draft is first)
        return any(ends[k] > start for k in range(lo, hi))

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

    def _cue_after_quote(self, q: Quote, hi: int) -> tuple[Span, Cue, Span | None, int] | None:
        """`“…,” SRC CUE` or `“…,” CUE SRC`: (cue span, entry, source, end of the attribution)."""
        text, lex = self.text, load_cues()
        p = _WS.match(text, q.end).end()
        if p < hi and text[p] == ",":
            p = _WS.match(text, p + 1).end()
        m = lex.verb_re.match(text, p, hi)
        inverted = m is not None and _invertible(m.group())
        if m and inverted:  # inverted: "said Obama" (a speech verb, not "thanked Obama")
            src = np_after(text, _WS.match(text, m.end()).end(), hi)
            if src is not None:
                return (m.start(), m.end()), lookup_verb(m.group()), src, src[1]  # type: ignore[return-value]
            return None
        if m:
            return None  # "… “Scandal,” thanked Obama …": the quote is no claim of Obama's
        closed = self._closes_sentence(q)
        for m in lex.verb_re.finditer(text, p, min(hi, p + 160)):
            if crosses_sentence(text, p, m.start()):
                return None
            if closed and self._sentence_of(m.start())[0] >= q.end:
                return None  # “… Clinton.'' A spokesman declined …: a new sentence, not a cue
            # the first cue that fits: "“…,” Jane Doe, who has endorsed no one, told reporters"
            found = self._source_after_quote(m, p, hi)
            if found is not None:
                return found
        return None

    def _closes_sentence(self, q: Quote) -> bool:
        """A quote whose words end in a period ("… Clinton.''") closes its sentence."""
        i = q.end - 1
        while i > q.start and self.text[i] in "\"“”'‘’»":
            i -= 1
        return self.text[i] == "."

    def _source_after_quote(
        self, m: re.Match[str], p: int, hi: int
    ) -> tuple[Span, Cue, Span | None, int] | None:
        """`SRC CUE` right after a quote (from `p`), or `SRC, ASIDE, CUE`."""
        text = self.text
        src = self._source_before(m.start(), p)
        if src is None or text[p : src[0]].strip():
            # "“…,” Jane Doe, the committee chair, said": the NP before the aside
            src = np_after(text, p, m.start())
            if src is None or not _ASIDE.fullmatch(text, src[1], _strip_aux(text, m.start(), p)):
                return None
        entry = lookup_verb(m.group())
        if entry is None or not self._attribution_ends(m.end(), hi, entry):
            return None
        end = m.end()
        if entry.frame == "obj":  # "“A,” he told the paper in May, “B.”": the split joins after
            obj = object_after(text, _WS.match(text, _skip_time(text, end, hi)).end(), hi)
            end = _skip_time(text, obj[1], hi) if obj else end
        return (m.start(), m.end()), entry, src, end

    def _attribution_ends(self, pos: int, hi: int, entry: Cue) -> bool:
        """After `“…,” he said`: punctuation, a time or place phrase, not a clause of its own."""
        text = self.text
        if entry.frame == "obj":  # "he told reporters …" unless "… that CLAUSE" follows
            stop = _CLAUSE_STOP.search(text, pos, hi)
            return _THAT_WORD.search(text, pos, stop.start() if stop else hi) is None
        pos = _WS.match(text, pos).end()
        if pos >= hi or not text[pos].isalnum():
            return True
        w = _WORD_RE.match(text, pos)
        if w is None:
            return True
        word = w.group().lower()
        return word in word_list("after_attribution.txt") or (word.endswith("ly") and len(word) > 4)

    def _cue_before_quote(self, q: Quote, lo: int) -> tuple[Span, Cue, Span | None] | None:
        """`SRC CUE[,:] “…”`, also with "in a statement" between cue and colon."""
        text, lex = self.text, load_cues()
        j = q.start
        while j > lo and text[j - 1].isspace():
            j -= 1
        if j <= lo or text[j - 1] not in ",:":
            return None
        best = None
        for m in lex.verb_re.finditer(text, max(lo, j - 120), j):
            best = m
        if best is None:
            return None
        between = text[best.end() : j - 1]
        entry = lookup_verb(best.group())
        if entry is None:
            return None
        if between.strip():
            k = _skip_time(text, best.end(), j - 1)
            if entry.frame == "obj" and text[k : j - 1].strip():
                obj = object_after(text, _WS.match(text, k).end(), j - 1)
                k = obj[1] if obj else k
                tail = _OBJ_TAIL.match(text, k, j - 1)  # "the Associated Press (AP)", "simply"
                k = _skip_time(text, tail.end(), j - 1) if tail else k
            about = _ABOUT.match(text, k, j - 1)
            if about is not None and text[k : j - 1].strip():  # "she said of the plan: “Q”"
                topic = np_after(text, about.end(), j - 1)
                k = _skip_time(text, topic[1], j - 1) if topic else k
            if text[k : j - 1].strip():
                return None
        src = self._source_before(best.start(), lo)
        c = best.start()
        while c > lo and text[c - 1].isspace():
            c -= 1
        gerund = best.group().partition(" ")[0].endswith("ing")  # "…, saying, “…”": the subject
        if src is None and not gerund and c > lo and text[c - 1] == ",":
            # "Jane Doe, who chairs the panel, told the paper, “…”"
            src = self._apposition_source(self._sentence_of(best.start())[0], c)
        return (best.start(), best.end()), entry, src

    # ---- direct quotes ----------------------------------------------------------------------
    def direct(self) -> None:
        text = self.text
        carry: dict[int, tuple[str, Span, Cue, Span | None]] = {}  # quote index → how it attaches
        last_direct: int | None = None
        skip: set[int] = set()
        for qi, q in enumerate(self.quotes):
            if qi in skip:
                continue
            para = self._para_of(q.start)
            sent = self._sentence_of(q.start)
            spans = q.spans
            found = carry.pop(qi, None)
            rule = found[0] if found else ""
            cue: Span | None = found[1] if found else None
            entry: Cue | None = found[2] if found else None
            src: Span | None = found[3] if found else None
            attr_end = q.end
            if found is None:
                post = self._cue_after_quote(q, para[1])
                if post:
                    cue, entry, src, attr_end = post
                    rule = "direct_postcue"
                else:
                    pre = self._cue_before_quote(q, para[0])
                    if pre:
                        cue, entry, src = pre
                        rule = "direct_precue"
            lead = text[sent[0] : q.start].strip(" \t\"“”'‘’«»([")
            introduced = text[sent[0] : q.start].rstrip(" \t\"“”'‘’«»([").endswith(":")
            if (
                rule
                and lead
                and rule == "direct_postcue"
                and _words(text, (sent[0], q.start))
                and not introduced  # "…: “Q,” he said": the words before the colon are not Q
            ):
                if entry is None or self._in_quote(sent[0]) is not None:
                    continue
                # words before the quote in its sentence: a paraphrase containing quoted words
                content = trim(text, sent[0], q.end)
                if self._taken(*content):
                    continue
                self._add(Draft(ClaimKind.MIXED, (content,), "mixed_postcue", cue, entry, src))
                continue
            if not rule:
                continue  # a continuation, if it is one, joins its claim in `continuations`
            if src is None and rule == "direct_precue" and self.drafts and last_direct is not None:
                prev = self.drafts[last_direct]
                if prev.source and para[0] <= prev.source[0]:
                    src = prev.source
                    rule = "direct_precue_participle"
            if (
                src is None
                and rule == "direct_precue"
                and cue
                and text[cue[1] - 3 : cue[1]] == "ing"
            ):
                # "X attacked Y, saying, “…”": the sentence's subject speaks
                src = self._subject(sent[0], cue[0])
                rule = "direct_precue_participle_subject"
            if src is None:
                continue
            # split quote `“A,” he said, “B.”` and `…, adding, “C”`
            nxt_i = qi + 1
            if nxt_i < len(self.quotes) and self.quotes[nxt_i].start < para[1]:
                nq = self.quotes[nxt_i]
                gap = text[attr_end : nq.start]
                aside = _QUOTE_GAP_ASIDE.fullmatch(gap)
                if rule == "direct_postcue" and (
                    re.fullmatch(r"\s*,\s*", gap)
                    or (aside is not None and lookup_verb(aside.group(1)) is None)
                ):  # "“A,” she said, clapping, “B.”": one claim; "…, adding, “B”" is another
                    spans = spans + nq.spans
                    skip.add(nxt_i)
                else:
                    m = re.fullmatch(r"([^.;“”\"]*?)[\s,]*\b(\w+ing)\b[\s,:]*", gap)
                    part = lookup_verb(m.group(2)) if m else None
                    if m and part is not None:
                        cs = attr_end + m.start(2)
                        carry[nxt_i] = ("direct_participle", (cs, cs + len(m.group(2))), part, src)
            last_direct = self._add(Draft(ClaimKind.DIRECT, spans, rule, cue, entry, src))

    # ---- headlines and signed quotes ----------------------------------------------------------
    def headlines(self, headings: list[Span]) -> None:
        """`Source: claim` and `Source Verbs Claim` headings, `“…” ― Name` signed quotes."""
        text = self.text
        for q, dash, src in dash_signed(text, self.quotes):
            if not self._taken(q.start, q.end):
                self._add(
                    Draft(ClaimKind.DIRECT, q.spans, "direct_dash_signed", dash, DASH_CUE, src)
                )
        for para in headings:
            if self._taken(*para):
                continue
            found = colon_headline(text, para)
            if found is not None:
                src, cue, content = found
                self._add(
                    Draft(self._kind(content), (content,), "headline_colon", cue, COLON_CUE, src)
                )
                continue
            verb = verb_headline(text, para)
            if verb is not None:
                src, cue, entry, content = verb
                self._add(Draft(self._kind(content), (content,), "headline_verb", cue, entry, src))

    # ---- continued quotes -------------------------------------------------------------------
    def continuations(self) -> None:
        """A quote that opens a sentence right after a claim continues it: one more span.

        News goes on quoting a speaker in the next sentences and paragraphs without a new cue;
        annotators (and readers) take the whole run as one attribution of that speaker.
        """
        text = self.text
        # (end, draft index), sorted: the claim ending last before a quote, by bisection
        self._ends = sorted((d.end, i) for i, d in enumerate(self.drafts))
        for q in self.quotes:
            if self._taken(q.start, q.end) or q.word_count(text) < 2:
                continue
            sent = self._sentence_of(q.start)
            if text[sent[0] : q.start].strip(" \t\"“”'‘’«»(["):
                continue
            prev = self._claim_before(q.start)
            if prev is None:
                continue
            d = self.drafts[prev]
            tail = max(d.end, *(x[1] for x in (d.cue, d.source) if x is not None))
            if not self._adjacent(tail, q.start):
                continue
            old = (d.start, d.end)
            d.spans = d.spans + q.spans
            self._replace_bounds(old, (d.start, d.end))
            self._ends.remove((old[1], prev))
            bisect.insort(self._ends, (d.end, prev))
            if d.kind == ClaimKind.INDIRECT:
                d.kind = ClaimKind.MIXED

    def _claim_before(self, pos: int) -> int | None:
        """The draft ending last at or before `pos` (the first such draft on a tie)."""
        k = bisect.bisect_right(self._ends, (pos, len(self.drafts))) - 1
        if k < 0:
            return None
        end = self._ends[k][0]
        return self._ends[bisect.bisect_left(self._ends, (end, -1))][1]

    def _adjacent(self, tail: int, start: int) -> bool:
        """Only the rest of the claim's sentence and a paragraph break lie in between."""
        if self._paras_between(tail, start):
            return False
        sent_end = self._sentence_of(max(0, tail - 1))[1]
        gap_from = max(tail, sent_end)
        if gap_from > start:
            gap_from = tail
        gap = self.text[gap_from:start]
        if not gap.strip(" \t\n\"“”'‘’«».,;:)"):
            return True
        # the rest of the attribution's own sentence: "… he said on Tuesday. “…"
        rest = self.text[tail:start].rstrip()
        return (
            rest.endswith((".", "!", "?", ":"))
            and "\n" not in rest
            and not crosses_sentence(self.text, tail, tail + len(rest) - 1)
        )

    def _paras_between(self, a: int, b: int) -> list[Span]:
        """Paragraphs lying entirely between two offsets."""
        i = bisect.bisect_right(self._para_starts, a)
        out = []
        while i < len(self.paras) and self.paras[i][1] <= b:
            out.append(self.paras[i])
            i += 1
        return out

    # ---- indirect speech --------------------------------------------------------------------

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
        n = _words(self.text, content)
        word = self.text[content[0] : content[1]].rstrip(".!?\"”’'")
        short = n == 1 and (
            word.lower() in word_list("short_answers.txt")
            or (entry.frame == "np" and (word[:1].isupper() or word.lower() in _NP_PRONOUNS))
        )  # "X endorsed Clinton", "leaders decried it": a name or pronoun is a whole object
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
        for s, e in self.sentences:
            if not self._ends_terminal(s, self._para_of(s)[1], last_solid):
                continue  # headings carry no reported speech worth the risk
            if self._may_match("according", s, e):
                self._according_to(s, e)
            self._asked(s, e)
            self._verbs(s, e)
            if self._may_match("nouns", s, e):
                self._nouns(s, e)
        for s, e in self.sentences:
            if self._may_match("sourceless", s, e):
                self._sourceless(s, e)

    def _asked(self, s: int, e: int) -> None:
        """`Asked on Monday whether C, …`, `when asked by a reporter if C`: the question C, and
        the asker as source when named ("by a reporter")."""
        text = self.text
        if text.find("sked", s, e) == -1:
            return  # the pattern's lookbehinds are slow; most sentences hold no "asked"
        for m in _ASKED.finditer(text, s, e):
            cs, ce = m.span("cue")
            if self._in_quote(cs) or self._taken(cs, ce) or cs in self._cues_used:
                continue
            entry = lookup_verb(m.group("cue"))
            if entry is None:
                continue
            src = None
            if m.group("by"):
                src = np_after(text, m.start("by") + 3, m.start("q"))
            end = self._relative_end(m.start("q"), self._content_end(m.start("q"), e))
            self._push((m.start("q"), end), "asked_question", (cs, ce), entry, src)

    def _sourceless(self, s: int, e: int) -> None:
        """`X seems to …`, `X is expected to …`, `Asked whether …,`: claims without a source."""
        text = self.text
        if _sourceless_any().search(text, s, e) is None:
            return  # one pass over the sentence instead of one per pattern
        for rx, entry, how in _sourceless_cues():
            for m in rx.finditer(text, s, e):
                cs, ce = m.span()
                if self._in_quote(cs) or self._taken(cs, ce) or cs in self._cues_used:
                    continue
                if how == "until_comma":
                    stop = text.find(",", ce, e)
                    if stop == -1:  # "…, she said when asked how it went."
                        stop = self._content_end(ce, e)
                    self._push((ce, stop), "sourceless_question", (cs, ce), entry, None)
                    continue
                left, right = self._sourceless_parts(s, e, cs, ce)
                if _words(text, left) < 1 or _words(text, right) < 2:
                    continue
                if self._taken(left[0], clause_end(text, *right)):  # its clause only
                    continue
                self._add(
                    Draft(
                        self._kind((left[0], right[1])),
                        (left, right),
                        "sourceless",
                        (cs, ce),
                        entry,
                    )
                )

    def _sourceless_parts(self, s: int, e: int, cs: int, ce: int) -> tuple[Span, Span]:
        """Subject and rest of `X is expected to …`, without the writer's framing around it:
        a fronted phrase ("After a year of polls, X is expected …") and the main clause after
        a subordinate one ("While X is not expected to …, Y has …")."""
        text = self.text
        a = _WS.match(text, s).end()
        sub = _SUBORDINATOR.match(text, a, cs)
        if sub is not None:
            a = sub.end()
        comma = text.rfind(",", a, cs)
        if comma != -1 and self._in_quote(comma) is None and _words(text, (comma, cs)) >= 1:
            a = comma + 1
        end = self._content_end(ce, e)
        if sub is not None or comma != -1:
            stop = text.find(",", ce, end)
            if sub is not None and stop != -1 and self._in_quote(stop) is None:
                end = stop  # the subordinate clause ends at its comma
        return trim(text, a, cs), trim(text, ce, end)

    def _according_to(self, s: int, e: int) -> None:
        text = self.text
        entry = lookup_prep("according to")
        if entry is None:
            return
        for m in _ACCORDING.finditer(text, s, e):
            if self._in_quote(m.start()) or self._taken(m.start(), m.end()):
                continue
            src = np_after(text, _WS.match(text, m.end()).end(), e)
            if src is None:
                continue
            if not text[s : m.start()].strip(" \"“”'‘’«»(["):
                comma = text.find(",", src[1], min(e, src[1] + 120))
                if comma != -1 and not crosses_sentence(text, src[1], comma):
                    src = trim(text, src[0], comma)  # "According to a poll out Thursday, …"
                rest = _WS.match(text, src[1]).end()
                if rest < e and text[rest] == ",":
                    rest += 1
                content = (rest, self._content_end(rest, e))
                self._push(content, "indirect_according_to_front", (m.start(), m.end()), entry, src)
            else:
                # "Since May, according to the group, police have …": the claim goes on after it
                rest = _WS.match(text, src[1]).end()
                if _words(text, (s, m.start())) <= 6 and rest < e and text[rest] == ",":
                    left = trim(text, s, m.start())
                    right = trim(text, rest + 1, self._content_end(rest + 1, e))
                    if _words(text, right) >= 3 and not self._taken(left[0], right[1]):
                        self._add(
                            Draft(
                                self._kind((left[0], right[1])),
                                (left, right),
                                "indirect_according_to_parenthetical",
                                (m.start(), m.end()),
                                entry,
                                src,
                            )
                        )
                        continue
                self._push_around(
                    s,
                    e,
                    m.start(),
                    src[1],
                    "indirect_according_to",
                    (m.start(), m.end()),
                    entry,
                    src,
                )

    def _verbs(self, s: int, e: int) -> None:
        text, lex = self.text, load_cues()
        found = []
        for m in lex.verb_re.finditer(text, s, e):
            entry = lookup_verb(m.group())
            if entry is not None:
                found.append((m.start(), m.end(), entry, m.group().lower()))
        # `CONTENT, SRC said.` first: the sentence-final attribution owns the sentence, so an
        # earlier verb inside its content ("… did not recognize …, X said") cannot take it
        for cs, ce, entry, _ in found:
            if self._in_quote(cs) or self._taken(cs, ce) or cs in self._cues_used:
                continue
            self._post_content(s, e, cs, ce, entry)
        for cs, ce, entry, surface in found:
            if self._in_quote(cs) or self._taken(cs, ce) or cs in self._cues_used:
                continue
            self._forward(s, e, cs, ce, entry, surface)

    def _right_ok(self, pos: int, e: int, entry: Cue | None = None) -> bool:
        start = _skip_time(self.text, pos, e)
        rest = self.text[start:e]
        if _SENT_END.fullmatch(rest) or rest.lstrip().startswith((",", ";")):
            return True
        if entry is not None and entry.frame in _SPEECH_FRAMES and short_pp_end(rest):
            return True  # "C, his aides argued in interviews."
        # the rest of a skipped phrase: "… in a video message to the [convention]."
        return start > pos and bool(_SHORT_REST.fullmatch(rest))

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
        """`A, he said, B.` is one claim A + B; `A, he said, adding …` keeps only A."""
        text = self.text
        pos = _skip_time(text, attr_end, e)
        m = re.match(r"\s*,\s*", text[pos:e])
        rest = pos + m.end() if m else e
        tail = text[rest:e]
        fronted = _words(text, (s, left_end)) <= 4  # "In any case, he said, the …": not an aside
        if (
            m
            and len(_WORD_RE.findall(tail)) >= 3
            and (fronted or not _APPOSITIVE_START.match(tail))
        ):
            left, right = trim(text, s, left_end), trim(text, rest, self._content_end(rest, e))
            if _words(text, left) >= 1 and not self._taken(*right) and not self._taken(*left):
                self._add(
                    Draft(
                        self._kind((left[0], right[1])),
                        (left, right),
                        rule + "_parenthetical",
                        cue,
                        entry,
                        src,
                    )
                )
                return True
        return self._push((s, left_end), rule, cue, entry, src)

    def _post_content(self, s: int, e: int, cs: int, ce: int, entry: Cue) -> bool:
        """`CONTENT, SRC CUE.` and `CONTENT, CUE SRC.`"""
        text = self.text
        if text.find(",", s, cs) == -1:
            return False  # both forms need the comma closing CONTENT before the cue
        src = self._source_before(cs, s)
        if src is not None and not self._subject_ok(src, text[cs:ce]):
            return False
        if src is not None:
            j = src[0]
            while j > s and text[j - 1] in ' \t"”’':
                j -= 1
            after = ce
            if entry.frame == "obj":  # "C, the aide told The Huffington Post."
                obj = object_after(text, _WS.match(text, _skip_time(text, ce, e)).end(), e)
                after = obj[1] if obj is not None else ce
            if j > s and text[j - 1] == "," and self._right_ok(after, e, entry):
                return self._push_around(
                    s, e, j - 1, after, "indirect_postcue", (cs, ce), entry, src
                )
            return False
        j = cs
        while j > s and text[j - 1] in ' \t"”’':
            j -= 1
        if j > s and text[j - 1] == "," and entry.frame in ("clause", "that", "any"):
            inv = np_after(text, _WS.match(text, ce).end(), e)
            gerund = text[cs:ce].partition(" ")[0].endswith("ing")  # "…, arguing its merits"
            if (
                inv is not None
                and not gerund
                and self._right_ok(inv[1], e)
                and not self._has_verb(inv)
            ):
                return self._push_around(
                    s, e, j - 1, inv[1], "indirect_postcue_inverted", (cs, ce), entry, inv
                )
        return False

    def _forward(self, s: int, e: int, cs: int, ce: int, entry: Cue, surface: str) -> bool:
        """`SRC CUE (that) CONTENT`, `SRC told OBJ (that) CONTENT`, `SRC hopes to CONTENT`."""
        text = self.text
        src = self._source_before(cs, s)
        rule = "indirect_forward"
        gerund = surface.partition(" ")[0].endswith("ing")  # "saying", "referring to"
        if src is None:
            j = cs
            while j > s and text[j - 1].isspace():
                j -= 1
            aux_end = _strip_aux(text, cs, s)
            conj = _CONJ.search(text, max(s, aux_end - 16), aux_end)
            dash = j > s + 1 and (text[j - 1] in "—–" or text[j - 2 : j] == "--")
            if j > s and (text[j - 1] == "," or dash) and gerund:
                prev = self._source_in(s, cs)
                if prev is not None:
                    src, rule = prev, "indirect_participle"
                elif entry.frame != "to":  # "…, saying …", "…, calling him …"
                    # (not "…, refusing to …": an intention tied to a fronted subject is too
                    # often the writer's own account of what a group did)
                    src, rule = self._subject(s, j - 1), "indirect_participle_subject"
            elif conj is not None and not gerund:
                # "X did Y and said Z": the cue shares the sentence's subject
                src, rule = self._subject(s, conj.start()), "indirect_conjoined"
            elif gerund and entry.frame in _SPEECH_FRAMES:
                # "X responded by saying …", "X … and saying …": the sentence's subject speaks
                g = _GERUND_LEAD.search(text, max(s, aux_end - 12), aux_end)
                if g is not None and g.start() > s:
                    src, rule = self._subject(s, g.start()), "indirect_gerund_subject"
            elif j > s and text[j - 1] == ",":
                src = self._apposition_source(s, j)
                rule = "indirect_apposition"
        if src is None or self._taken(*src) or not self._subject_ok(src, surface):
            return False
        if surface.endswith("ing") and rule == "indirect_forward":  # ("a letter calling for C"
            # with its preposition passes: content right 0.8 on train, though its source less)
            if not _WITH_BEFORE.search(text, max(s, src[0] - 8), src[0]):
                return False  # "…the ministry, claiming …" needs a finite clause before it
            rule = "indirect_with_participle"  # "…, with the mayor saying C": the mayor says C
        pos = _skip_time(text, ce, e)
        if entry.frame == "obj":
            obj = object_after(text, _WS.match(text, pos).end(), e)
            if obj is None:
                return False
            pos = _skip_time(text, obj[1], e)
        elif entry.frame == "obj_of":
            m = _OF.search(text, pos, min(e, pos + 80))
            if m is None:
                return False
            pos = m.end() - 1
        if entry.frame == "to" and not _TO.match(text, pos):
            return False
        if entry.frame == "that" and not _THAT.match(text, pos):
            return False
        nxt = _WORD_RE.search(text, pos, e)
        if nxt is None or text[pos : nxt.start()].strip(" ,:\"“'‘"):
            return False
        reject = _REJECT_NP if entry.frame == "np" else _REJECT_NEXT
        word = nxt.group().lower()
        if entry.frame == "clause" and word in word_list("short_answers.txt"):
            after = text[nxt.end() : nxt.end() + 1]
            if after == "" or after in ",.;:!?":  # "46 percent said yes, …"
                return self._push(nxt.span(), rule, (cs, ce), entry, src)
        answer_to = word in word_list("short_answers.txt") and _TO.match(text, nxt.end())
        determiner_no = word == "no" and _NO_DETERMINER.match(text, nxt.end()) is not None
        if (
            word in reject
            and not (word == "if" and entry.frame == "clause")
            and not answer_to
            and not determiner_no  # "records show no gifts …", "said no decision was made"
        ):
            return False  # "X said if …" opens a conditional clause, "X asked if …" a question
        if entry.frame == "clause" and nxt.group().lower() == "to":
            return False
        if entry.frame == "obj" and word in _AFTER_OBJECT:
            place = _PLACE_THEN_THAT.match(text, pos, e)
            if place is None:
                return False  # "told reporters on a visit to …": where, not what
            pos = place.end()  # "told reporters in Dallas that C": where, then what
        start = _WS.match(text, pos).end()
        if start < e and text[start] == ",":
            start += 1
        end = self._content_end(start, e)
        if (
            text[src[0] : src[1]].lower() in ("who", "which")
            and "," in text[max(s, src[0] - 40) : src[0]]
        ):
            end = self._relative_end(start, end)  # "X, who said last week that C, did Y"
        sub = _FRONT_SUBORDINATE.match(text, _WS.match(text, s).end(), cs)
        if sub is None:  # "…, when he said C, the crowd …": the last such clause before the cue
            sub = max(
                _MID_SUBORDINATE.finditer(text, max(s, cs - 80), cs), default=None, key=_start
            )
        if sub is not None and "," not in text[sub.end() : cs]:
            end = self._relative_end(start, end)  # "Although he admitted C, he …": C ends there
        return self._push((start, end), rule, (cs, ce), entry, src)

    def _nouns(self, s: int, e: int) -> None:
        """`X's allegations of …`, `their claims that …`."""
        text, lex = self.text, load_cues()
        for m in lex.noun_re.finditer(text, s, e):
            if self._in_quote(m.start()) or self._taken(m.start(), m.end()):
                continue
            entry = lookup_noun(m.group())
            if entry is None:
                continue
            comp = _THAT.match(text, m.end()) if entry.frame == "that" else _OF.match(text, m.end())
            if comp is None:
                continue
            pm = _POSS_NOUN.search(text, max(s, m.start() - 60), m.start())
            if pm is None:
                continue
            if pm.group().lower().startswith(("'s", "’s")):
                src = np_before(text, pm.start(), s)
                src = (src[0], pm.start() + 2) if src else None
            else:
                w = _WORD_RE.search(text, pm.start())
                src = (w.start(), w.end()) if w else None
            if src is None:
                continue
            start = comp.end() if entry.frame == "of" else comp.start() + 1
            stop = text.find(",", start, e)
            end = stop if stop != -1 and entry.frame == "of" else self._content_end(start, e)
            self._push((start, end), "nominal", (m.start(), m.end()), entry, src)
