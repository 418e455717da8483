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
import hashlib
from collections.abc import Mapping

import polars as pl
import pyarrow as pa

from pipeline.claims.model import Claim, ClaimKind, Quantity
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
    """One list per column of a table; `frame()` turns them into a frame of that schema.

    A list column (claims' content spans and sentence ids) is kept flat instead, with an
    offset per row (`add_list`): polars builds a list of structs from Python lists of dicts
    at ~12 µs a row, which made frame building a tenth of a worker's time; Arrow builds the
    same column from flat arrays and offsets in a few milliseconds.
    """

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema
        self.lists = [n for n, t in schema.items() if isinstance(t, pl.List)]
        self.data: dict[str, list] = {n: [] for n in schema if n not in self.lists}
        #: list column -> (flat values, or per struct field: values), row offsets
        self.flat: dict[str, dict[str, list]] = {n: {} for n in self.lists}
        self.offsets: dict[str, list[int]] = {n: [0] for n in self.lists}

    def add_list(self, name: str, **values: list) -> None:
        """One row of a list column: `values=[...]` for a list of scalars, one keyword per
        field (same lengths) for a list of structs."""
        flat = self.flat[name]
        n = 0
        for field_name, items in values.items():
            flat.setdefault(field_name, []).extend(items)
            n = len(items)
        self.offsets[name].append(self.offsets[name][-1] + n)

    def _list_series(self, name: str) -> pl.Series:
        dtype = self.schema[name]
        assert isinstance(dtype, pl.List)
        inner = dtype.inner
        flat = self.flat[name]
        if isinstance(inner, pl.Struct):
            fields = [pa.array(flat.get(f.name, []), type=_ARROW[f.dtype]) for f in inner.fields]
            values: pa.Array = pa.StructArray.from_arrays(
                fields, names=[f.name for f in inner.fields]
            )
        else:
            values = pa.array(flat.get("values", []), type=_ARROW[inner])
        offsets = pa.array(self.offsets[name], type=pa.int64())
        array = pa.LargeListArray.from_arrays(offsets, values)
        series = pl.Series(name, array)
        return series.cast(dtype)

    def frame(self) -> pl.DataFrame:
        frame = pl.DataFrame(self.data, schema={n: self.schema[n] for n in self.data})
        if self.lists:
            frame = frame.with_columns(self._list_series(n) for n in self.lists)
        return frame.select(list(self.schema))


_ARROW = {pl.Int64: pa.int64(), pl.String: pa.large_string(), pl.Utf8: pa.large_string()}


def sentence_ids(doc_id: str, starts: list[int], ends: list[int], start: int, end: int) -> list:
    """Ids of the sentences a span touches, by binary search over sentence ends."""
    out: list[str] = []
    for i in range(bisect.bisect_right(ends, start), len(starts)):
        if starts[i] >= end:
            break
        out.append(f"{doc_id}:s{i}")
    return out


def add_segmentation(
    segments: Columns, sentences: Columns, doc_id: str, text: str, seg: Segmentation
) -> None:
    g = segments.data
    for s in seg.segments:
        g["segment_id"].append(f"{doc_id}:g{s.index}")
        g["doc_id"].append(doc_id)
        g["index"].append(s.index)
        g["kind"].append(s.kind)
        g["start"].append(s.start)
        g["end"].append(s.end)
        g["text"].append(text[s.start : s.end])
    t = sentences.data
    for s in seg.sentences:
        t["sentence_id"].append(f"{doc_id}:s{s.index}")
        t["doc_id"].append(doc_id)
        t["segment_id"].append(f"{doc_id}:g{s.segment_index}")
        t["index"].append(s.index)
        t["start"].append(s.start)
        t["end"].append(s.end)
        t["text"].append(text[s.start : s.end])


def _containing_claim(quantity: Quantity, claims: list[tuple[str, Claim]]) -> str | None:
    """The attributed claim whose content holds the quantity, else an author claim holding it."""
    best: str | None = None
    for cid, claim in claims:
        if any(s <= quantity.start and quantity.end <= e for s, e in claim.content_spans):
            if claim.kind != ClaimKind.AUTHOR:
                return cid
            best = best or cid
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
    with_ids = [(claim_id(doc_id, c), c) for c in result.claims]
    c = claims.data
    for cid, claim in with_ids:
        cue, source = claim.cue, claim.source
        start, end = claim.start, claim.end
        c["claim_id"].append(cid)
        c["doc_id"].append(doc_id)
        c["kind"].append(str(claim.kind))
        claims.add_list(
            "content_spans",
            start=[s for s, _ in claim.content_spans],
            end=[e for _, e in claim.content_spans],
        )
        c["start"].append(start)
        c["end"].append(end)
        c["content"].append(" ".join(text[s:e] for s, e in claim.content_spans))
        c["cue_text"].append(text[cue[0] : cue[1]] if cue else None)
        c["cue_start"].append(cue[0] if cue else None)
        c["cue_end"].append(cue[1] if cue else None)
        c["cue_lemma"].append(claim.cue_lemma)
        c["stance"].append(str(claim.stance) if claim.stance else None)
        c["source_text"].append(text[source[0] : source[1]] if source else None)
        c["source_start"].append(source[0] if source else None)
        c["source_end"].append(source[1] if source else None)
        speaker = kind = sid = None
        if claim.speaker is not None and claim.speaker_type is not None:
            speaker, kind = claim.speaker, str(claim.speaker_type)
            sid = speaker_id(speaker, kind)
        c["speaker_id"].append(sid)
        c["speaker_name"].append(speaker)
        c["speaker_type"].append(kind)
        claims.add_list("sentence_ids", values=sentence_ids(doc_id, starts, ends, start, end))
        c["rule"].append(claim.rule)
        c["extractor_version"].append(EXTRACTOR_VERSION)
    q = quantities.data
    for quantity in result.quantities:
        ids = sentence_ids(doc_id, starts, ends, quantity.start, quantity.end)
        q["quantity_id"].append(f"{doc_id}:q{quantity.start}-{quantity.end}")
        q["doc_id"].append(doc_id)
        q["sentence_id"].append(ids[0] if ids else None)
        q["claim_id"].append(_containing_claim(quantity, with_ids))
        q["start"].append(quantity.start)
        q["end"].append(quantity.end)
        q["surface"].append(text[quantity.start : quantity.end])
        q["value"].append(quantity.value)
        q["low"].append(float(quantity.low))
        q["high"].append(float(quantity.high))
        q["unit"].append(quantity.unit)
        q["normalized_unit"].append(quantity.normalized_unit)
        q["change"].append(quantity.change)
        q["extractor_version"].append(EXTRACTOR_VERSION)


def unique_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per claim id (two rules may yield the same claim)."""
    return claims.unique("claim_id", keep="first", maintain_order=True)


def segment_extract(
    schemas: Mapping[str, pl.Schema], documents: pl.DataFrame
) -> tuple[pl.DataFrame, ...]:
    """Segments, sentences, claims and quantities of a documents batch (doc_id, text, title).

    Segmentation and extraction in one pass over the texts: the sentences go straight to the
    extractor instead of being written, read back and shipped to a worker again.
    """
    segments, sentences, claims, quantities = (Columns(schemas[t]) for t in BATCH_TABLES)
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
