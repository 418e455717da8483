"""Segment and extract a batch of documents into table frames: the work a pool worker does.

Why a module of its own: a spawned worker imports only what unpickling its task needs, so
this module stays light (polars, the segmenter, the extractor; no Pandera, pandas, Dagster
or input readers). Table schemas come in with the task instead of from `pipeline.schemas`.

Rows are built column by column (one Python list per column), never as one dict per row:
polars builds a frame from lists several times faster than from dicts, and a batch holds
thousands of sentences and claims.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
from collections.abc import Mapping

import polars as pl
import pyarrow as pa

from pipeline.claims.model import Claim, ClaimKind
from pipeline.extraction import EXTRACTOR_VERSION, extract_document
from pipeline.segment import Segmentation, segment

#: The tables one batch produces, in the order `segment_extract` returns them.
BATCH_TABLES = ("segments", "sentences", "claims", "quantities")


def speaker_id(name: str, speaker_type: str) -> str:
    """Stable id of a speaker: the same type and case-folded name always get the same id."""
    key = f"{speaker_type}:{' '.join(name.casefold().split())}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def claim_id(doc_id: str, claim: Claim) -> str:
    spans = ";".join(f"{s}-{e}" for s, e in claim.content_spans)
    key = f"{doc_id}|{claim.kind}|{spans}|{EXTRACTOR_VERSION}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class Columns:
    """Rows of one table as tuples of its scalar columns; `frame()` turns them into a frame.

    One tuple per row, transposed once per batch (`zip(*rows)`), instead of one list append
    per column per row: a claim has 19 scalar columns, and those appends were the largest part
    of building rows in a worker. `fields` names the tuple's columns, in their order.

    A list column (claims' content spans and sentence ids) is kept flat instead, with an
    offset per row (`flat`, `offsets`): polars builds a list of structs from Python lists of
    dicts at ~12 µs a row, which made frame building a tenth of a worker's time; Arrow builds
    the same column from flat arrays and offsets in a few milliseconds.
    """

    def __init__(self, schema: pl.Schema, fields: tuple[str, ...]) -> None:
        self.schema = schema
        self.lists = [n for n, t in schema.items() if isinstance(t, pl.List)]
        if sorted(fields) != sorted(n for n in schema if n not in self.lists):
            raise ValueError(f"row fields {fields} are not the scalar columns of {schema}")
        self.fields = fields
        self.rows: list[tuple] = []
        #: list column -> flat values ("values", or one list per struct field)
        self.flat: dict[str, dict[str, list]] = {n: _flat_lists(schema[n]) for n in self.lists}
        #: list column -> where each row's values start in `flat`, and one past the last
        self.offsets: dict[str, list[int]] = {n: [0] for n in self.lists}

    def _list_series(self, name: str) -> pl.Series:
        dtype = self.schema[name]
        assert isinstance(dtype, pl.List)
        inner = dtype.inner
        flat = self.flat[name]
        if isinstance(inner, pl.Struct):
            fields = [pa.array(flat[f.name], type=_ARROW[f.dtype]) for f in inner.fields]
            values: pa.Array = pa.StructArray.from_arrays(
                fields, names=[f.name for f in inner.fields]
            )
        else:
            values = pa.array(flat["values"], type=_ARROW[inner])
        offsets = pa.array(self.offsets[name], type=pa.int64())
        array = pa.LargeListArray.from_arrays(offsets, values)
        series = pl.Series(name, array)
        return series.cast(dtype)

    def frame(self) -> pl.DataFrame:
        columns = zip(*self.rows, strict=True) if self.rows else ((),) * len(self.fields)
        frame = pl.DataFrame(
            {n: list(c) for n, c in zip(self.fields, columns, strict=True)},
            schema={n: self.schema[n] for n in self.fields},
        )
        if self.lists:
            frame = frame.with_columns(self._list_series(n) for n in self.lists)
        return frame.select(list(self.schema))


def _flat_lists(dtype: pl.DataType) -> dict[str, list]:
    assert isinstance(dtype, pl.List)
    inner = dtype.inner
    if isinstance(inner, pl.Struct):
        return {f.name: [] for f in inner.fields}
    return {"values": []}


_ARROW = {pl.Int64: pa.int64(), pl.String: pa.large_string(), pl.Utf8: pa.large_string()}

#: The scalar columns of each table's row tuples, in the order the `add_*` functions build them.
ROW_FIELDS = {
    "segments": ("segment_id", "doc_id", "index", "kind", "start", "end", "text"),
    "sentences": ("sentence_id", "doc_id", "segment_id", "index", "start", "end", "text"),
    "claims": (
        "claim_id",
        "doc_id",
        "kind",
        "start",
        "end",
        "content",
        "cue_text",
        "cue_start",
        "cue_end",
        "cue_lemma",
        "stance",
        "source_text",
        "source_start",
        "source_end",
        "speaker_id",
        "speaker_name",
        "speaker_type",
        "rule",
        "extractor_version",
    ),
    "quantities": (
        "quantity_id",
        "doc_id",
        "sentence_id",
        "claim_id",
        "start",
        "end",
        "surface",
        "value",
        "low",
        "high",
        "unit",
        "normalized_unit",
        "change",
        "extractor_version",
    ),
}


def columns(table: str, schema: pl.Schema) -> Columns:
    """Empty rows of `table` (one of `BATCH_TABLES`) for the `add_*` functions."""
    return Columns(schema, ROW_FIELDS[table])


def sentence_ids(doc_id: str, starts: list[int], ends: list[int], start: int, end: int) -> list:
    """Ids of the sentences a span touches, by binary search over sentence ends."""
    out: list[str] = []
    for i in range(bisect.bisect_right(ends, start), len(starts)):
        if starts[i] >= end:
            break
        out.append(f"{doc_id}:s{i}")
    return out


def first_sentence_id(
    doc_id: str, starts: list[int], ends: list[int], start: int, end: int
) -> str | None:
    """`sentence_ids(...)[0]`, or None: the first sentence a span touches."""
    i = bisect.bisect_right(ends, start)
    return f"{doc_id}:s{i}" if i < len(starts) and starts[i] < end else None


def add_segmentation(
    segments: Columns, sentences: Columns, doc_id: str, text: str, seg: Segmentation
) -> None:
    segments.rows.extend(
        (f"{doc_id}:g{s.index}", doc_id, s.index, s.kind, s.start, s.end, text[s.start : s.end])
        for s in seg.segments
    )
    sentences.rows.extend(
        (
            f"{doc_id}:s{s.index}",
            doc_id,
            f"{doc_id}:g{s.segment_index}",
            s.index,
            s.start,
            s.end,
            text[s.start : s.end],
        )
        for s in seg.sentences
    )


#: (start, end, claim id, is an author claim): one content span of a claim, in claim order
_Held = tuple[int, int, str, bool]


def _containing_claim(start: int, end: int, held: list[_Held]) -> str | None:
    """The attributed claim whose content holds the quantity, else an author claim holding it.

    The first such claim in extraction order: `held` lists every claim's content spans in
    that order, so the first span holding the quantity belongs to the first claim holding it.
    """
    best: str | None = None
    for s, e, cid, author in held:
        if s <= start and end <= e:
            if not author:
                return cid
            if best is None:
                best = cid
    return best


def add_extraction(
    claims: Columns,
    quantities: Columns,
    doc_id: str,
    text: str,
    spans: list[tuple[int, int]],
) -> None:
    """Claims and quantities of one document, given its sentence spans."""
    result = extract_document(text, spans)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    span_starts = claims.flat["content_spans"]["start"]
    span_ends = claims.flat["content_spans"]["end"]
    span_offsets = claims.offsets["content_spans"]
    ids = claims.flat["sentence_ids"]["values"]
    id_offsets = claims.offsets["sentence_ids"]
    held: list[_Held] = []
    rows = claims.rows
    for claim in result.claims:
        cid = claim_id(doc_id, claim)
        author = claim.kind == ClaimKind.AUTHOR
        cue, source = claim.cue, claim.source
        start, end = claim.start, claim.end
        for s, e in claim.content_spans:
            span_starts.append(s)
            span_ends.append(e)
            held.append((s, e, cid, author))
        span_offsets.append(len(span_starts))
        ids.extend(sentence_ids(doc_id, starts, ends, start, end))
        id_offsets.append(len(ids))
        speaker = kind = sid = None
        if claim.speaker is not None and claim.speaker_type is not None:
            speaker, kind = claim.speaker, str(claim.speaker_type)
            sid = speaker_id(speaker, kind)
        rows.append(
            (
                cid,
                doc_id,
                str(claim.kind),
                start,
                end,
                " ".join(text[s:e] for s, e in claim.content_spans),
                text[cue[0] : cue[1]] if cue else None,
                cue[0] if cue else None,
                cue[1] if cue else None,
                claim.cue_lemma,
                str(claim.stance) if claim.stance else None,
                text[source[0] : source[1]] if source else None,
                source[0] if source else None,
                source[1] if source else None,
                sid,
                speaker,
                kind,
                claim.rule,
                EXTRACTOR_VERSION,
            )
        )
    quantities.rows.extend(
        (
            f"{doc_id}:q{q.start}-{q.end}",
            doc_id,
            first_sentence_id(doc_id, starts, ends, q.start, q.end),
            _containing_claim(q.start, q.end, held),
            q.start,
            q.end,
            text[q.start : q.end],
            q.value,
            float(q.low),
            float(q.high),
            q.unit,
            q.normalized_unit,
            q.change,
            EXTRACTOR_VERSION,
        )
        for q in result.quantities
    )


def unique_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per claim id (two rules may yield the same claim)."""
    return claims.unique("claim_id", keep="first", maintain_order=True)


def segment_extract(
    schemas: Mapping[str, pl.Schema], documents: pl.DataFrame
) -> tuple[pl.DataFrame, ...]:
    """Segments, sentences, claims and quantities of a documents batch (doc_id, text, title).

    Segmentation and extraction in one pass over the texts: the sentences go straight to the
    extractor instead of being written, read back and shipped to a worker again.

    The cyclic garbage collector is paused for the batch: the rows are tens of thousands of
    tuples, each allocation counts towards a collection, and none of them is garbage until the
    batch ends. Whatever cycles the batch leaves are collected after it, as usual.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        segments, sentences, claims, quantities = (columns(t, schemas[t]) for t in BATCH_TABLES)
        for doc_id, text, title in documents.select("doc_id", "text", "title").iter_rows():
            seg = segment(text, title=title)
            add_segmentation(segments, sentences, doc_id, text, seg)
            spans = [(s.start, s.end) for s in seg.sentences]
            add_extraction(claims, quantities, doc_id, text, spans)
        return (
            segments.frame(),
            sentences.frame(),
            unique_claims(claims.frame()),
            quantities.frame(),
        )
    finally:
        if paused:
            gc.enable()
