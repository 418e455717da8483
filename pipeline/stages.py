"""Each pipeline stage as a function from an input file or frames to table frames.

The Dagster assets call exactly these, and so can a notebook or a test: ingest one file →
documents / document_sources / rejected_inputs; segment documents → segments / sentences;
extract → claims / quantities. Row construction lives here so that stages stay row-for-row
the same whoever runs them.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.claims.model import Claim, ClaimKind, Quantity
from pipeline.extraction import EXTRACTOR_VERSION, extract_document
from pipeline.ingest import read_file
from pipeline.ingest.records import Article, Rejection
from pipeline.partitions import file_sha256, relative
from pipeline.schemas import polars_schema
from pipeline.segment import Segmentation, segment


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=polars_schema(table))


@dataclass(frozen=True, slots=True)
class IngestedFile:
    input_files: pl.DataFrame
    documents: pl.DataFrame
    document_sources: pl.DataFrame
    rejected_inputs: pl.DataFrame


def _document_row(article: Article) -> dict:
    text = article.text
    return {
        "doc_id": article.doc_id,
        "title": article.title,
        "outlet": article.source,
        "url": article.url,
        "author": article.author,
        "published_at": article.published_at,
        "language": article.language,
        "encoding": article.encoding,
        "n_chars": len(text),
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "text": text,
        "metadata_notes": list(article.notes),
    }


@dataclass(frozen=True, slots=True)
class IngestBatch:
    """Rows of up to `batch_docs` records of one file (documents deduplicated within the file)."""

    documents: pl.DataFrame
    document_sources: pl.DataFrame
    rejected_inputs: pl.DataFrame


def ingest_batches(
    path: Path, root: Path, partition_key: str, max_document_bytes: int, batch_docs: int
) -> Iterator[IngestBatch | pl.DataFrame]:
    """Read one file as a stream of batches, then its `input_files` ledger row (a frame, last).

    Memory is bounded by the batch, not the file: only the ids of documents already seen in
    this file are kept, to drop a repeated article within the file.
    """
    seen: set[str] = set()
    documents: list[dict] = []
    sources: list[dict] = []
    rejected: list[dict] = []
    n_sources = n_rejected = 0

    def flush() -> IngestBatch:
        batch = IngestBatch(
            documents=_frame("documents", documents),
            document_sources=_frame("document_sources", sources),
            rejected_inputs=_frame("rejected_inputs", rejected),
        )
        documents.clear()
        sources.clear()
        rejected.clear()
        return batch

    for record in read_file(path, root, max_document_bytes=max_document_bytes):
        if isinstance(record, Rejection):
            n_rejected += 1
            rejected.append(
                {
                    "input_path": record.input_path,
                    "locator": record.locator,
                    "reason": str(record.reason),
                    "message": record.message,
                    "size_bytes": record.size_bytes,
                    "partition_key": partition_key,
                }
            )
        else:
            if record.doc_id not in seen:
                seen.add(record.doc_id)
                documents.append(_document_row(record))
            n_sources += 1
            sources.append(
                {
                    "doc_id": record.doc_id,
                    "input_path": record.input_path,
                    "locator": record.locator,
                    "source_record_id": record.source_record_id,
                    "partition_key": partition_key,
                }
            )
        if len(sources) + len(rejected) >= batch_docs:
            yield flush()
    if sources or rejected:
        yield flush()
    input_file = {
        "input_path": relative(path, root),
        "partition_key": partition_key,
        "file_sha256": file_sha256(path) if path.exists() else "0" * 64,
        "size_bytes": path.stat().st_size if path.exists() else 0,
        "n_records": n_sources + n_rejected,
        "n_documents": n_sources,
        "n_rejected": n_rejected,
    }
    yield _frame("input_files", [input_file])


def ingest_file(
    path: Path, root: Path, partition_key: str, max_document_bytes: int
) -> IngestedFile:
    """Read one input file; every record becomes a document source row or a rejection row."""
    batches: list[IngestBatch] = []
    ledger = _frame("input_files", [])
    for item in ingest_batches(path, root, partition_key, max_document_bytes, 1 << 62):
        if isinstance(item, IngestBatch):
            batches.append(item)
        else:
            ledger = item
    return IngestedFile(
        input_files=ledger,
        documents=concat((b.documents for b in batches), "documents"),
        document_sources=concat((b.document_sources for b in batches), "document_sources"),
        rejected_inputs=concat((b.rejected_inputs for b in batches), "rejected_inputs"),
    )


def _segmentation_rows(doc_id: str, text: str, seg: Segmentation) -> tuple[list[dict], list[dict]]:
    segments = [
        {
            "segment_id": f"{doc_id}:g{s.index}",
            "doc_id": doc_id,
            "index": s.index,
            "kind": s.kind,
            "start": s.start,
            "end": s.end,
            "text": text[s.start : s.end],
        }
        for s in seg.segments
    ]
    sentences = [
        {
            "sentence_id": f"{doc_id}:s{s.index}",
            "doc_id": doc_id,
            "segment_id": f"{doc_id}:g{s.segment_index}",
            "index": s.index,
            "start": s.start,
            "end": s.end,
            "text": text[s.start : s.end],
        }
        for s in seg.sentences
    ]
    return segments, sentences


def segment_documents(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Segments and sentences of every document."""
    segments: list[dict] = []
    sentences: list[dict] = []
    for doc_id, text, title in documents.select("doc_id", "text", "title").iter_rows():
        seg_rows, sent_rows = _segmentation_rows(doc_id, text, segment(text, title=title))
        segments.extend(seg_rows)
        sentences.extend(sent_rows)
    return _frame("segments", segments), _frame("sentences", sentences)


