"""`Draft`: a claim before speaker resolution, as the attribution rules build it."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.claims.cues import Cue
from pipeline.claims.model import ClaimKind, Span


@dataclass(slots=True, init=False)
class Draft:
    """A claim before speaker resolution. `inherit` points to the draft whose speaker it takes."""

    kind: ClaimKind
    spans: tuple[Span, ...]
    rule: str
    cue: Span | None = None
    cue_entry: Cue | None = None
    source: Span | None = None
    inherit: int | None = None

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    def __init__(
        self,
        kind: ClaimKind,
        spans: tuple[Span, ...],
        rule: str,
        cue: Span | None = None,
        cue_entry: Cue | None = None,
        source: Span | None = None,
        inherit: int | None = None,
    ) -> None:
        self.kind = kind
        self.spans = spans
        self.rule = rule
        self.cue = cue
        self.cue_entry = cue_entry
        self.source = source
        self.inherit = inherit

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]
