"""Checks across tables: keys that must exist, spans that must lie in and round-trip to the text.

Each check returns the failing rows (empty frame = pass), so a Dagster asset check can show the
exact failure cases instead of a bare "failed".
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True, slots=True)
class Reference:
    """`child.column` must be a key in `parent.key` (nulls allowed)."""

    child: str
    column: str
    parent: str
    key: str


REFERENCES: tuple[Reference, ...] = (
    Reference("document_sources", "doc_id", "documents", "doc_id"),
    Reference("segments", "doc_id", "documents", "doc_id"),
    Reference("sentences", "doc_id", "documents", "doc_id"),
    Reference("sentences", "segment_id", "segments", "segment_id"),
    Reference("claims", "doc_id", "documents", "doc_id"),
    Reference("claims", "speaker_id", "speakers", "speaker_id"),
    Reference("quantities", "doc_id", "documents", "doc_id"),
    Reference("quantities", "sentence_id", "sentences", "sentence_id"),
    Reference("quantities", "claim_id", "claims", "claim_id"),
    Reference("document_sources", "input_path", "input_files", "input_path"),
    Reference("rejected_inputs", "input_path", "input_files", "input_path"),
)


def missing_references(
    tables: dict[str, pl.DataFrame], ref: Reference, parent_keys: pl.Series | None = None
) -> pl.DataFrame:
    """Rows of `ref.child` whose `ref.column` points at no row of `ref.parent`.

    `parent_keys`: `ref.parent[ref.key]`, imploded (`_parent_keys`), when the caller has it.
    Nearly every check passes, so a membership test comes first: an anti join per reference
    re-hashed the parent's keys each time (~2.7 s over the 15 partitions of 100k documents,
    where five references share the 98k owned documents).
    """
    child = tables[ref.child]
    if parent_keys is None:
        parent_keys = _parent_keys(tables, ref)
    column = pl.col(ref.column)
    if child.select((column.is_null() | column.is_in(parent_keys)).all()).item():
        return child.clear()
    keys = tables[ref.parent].select(pl.col(ref.key).alias(ref.column)).unique()
    return child.filter(column.is_not_null()).join(keys, on=ref.column, how="anti")


def _parent_keys(tables: dict[str, pl.DataFrame], ref: Reference) -> pl.Series:
    return tables[ref.parent].get_column(ref.key).implode()


def _span_failures(
    rows: pl.DataFrame,
    documents: pl.DataFrame,
    start: str,
    end: str,
    expected: str | None,
    label: str,
    id_column: str,
) -> pl.DataFrame:
    """Rows whose [start, end) leaves the document or whose text differs from the slice.

    Only the columns the check reads go through the join: joining whole claims (their list
    columns, a dozen strings) to the documents' texts was most of the round trip's CPU.
    """
    needed = [id_column, "doc_id", start, end] + ([expected] if expected is not None else [])
    joined = (
        rows.select(needed)
        .filter(pl.col(start).is_not_null())
        .join(
            documents.select(
                "doc_id", pl.col("text").alias("_doc_text"), pl.col("n_chars").alias("_n")
            ),
            on="doc_id",
            how="inner",
        )
    )
    # polars refuses a negative slice length; such a row (start > end) is flagged by `bad`
    # below and shown with an empty slice, like any other failure
    length = (pl.col(end) - pl.col(start)).clip(lower_bound=0)
    sliced = pl.col("_doc_text").str.slice(pl.col(start), length)
    bad = (pl.col(start) < 0) | (pl.col(end) > pl.col("_n")) | (pl.col(start) >= pl.col(end))
    if expected is not None:
        bad = bad | (sliced != pl.col(expected))
    return joined.filter(bad).select(
        pl.lit(label).alias("span"),
        pl.col(id_column).alias("row_id"),
        pl.col("doc_id"),
        pl.col(start).alias("start"),
        pl.col(end).alias("end"),
        (pl.col(expected) if expected else pl.lit(None, pl.Utf8)).alias("stored"),
        sliced.alias("document_slice"),
    )


def span_round_trip_failures(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every stored span must lie inside its document and equal the text at its offsets."""
    docs = tables["documents"]
    claims = tables["claims"]
    content = (
        claims.select("claim_id", "doc_id", "content", "content_spans")
        .explode("content_spans")
        .unnest("content_spans")
    )
    parts = [
        _span_failures(tables["segments"], docs, "start", "end", "text", "segment", "segment_id"),
        _span_failures(
            tables["sentences"], docs, "start", "end", "text", "sentence", "sentence_id"
        ),
        _span_failures(
            tables["quantities"], docs, "start", "end", "surface", "quantity", "quantity_id"
        ),
        _span_failures(claims, docs, "cue_start", "cue_end", "cue_text", "claim cue", "claim_id"),
        _span_failures(
            claims, docs, "source_start", "source_end", "source_text", "claim source", "claim_id"
        ),
        _span_failures(content, docs, "start", "end", None, "claim content span", "claim_id"),
        _content_join_failures(claims, docs),
    ]
    return pl.concat(parts, how="vertical")