def speaker_id(name: str, speaker_type: str) -> str:
    """Stable id of a speaker: the same type and case-folded name always get the same id."""
    key = f"{speaker_type}:{' '.join(name.casefold().split())}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def claim_id(doc_id: str, claim: Claim) -> str:
    spans = ";".join(f"{s}-{e}" for s, e in claim.content_spans)
    key = f"{doc_id}|{claim.kind}|{spans}|{EXTRACTOR_VERSION}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class _SentenceIndex:
    """Which sentences a span touches, by binary search over sentence starts."""

    def __init__(self, doc_id: str, sentences: list[tuple[int, int]]) -> None:
        self.doc_id = doc_id
        self.starts = [s for s, _ in sentences]
        self.ends = [e for _, e in sentences]

    def ids(self, start: int, end: int) -> list[str]:
        first = max(bisect.bisect_right(self.ends, start), 0)
        out: list[str] = []
        for i in range(first, len(self.starts)):
            if self.starts[i] >= end:
                break
            out.append(f"{self.doc_id}:s{i}")
        return out


def _claim_row(cid: str, doc_id: str, text: str, claim: Claim, sentences: _SentenceIndex) -> dict:
    cue, source = claim.cue, claim.source
    has_speaker = claim.speaker is not None and claim.speaker_type is not None
    return {
        "claim_id": cid,
        "doc_id": doc_id,
        "kind": str(claim.kind),
        "content_spans": [{"start": s, "end": e} for s, e in claim.content_spans],
        "start": claim.start,
        "end": claim.end,
        "content": " ".join(text[s:e] for s, e in claim.content_spans),
        "cue_text": text[cue[0] : cue[1]] if cue else None,
        "cue_start": cue[0] if cue else None,
        "cue_end": cue[1] if cue else None,
        "cue_lemma": claim.cue_lemma,
        "stance": str(claim.stance) if claim.stance else None,
        "source_text": text[source[0] : source[1]] if source else None,
        "source_start": source[0] if source else None,
        "source_end": source[1] if source else None,
        "speaker_id": speaker_id(claim.speaker, claim.speaker_type) if has_speaker else None,
        "speaker_name": claim.speaker if has_speaker else None,
        "speaker_type": str(claim.speaker_type) if has_speaker else None,
        "sentence_ids": sentences.ids(claim.start, claim.end),
        "rule": claim.rule,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _containing_claim(quantity: Quantity, claims: list[tuple[str, Claim]]) -> str | None:
    """The attributed claim whose content holds the quantity, else an author claim holding it."""
    best: str | None = None
    for cid, claim in claims:
        if any(s <= quantity.start and quantity.end <= e for s, e in claim.content_spans):
            if claim.kind != ClaimKind.AUTHOR:
                return cid
            best = best or cid
    return best


def _quantity_row(
    doc_id: str, text: str, q: Quantity, claims: list[tuple[str, Claim]], sentences: _SentenceIndex
) -> dict:
    sentence_ids = sentences.ids(q.start, q.end)
    return {
        "quantity_id": f"{doc_id}:q{q.start}-{q.end}",
        "doc_id": doc_id,
        "sentence_id": sentence_ids[0] if sentence_ids else None,
        "claim_id": _containing_claim(q, claims),
        "start": q.start,
        "end": q.end,
        "surface": text[q.start : q.end],
        "value": q.value,
        "low": float(q.low),
        "high": float(q.high),
        "unit": q.unit,
        "normalized_unit": q.normalized_unit,
        "change": q.change,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _sentence_spans(sentences: pl.DataFrame) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in (
        sentences.sort("doc_id", "index").select("doc_id", "start", "end").iter_rows()
    ):
        spans.setdefault(doc_id, []).append((start, end))
    return spans


def extract_documents(
    documents: pl.DataFrame, sentences: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims and quantities of every document, given its sentences."""
    spans_by_doc = _sentence_spans(sentences)
    claim_rows: list[dict] = []
    quantity_rows: list[dict] = []
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        doc_sentences = spans_by_doc.get(doc_id, [])
        index = _SentenceIndex(doc_id, doc_sentences)
        result = extract_document(text, doc_sentences)
        with_ids = [(claim_id(doc_id, c), c) for c in result.claims]
        claim_rows.extend(_claim_row(cid, doc_id, text, c, index) for cid, c in with_ids)
        quantity_rows.extend(
            _quantity_row(doc_id, text, q, with_ids, index) for q in result.quantities
        )
    claims = _frame("claims", claim_rows).unique("claim_id", keep="first", maintain_order=True)
    return claims, _frame("quantities", quantity_rows)


def concat(frames: Iterable[pl.DataFrame], table: str) -> pl.DataFrame:
    """Concatenate frames of one table; an empty input gives an empty frame with the schema."""
    frames = list(frames)
    return pl.concat(frames, how="vertical") if frames else _frame(table, [])


#: The documents columns segmentation and extraction read: the rest never leaves the Parquet file.
SEGMENT_COLUMNS = ("doc_id", "text", "title")
EXTRACT_COLUMNS = ("doc_id", "text")
#: The sentences columns extraction reads (not the sentence text, the largest column).
SENTENCE_SPAN_COLUMNS = ("doc_id", "index", "start", "end")


def segment_batch(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`segment_documents` on a documents batch: a unit of work of the pool."""
    return segment_documents(documents)


def extract_batch(batch: tuple[pl.DataFrame, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`extract_documents` on (documents, their sentences): the unit of work of the pool."""
    return extract_documents(*batch)


def with_sentences(
    documents: Iterable[pl.DataFrame], sentences: Iterable[pl.DataFrame]
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Pair each documents batch with its sentences, reading both parts once, in step.

    Segmentation writes sentences in document order, so a document's sentences are the next
    rows whose doc_id belongs to the batch.
    """
    pending: pl.DataFrame | None = None
    stream = iter(sentences)
    for docs in documents:
        ids = docs.get_column("doc_id").implode()
        parts: list[pl.DataFrame] = []
        while True:
            if pending is None or pending.is_empty():
                nxt = next(stream, None)
                if nxt is None:
                    break
                pending = nxt
            inside = pending.select(pl.col("doc_id").is_in(ids)).to_series()
            n = int(inside.arg_min()) if not inside.all() else pending.height
            parts.append(pending.head(n))
            pending = pending.slice(n)
            if not pending.is_empty():
                break
        yield docs, concat(parts, "sentences")
