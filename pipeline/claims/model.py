"""Small typed records the extractors return (spans are Python str offsets, end exclusive)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Span = tuple[int, int]


class ClaimKind(StrEnum):
    DIRECT = "direct"  # fully inside quote marks, with a speaker
    INDIRECT = "indirect"  # reported speech / thought without quote marks
    MIXED = "mixed"  # paraphrase that contains quoted words
    AUTHOR = "author"  # the article's own unattributed statement


class Stance(StrEnum):
    """How the cue positions the reporter towards the claim (from the cue lexicon)."""

    NEUTRAL = "neutral"  # say, tell, add, note, according to
    ASSERTIVE = "assertive"  # insist, stress, confirm, announce
    DISTANCING = "distancing"  # claim, allege, purport: the outlet keeps its distance (disputed)
    HEDGED = "hedged"  # believe, suggest, think, hope: a tentative claim


class SpeakerType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    GOVERNMENT = "government"  # states, ministries, armies, capitals used as metonyms
    OTHER = "other"  # "sources", "officials", "experts", ...


@dataclass(frozen=True, slots=True, init=False)
class Claim:
    kind: ClaimKind
    content_spans: tuple[Span, ...]  # one span, several for a split quote; ordered
    rule: str  # name of the rule that fired, for error analysis
    cue: Span | None = None
    cue_lemma: str | None = None  # "say" for "said", "according to", "allegation"
    stance: Stance | None = None
    source: Span | None = None  # the speaker as mentioned here ("he", "the ministry")
    speaker: str | None = None  # resolved canonical name within the document
    speaker_type: SpeakerType | None = None

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(
        self,
        kind: ClaimKind,
        content_spans: tuple[Span, ...],
        rule: str,
        cue: Span | None = None,
        cue_lemma: str | None = None,
        stance: Stance | None = None,
        source: Span | None = None,
        speaker: str | None = None,
        speaker_type: SpeakerType | None = None,
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "content_spans", content_spans)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "cue", cue)
        object.__setattr__(self, "cue_lemma", cue_lemma)
        object.__setattr__(self, "stance", stance)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "speaker", speaker)
        object.__setattr__(self, "speaker_type", speaker_type)

    @property
    def start(self) -> int:
        return self.content_spans[0][0]

    @property
    def end(self) -> int:
        return self.content_spans[-1][1]


@dataclass(frozen=True, slots=True, init=False)
class Quantity:
    start: int
    end: int
    value: str  # as the gold writes it: "2000", "40-50", "-5", "16400000"
    low: float
    high: float
    unit: str | None  # unit as written in the text ("square kilometers", "$")
    normalized_unit: str | None  # lower-case singular: "square kilometre", "dollar", "fighter"
    change: str  # "=", "~", ">", "<", "up", "down"

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(
        self,
        start: int,
        end: int,
        value: str,
        low: float,
        high: float,
        unit: str | None,
        normalized_unit: str | None,
        change: str,
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "normalized_unit", normalized_unit)
        object.__setattr__(self, "change", change)