def _content_join_failures(claims: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """`content` must equal the content span texts joined by one space.

    A claim with one span (nearly all) is compared with its slice directly: exploding and
    regrouping every claim was the largest of the round-trip checks. Failing rows come in
    claim order.
    """
    rows = claims.select(
        "claim_id", "doc_id", "content", "content_spans", "start", "end"
    ).with_row_index("_row")
    one = pl.col("content_spans").list.len() == 1
    texts = documents.select("doc_id", pl.col("text").alias("_doc_text"))
    span = pl.col("content_spans").list.first().struct
    single = (
        rows.filter(one)
        .with_columns(span.field("start").alias("_s"), span.field("end").alias("_e"))
        .join(texts, on="doc_id", how="inner")
        .select(
            "_row",
            "claim_id",
            "doc_id",
            "start",
            "end",
            pl.col("content").alias("stored"),
            # a missing piece joins to "" (str.join skips nulls), as in the general case
            pl.col("_doc_text")
            .str.slice(pl.col("_s"), (pl.col("_e") - pl.col("_s")).clip(lower_bound=0))
            .fill_null("")
            .alias("document_slice"),
        )
    )
    several = (
        rows.filter(~one.fill_null(False))
        .explode("content_spans")
        .unnest("content_spans", separator="_")
        .join(texts, on="doc_id", how="inner")
        .with_columns(
            pl.col("_doc_text")
            .str.slice(
                pl.col("content_spans_start"),
                # a reversed piece (start > end) reads as "" and fails the comparison
                (pl.col("content_spans_end") - pl.col("content_spans_start")).clip(lower_bound=0),
            )
            .alias("_piece")
        )
        .group_by("_row", maintain_order=True)
        .agg(
            pl.first("claim_id"),
            pl.first("doc_id"),
            pl.first("start"),
            pl.first("end"),
            pl.first("content").alias("stored"),
            pl.col("_piece").str.join(" ").alias("document_slice"),
        )
    )
    joined = pl.concat([single, several], how="vertical")
    return (
        joined.filter(pl.col("stored") != pl.col("document_slice"))
        .sort("_row")
        .select(
            pl.lit("claim content").alias("span"),
            pl.col("claim_id").alias("row_id"),
            "doc_id",
            "start",
            "end",
            "stored",
            "document_slice",
        )
    )


def reference_failures(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Failing rows per reference, only for references whose tables are both present.

    References to the same parent key are first tested together, in one membership test of
    all their children's values: each test hashes the parent's keys again, and five
    references point at `documents.doc_id` (every owned document of the corpus, in
    consolidation: ~0.2 s of the 15 partitions at 100k documents). Only if that fails is
    each reference checked (and its failing rows found) on its own.
    """
    out: dict[str, pl.DataFrame] = {}
    present = [r for r in REFERENCES if r.child in tables and r.parent in tables]
    groups: dict[tuple[str, str], list[Reference]] = {}
    for ref in present:
        groups.setdefault((ref.parent, ref.key), []).append(ref)
    passed: set[Reference] = set()
    parents: dict[tuple[str, str], pl.Series] = {}
    for parent, refs in groups.items():
        parents[parent] = _parent_keys(tables, refs[0])
        if len(refs) > 1 and _all_present(tables, refs, parents[parent]):
            passed.update(refs)
    for ref in present:
        label = f"{ref.child}.{ref.column} → {ref.parent}.{ref.key}"
        if ref in passed:
            out[label] = tables[ref.child].clear()
        else:
            out[label] = missing_references(tables, ref, parents[ref.parent, ref.key])
    return out


def _all_present(
    tables: dict[str, pl.DataFrame], refs: list[Reference], parent_keys: pl.Series
) -> bool:
    """Whether every non-null value of every `refs` child column is among `parent_keys`
    (False if their dtypes differ: then each is checked, and reported, on its own)."""
    if len({tables[r.child].schema[r.column] for r in refs}) > 1:
        return False
    values = pl.concat(
        [tables[r.child].get_column(r.column).rename("_k") for r in refs], how="vertical"
    )
    column = pl.col("_k")
    return bool(
        values.to_frame().select((column.is_null() | column.is_in(parent_keys)).all()).item()
    )
