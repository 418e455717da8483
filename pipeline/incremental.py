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
from pipeline.partitions import file_sha256, relative
from pipeline.stages import extract_documents, ingest_file, segment_documents
from pipeline.staging import PartitionState, Staging


@dataclass(frozen=True, slots=True)
class StageOutcome:
    key: str
    skipped: bool
    rows: dict[str, int]


def _rows(staging: Staging, key: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: staging.read(t, [key]).height for t in tables}


def ingest(
    staging: Staging, key: str, path: Path, root: Path, max_document_bytes: int
) -> StageOutcome:
    """Ingest one file into its parts; skipped when the file's bytes are unchanged."""
    sha = file_sha256(path)
    state = staging.state(key)
    tables = ("input_files", "documents", "document_sources", "rejected_inputs")
    if state and state.file_sha256 == sha and state.ingest_version == PIPELINE_VERSION:
        return StageOutcome(key, True, _rows(staging, key, tables))
    result = ingest_file(path, root, key, max_document_bytes)
    for table in tables:
        staging.write(table, key, getattr(result, table))
    staging.set_state(
        key,
        PartitionState(
            input_path=relative(path, root), file_sha256=sha, ingest_version=PIPELINE_VERSION
        ),
    )
    return StageOutcome(key, False, {t: getattr(result, t).height for t in tables})


def segment(staging: Staging, key: str) -> StageOutcome:
    state = staging.state(key)
    tables = ("segments", "sentences")
    if state is None:
        raise RuntimeError(f"partition {key} has not been ingested")
    if state.segment_version == PIPELINE_VERSION:
        return StageOutcome(key, True, _rows(staging, key, tables))
    segments, sentences = segment_documents(staging.read("documents", [key]))
    staging.write("segments", key, segments)
    staging.write("sentences", key, sentences)
    staging.set_state(
        key, dataclasses.replace(state, segment_version=PIPELINE_VERSION, extract_version=None)
    )
    return StageOutcome(key, False, {"segments": segments.height, "sentences": sentences.height})


def extract(staging: Staging, key: str) -> StageOutcome:
    state = staging.state(key)
    tables = ("claims", "quantities")
    if state is None or state.segment_version is None:
        raise RuntimeError(f"partition {key} has not been segmented")
    if state.extract_version == EXTRACTOR_VERSION:
        return StageOutcome(key, True, _rows(staging, key, tables))
    claims, quantities = extract_documents(
        staging.read("documents", [key]), staging.read("sentences", [key])
    )
    staging.write("claims", key, claims)
    staging.write("quantities", key, quantities)
    staging.set_state(key, dataclasses.replace(state, extract_version=EXTRACTOR_VERSION))
    return StageOutcome(key, False, {"claims": claims.height, "quantities": quantities.height})
