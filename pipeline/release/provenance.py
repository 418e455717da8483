"""How a release was made, in facts a reader can check: versions, inputs, and the rule data.

The extractor's configuration is its lexicon files (cues with stance, units, titles…), so the card
lists each one with a short sha256: two releases with the same hashes ran the same rules.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.config import REPO_ROOT
from pipeline.release.public import SCHEMA_VERSION
from pipeline.release.stats import counts

LEXICON_DIRS = ("pipeline/lexicon", "pipeline/claims/lexicon")
LIBRARIES = ("polars", "duckdb", "pandera")


@dataclass(frozen=True, slots=True)
class Provenance:
    pipeline_version: str
    schema_version: str
    extractor_versions: list[str]
    libraries: dict[str, str]
    input_files: int
    input_records: int
    rejected_by_reason: dict[str, int]
    lexicons: dict[str, str]  # path relative to the repo -> first 12 hex digits of sha256


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def lexicon_hashes(root: Path = REPO_ROOT) -> dict[str, str]:
    out = {}
    for folder in LEXICON_DIRS:
        for path in sorted((root / folder).glob("*")):
            if path.is_file():
                out[f"{folder}/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return out


def collect(
    input_files: pl.DataFrame, rejected: pl.DataFrame, extractor_versions: list[str]
) -> Provenance:
    return Provenance(
        pipeline_version=_version("claimbank"),
        schema_version=SCHEMA_VERSION,
        extractor_versions=extractor_versions,
        libraries={name: _version(name) for name in LIBRARIES},
        input_files=input_files.height,
        input_records=int(input_files["n_records"].sum()) if input_files.height else 0,
        rejected_by_reason=counts(rejected, "reason"),
        lexicons=lexicon_hashes(),
    )
