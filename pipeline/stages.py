"""Each pipeline stage as a function from an input file or frames to table frames.

The Dagster assets call exactly these, and so can a notebook or a test: ingest one file →
documents / document_sources / rejected_inputs; segment documents → segments / sentences;
extract → claims / quantities; or both in one pass (`segment_extract_documents`, what the
pipeline runs). Rows are built by `pipeline.stage_rows` so that stages stay row-for-row the
same whoever runs them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.ingest import read_file
from pipeline.ingest.records import Article, Rejection
from pipeline.partitions import file_sha256, relative
from pipeline.schemas import polars_schema
from pipeline.segment import segment
from pipeline.stage_rows import (
    BATCH_TABLES,
    add_extraction,
    add_segmentation,
    claim_id,
    columns,
    segment_extract,
    speaker_id,
    unique_claims,
)

__all__ = ["claim_id", "speaker_id"]  # re-exported: their home is pipeline.stage_rows


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=polars_schema(table))


@dataclass(frozen=True, slots=True)
class IngestedFile:
    input_files: pl.DataFrame
    documents: pl.DataFrame
    document_sources: pl.DataFrame
    rejected_inputs: pl.DataFrame


def _document_row(article: Article, text_sha256: str) -> dict:
    text = article.text
    return {
        "doc_id": text_sha256[:16],
        "title": article.title,
        "outlet": article.source,
        "url": article.url,
        "author": article.author,
        "published_at": article.published_at,
        "language": article.language,
        "encoding": article.encoding,
        "n_chars": len(text),
        "text_sha256": text_sha256,
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
    path: Path,
    root: Path,
    partition_key: str,
    max_document_bytes: int,
    batch_docs: int,
    sha256: str | None = None,
) -> Iterator[IngestBatch | pl.DataFrame]:
    """Read one file as a stream of batches, then its `input_files` ledger row (a frame, last).

    Memory is bounded by the batch, not the file: only the ids of documents already seen in
    this file are kept, to drop a repeated article within the file. `sha256`: the file's hash
    if the caller has just computed it (ingest hashed every input file twice).
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
            # one hash per record: the doc id is the head of the text's SHA-256 (`make_doc_id`),
            # and `Article.doc_id` hashes the text again at every use (~20% of ingest's CPU)
            text_sha256 = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
            doc_id = text_sha256[:16]
            if doc_id not in seen:
                seen.add(doc_id)
                documents.append(_document_row(record, text_sha256))
            n_sources += 1
            sources.append(
                {
                    "doc_id": doc_id,
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
        "file_sha256": sha256 or (file_sha256(path) if path.exists() else "0" * 64),
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


def segment_documents(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Segments and sentences of every document."""
    segments = columns("segments", polars_schema("segments"))
    sentences = columns("sentences", polars_schema("sentences"))
    for doc_id, text, title in documents.select("doc_id", "text", "title").iter_rows():
        add_segmentation(segments, sentences, doc_id, text, segment(text, title=title))
    return segments.frame(), sentences.frame()


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
    claims = columns("claims", polars_schema("claims"))
    quantities = columns("quantities", polars_schema("quantities"))
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        add_extraction(claims, quantities, doc_id, text, spans_by_doc.get(doc_id, []))
    return unique_claims(claims.frame()), quantities.frame()


def batch_schemas() -> dict[str, pl.Schema]:
    """The schemas `segment_extract` needs, sent along with each task to the pool."""
    return {t: polars_schema(t) for t in BATCH_TABLES}


def segment_extract_documents(documents: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
    """Segments, sentences, claims and quantities of every document, in one pass."""
    return segment_extract(batch_schemas(), documents)


def concat(frames: Iterable[pl.DataFrame], table: str) -> pl.DataFrame:
    """Concatenate frames of one table; an empty input gives an empty frame with the schema."""
    frames = list(frames)
    return pl.concat(frames, how="vertical") if frames else _frame(table, [])


#: The documents columns segmentation and extraction read: the rest never leaves the Parquet file.
SEGMENT_COLUMNS = ("doc_id", "text", "title")
