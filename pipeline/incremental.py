"""Run a stage for one input file unless its output is already up to date.

A partition's parts are reused when the file's bytes and the stage's version are unchanged;
re-ingesting a file invalidates its later stages. This is what makes re-runs cheap and idempotent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__ as PIPELINE_VERSION
from pipeline.extraction import EXTRACTOR_VERSION
from pipeline.parallel import ordered_map
from pipeline.partitions import file_sha256, relative
from pipeline.stages import (
    IngestBatch,
    extract_batch,
    ingest_batches,
    segment_documents,
    with_sentences,
)
from pipeline.staging import BATCH_DOCS, PartitionState, Staging

#: Documents per unit of extraction work: small enough that a mid-size file still feeds
#: both cores, large enough that shipping frames to a worker costs little.
EXTRACT_BATCH_DOCS = 500


@dataclass(frozen=True, slots=True)
class StageOutcome:
    key: str
    skipped: bool
    rows: dict[str, int]


def _rows(staging: Staging, key: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: staging.count(t, key) for t in tables}


def ingest(
    staging: Staging, key: str, path: Path, root: Path, max_document_bytes: int
) -> StageOutcome:
    """Ingest one file into its parts; skipped when the file's bytes are unchanged.

    The bytes are hashed again only when the file's size or modification time moved (the
    rule make and rsync use): a run over a large unchanged folder reads no input file.
    """
    state = staging.state(key)
    tables = ("input_files", "documents", "document_sources", "rejected_inputs")
    current = state is not None and state.ingest_version == PIPELINE_VERSION
    stat = _stat(path)
    if current and state is not None and stat is not None and state.file_stat == stat:
        return StageOutcome(key, True, _rows(staging, key, tables))
    sha = file_sha256(path)
    if current and state is not None and state.file_sha256 == sha:
        staging.set_state(key, dataclasses.replace(state, file_stat=stat))  # touched only
        return StageOutcome(key, True, _rows(staging, key, tables))
    rows = dict.fromkeys(tables, 0)
    with (
        staging.writer("documents", key) as documents,
        staging.writer("document_sources", key) as sources,
        staging.writer("rejected_inputs", key) as rejected,
    ):
        for item in ingest_batches(path, root, key, max_document_bytes, BATCH_DOCS):
            if isinstance(item, IngestBatch):
                documents.write(item.documents)
                sources.write(item.document_sources)
                rejected.write(item.rejected_inputs)
            else:
                staging.write("input_files", key, item)
                rows["input_files"] = item.height
        rows |= {
            "documents": documents.rows,
            "document_sources": sources.rows,
            "rejected_inputs": rejected.rows,
        }
    staging.set_state(
        key,
        PartitionState(
            input_path=relative(path, root),
            file_sha256=sha,
            ingest_version=PIPELINE_VERSION,
            file_stat=stat,
        ),
    )
    return StageOutcome(key, False, rows)


def _stat(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def segment(staging: Staging, key: str) -> StageOutcome:
    state = staging.state(key)
    tables = ("segments", "sentences")
    if state is None:
        raise RuntimeError(f"partition {key} has not been ingested")
    if state.segment_version == PIPELINE_VERSION:
        return StageOutcome(key, True, _rows(staging, key, tables))
    with (
        staging.writer("segments", key) as segments,
        staging.writer("sentences", key) as sentences,
    ):
        for documents in staging.batches("documents", key, BATCH_DOCS):
            seg, sent = segment_documents(documents)
            segments.write(seg)
            sentences.write(sent)
    staging.set_state(
        key, dataclasses.replace(state, segment_version=PIPELINE_VERSION, extract_version=None)
    )
    return StageOutcome(key, False, {"segments": segments.rows, "sentences": sentences.rows})


def extract(staging: Staging, key: str) -> StageOutcome:
    state = staging.state(key)
    tables = ("claims", "quantities")
    if state is None or state.segment_version is None:
        raise RuntimeError(f"partition {key} has not been segmented")
    if state.extract_version == EXTRACTOR_VERSION:
        return StageOutcome(key, True, _rows(staging, key, tables))
    work = with_sentences(
        staging.batches("documents", key, EXTRACT_BATCH_DOCS),
        staging.batches("sentences", key, 50 * EXTRACT_BATCH_DOCS),
    )
    with (
        staging.writer("claims", key) as claims,
        staging.writer("quantities", key) as quantities,
    ):
        for claim_frame, quantity_frame in ordered_map(extract_batch, work):
            claims.write(claim_frame)
            quantities.write(quantity_frame)
    staging.set_state(key, dataclasses.replace(state, extract_version=EXTRACTOR_VERSION))
    return StageOutcome(key, False, {"claims": claims.rows, "quantities": quantities.rows})
