"""The cross-document speakers table: one row per resolved speaker, with how often they speak.

Within a document the extractor already resolved pronouns, titles and surnames to a canonical
name; here the same canonical name and type seen in many documents becomes one speaker.
"""

from __future__ import annotations

import polars as pl

from pipeline.schemas import polars_schema


def build_speakers(claims: pl.DataFrame) -> pl.DataFrame:
    attributed = claims.filter(pl.col("speaker_id").is_not_null())
    speakers = (
        attributed.group_by("speaker_id")
        .agg(
            # the most frequent spelling wins; ties broken alphabetically for determinism
            pl.col("speaker_name").mode().sort().first().alias("canonical_name"),
            pl.col("speaker_type").mode().sort().first().alias("speaker_type"),
            pl.col("source_text").drop_nulls().unique().sort().alias("aliases"),
            pl.col("doc_id").n_unique().cast(pl.Int64).alias("n_documents"),
            pl.len().cast(pl.Int64).alias("n_claims"),
        )
        .sort("speaker_id")
    )
    return speakers.select(list(polars_schema("speakers").names())).cast(polars_schema("speakers"))
