"""The cross-document speakers table: one row per person or organization, however it was named.

Within a document the extractor already resolved pronouns, titles and surnames to a canonical
name; `speaker_merge` decides which of those names are the same speaker across documents. Claims
then point at the merged speaker (`claims.speaker_id`) but keep the name their own document gave
(`claims.speaker_name`, `claims.speaker_type`): that is what the text supports, while the
corpus-wide canonical name and type live here, in `speakers`.

The merge reads distinct mentions, not claims: one row per (doc_id, speaker columns,
source_text) with its claim count `n` (`mentions`). A warehouse aggregates those per partition
while scanning, so its memory follows the number of speakers per document, not of claims.
"""

from __future__ import annotations

import polars as pl

from pipeline.schemas import polars_schema
from pipeline.speaker_merge import SPEAKER_COLUMNS, speaker_mapping_with_forms
from pipeline.speaker_merge_names import PERSON

#: The columns that identify one in-document speaker of one document: what a claim is mapped by.
MENTION_KEY = ["doc_id", *SPEAKER_COLUMNS]
#: One mention row: the speaker of a document under one surface form, and how many claims.
MENTION_COLUMNS = [*MENTION_KEY, "source_text"]


def mentions(claims: pl.LazyFrame) -> pl.LazyFrame:
    """The attributed claims reduced to distinct mentions with their claim count `n`."""
    return (
        claims.filter(pl.col("speaker_id").is_not_null())
        .group_by(MENTION_COLUMNS)
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )


def merge_mentions(mention_rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(MENTION_KEY + merged_id: one row per in-document speaker, the speakers table)."""
    mapping, speakers, _ = merge_mentions_with_forms(mention_rows)
    return mapping, speakers


def merge_mentions_with_forms(
    mention_rows: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """`merge_mentions`, and the name forms of every distinct name (`speaker_cache`)."""
    mapping, forms = speaker_mapping_with_forms(mention_rows)
    merged = mention_rows.join(mapping, on=MENTION_KEY, how="left")
    attributed = merged.filter(pl.col("merged_id").is_not_null())
    return mapping.select(*MENTION_KEY, "merged_id"), _speakers(attributed), forms


def remap(claims: pl.DataFrame, mapping: pl.DataFrame) -> pl.DataFrame:
    """Claims (same rows, same order) pointing at the merged speaker of their mention."""
    merged = claims.select(MENTION_KEY).join(
        mapping.select(*MENTION_KEY, "merged_id"), on=MENTION_KEY, how="left", maintain_order="left"
    )
    return claims.with_columns(
        pl.coalesce(pl.lit(merged.get_column("merged_id")), "speaker_id").alias("speaker_id")
    )


def merge_speakers(claims: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims with merged speaker ids (same rows, same order), and the speakers table."""
    mapping, speakers = merge_mentions(mentions(claims.lazy()).collect())
    return remap(claims, mapping), speakers


def _speakers(attributed: pl.DataFrame) -> pl.DataFrame:
    """The speakers table from mention rows weighted by their claim count `n`."""
    # the canonical name: the spelling most claims use among names native to the cluster,
    # then the longest, then alphabetical, so the same claims always give the same name
    canonical = (
        attributed.group_by("merged_id", "display", "native")
        .agg(pl.col("n").sum())
        .sort(
            ["merged_id", "native", "n", pl.col("display").str.len_chars(), "display"],
            descending=[False, True, True, True, False],
        )
        .group_by("merged_id", maintain_order=True)
        .agg(pl.col("display").first().alias("canonical_name"))
    )
    # the type most claims give (the smallest of equally common ones); a person stays a person
    common_type = (
        attributed.group_by("merged_id", "speaker_type")
        .agg(pl.col("n").sum())
        .sort(["merged_id", "n", "speaker_type"], descending=[False, True, False])
        .group_by("merged_id", maintain_order=True)
        .agg(pl.col("speaker_type").first().alias("_common_type"))
    )
    speakers = (
        attributed.group_by("merged_id")
        .agg(
            pl.col("cls").first().alias("_cls"),
            pl.col("source_text").drop_nulls().unique().sort().alias("aliases"),
            pl.col("speaker_name").unique().sort().alias("name_variants"),
            pl.col("doc_id").n_unique().cast(pl.Int64).alias("n_documents"),
            pl.col("n").sum().cast(pl.Int64).alias("n_claims"),
        )
        .join(common_type, on="merged_id")
        .with_columns(
            pl.when(pl.col("_cls") == PERSON)
            .then(pl.lit(PERSON))
            .otherwise(pl.col("_common_type"))
            .alias("speaker_type")
        )
        .join(canonical, on="merged_id")
        .rename({"merged_id": "speaker_id"})
        .sort("speaker_id")
    )
    schema = polars_schema("speakers")
    return speakers.select(list(schema.names())).cast(schema)
