"""The cross-document speakers table: one row per person or organization, however it was named.

Within a document the extractor already resolved pronouns, titles and surnames to a canonical
name; `speaker_merge` decides which of those names are the same speaker across documents. Claims
then point at the merged speaker (`claims.speaker_id`) but keep the name their own document gave
(`claims.speaker_name`, `claims.speaker_type`): that is what the text supports, while the
corpus-wide canonical name and type live here, in `speakers`.
"""

from __future__ import annotations

import polars as pl

from pipeline.schemas import polars_schema
from pipeline.speaker_merge import SPEAKER_COLUMNS, speaker_mapping
from pipeline.speaker_merge_names import PERSON

_JOIN = ["doc_id", *SPEAKER_COLUMNS]


def merge_speakers(claims: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims with merged speaker ids (same rows, same order), and the speakers table."""
    mapping = speaker_mapping(claims)
    # join only the columns the merge needs: claims carry long texts not worth copying
    merged = claims.select(*_JOIN, "source_text").join(
        mapping, on=_JOIN, how="left", maintain_order="left"
    )
    remapped = claims.with_columns(
        pl.coalesce(pl.lit(merged.get_column("merged_id")), "speaker_id").alias("speaker_id")
    )
    return remapped, _speakers(merged.filter(pl.col("merged_id").is_not_null()))


def _speakers(attributed: pl.DataFrame) -> pl.DataFrame:
    # the canonical name: the spelling most claims use among names native to the cluster,
    # then the longest, then alphabetical, so the same claims always give the same name
    canonical = (
        attributed.group_by("merged_id", "display", "native")
        .agg(pl.len().alias("n"))
        .sort(
            ["merged_id", "native", "n", pl.col("display").str.len_chars(), "display"],
            descending=[False, True, True, True, False],
        )
        .group_by("merged_id", maintain_order=True)
        .agg(pl.col("display").first().alias("canonical_name"))
    )
    speaker_type = (
        pl.when(pl.col("cls").first() == PERSON)
        .then(pl.lit(PERSON))
        .otherwise(pl.col("speaker_type").mode().sort().first())
    )
    speakers = (
        attributed.group_by("merged_id")
        .agg(
            speaker_type.alias("speaker_type"),
            pl.col("source_text").drop_nulls().unique().sort().alias("aliases"),
            pl.col("speaker_name").unique().sort().alias("name_variants"),
            pl.col("doc_id").n_unique().cast(pl.Int64).alias("n_documents"),
            pl.len().cast(pl.Int64).alias("n_claims"),
        )
        .join(canonical, on="merged_id")
        .rename({"merged_id": "speaker_id"})
        .sort("speaker_id")
    )
    schema = polars_schema("speakers")
    return speakers.select(list(schema.names())).cast(schema)
