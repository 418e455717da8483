"""The offsets round trip reports a span whose start lies past its end as a failure.

Such a row cannot come from the extractor, but a corrupted or hand-edited table can hold one,
and the check exists to say which rows are wrong, not to stop on a polars error.
"""

from __future__ import annotations

import polars as pl

from pipeline.config import Settings
from pipeline.integrity import span_round_trip_failures
from tests.test_warehouse import build


def _reversed(frame: pl.DataFrame, start: str, end: str, row: int) -> pl.DataFrame:
    """`frame` with row `row`'s start and end swapped (start > end)."""
    first = pl.int_range(pl.len()) == row
    return frame.with_columns(
        pl.when(first).then(pl.col(end)).otherwise(pl.col(start)).alias(start),
        pl.when(first).then(pl.col(start)).otherwise(pl.col(end)).alias(end),
    )


def test_reversed_spans_are_reported_not_raised(sample_workspace: Settings) -> None:
    frames = build(sample_workspace)
    assert span_round_trip_failures(frames).is_empty()
    claims = frames["claims"].filter(pl.col("cue_end") - pl.col("cue_start") > 1)
    claim = claims.row(0, named=True)
    sentence = frames["sentences"].row(2, named=True)
    quantity = frames["quantities"].row(0, named=True)
    corrupted = {
        **frames,
        "claims": _reversed(
            frames["claims"],
            "cue_start",
            "cue_end",
            frames["claims"]["claim_id"].to_list().index(claim["claim_id"]),
        ),
        "sentences": _reversed(frames["sentences"], "start", "end", 2),
        "quantities": _reversed(frames["quantities"], "start", "end", 0),
    }
    bad = span_round_trip_failures(corrupted)
    found = {(r["span"], r["row_id"]): r for r in bad.iter_rows(named=True)}
    assert set(found) == {
        ("claim cue", claim["claim_id"]),
        ("sentence", sentence["sentence_id"]),
        ("quantity", quantity["quantity_id"]),
    }
    cue = found[("claim cue", claim["claim_id"])]
    assert (cue["start"], cue["end"]) == (claim["cue_end"], claim["cue_start"])
    assert cue["stored"] == claim["cue_text"] and cue["document_slice"] == ""


def test_a_reversed_content_span_is_reported_by_both_content_checks(
    sample_workspace: Settings,
) -> None:
    frames = build(sample_workspace)
    claims = frames["claims"]
    row = next(
        i
        for i, spans in enumerate(claims["content_spans"].to_list())
        if len(spans) == 1 and spans[0]["end"] - spans[0]["start"] > 1
    )
    claim_id = claims["claim_id"][row]
    spans = claims["content_spans"].to_list()
    spans[row] = [{"start": spans[row][0]["end"], "end": spans[row][0]["start"]}]
    corrupted = {
        **frames,
        "claims": claims.with_columns(
            pl.Series("content_spans", spans, dtype=claims.schema["content_spans"])
        ),
    }
    bad = span_round_trip_failures(corrupted)
    found = {(r["span"], r["row_id"]): r for r in bad.iter_rows(named=True)}
    assert set(found) == {("claim content span", claim_id), ("claim content", claim_id)}
    assert found[("claim content", claim_id)]["document_slice"] == ""
