"""Numbers about a release that the card and the report both show, computed once from the frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

UNKNOWN = "(unknown)"


@dataclass(frozen=True, slots=True)
class ReleaseStats:
    rows: dict[str, int]
    outlets: int
    first_date: date | None
    last_date: date | None
    undated_documents: int
    claims_by_kind: dict[str, int]
    claims_by_stance: dict[str, int]  # attributed claims only (author statements have none)
    claims_by_speaker_type: dict[str, int]
    attributed_without_speaker: int
    quantities_in_claims: int
    extractor_versions: list[str]


def counts(frame: pl.DataFrame, column: str, missing: str = "none") -> dict[str, int]:
    """value -> rows, most frequent first (ties by value) so every rendering is stable."""
    if frame.is_empty():
        return {}
    grouped = (
        frame.select(pl.col(column).cast(pl.Utf8).fill_null(missing))
        .group_by(column)
        .len()
        .sort(["len", column], descending=[True, False])
    )
    return {str(k): int(v) for k, v in grouped.iter_rows()}


def compute(frames: dict[str, pl.DataFrame]) -> ReleaseStats:
    docs, claims = frames["documents"], frames["claims"]
    attributed = claims.filter(pl.col("kind") != "author")
    dates = docs["published_at"].drop_nulls()
    versions = set(claims["extractor_version"]) | set(frames["quantities"]["extractor_version"])
    return ReleaseStats(
        rows={name: frame.height for name, frame in frames.items()},
        outlets=docs["outlet"].drop_nulls().n_unique(),
        first_date=dates.min() if len(dates) else None,  # type: ignore[arg-type]
        last_date=dates.max() if len(dates) else None,  # type: ignore[arg-type]
        undated_documents=docs.height - len(dates),
        claims_by_kind=counts(claims, "kind"),
        claims_by_stance=counts(attributed, "stance"),
        claims_by_speaker_type=counts(attributed, "speaker_type", missing="unresolved"),
        attributed_without_speaker=attributed["speaker_id"].null_count(),
        quantities_in_claims=frames["quantities"]["claim_id"].drop_nulls().len(),
        extractor_versions=sorted(versions),
    )
