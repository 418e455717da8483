"""`Draft`: a claim before speaker resolution, as the attribution rules build it."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.claims.cues import Cue
from pipeline.claims.model import ClaimKind, Span


@dataclass(slots=True)
class Draft:
    """A claim before speaker resolution. `inherit` points to the draft whose speaker it takes."""

    kind: ClaimKind
    spans: tuple[Span, ...]
    rule: str
    cue: Span | None = None
    cue_entry: Cue | None = None
    source: Span | None = None
    inherit: int | None = None

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]
