"""Input files ↔ partition keys. Keys are safe slugs plus a path hash, never raw file names."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.ingest import discover_files

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def partition_key(relative_path: str) -> str:
    """'news/2022 Jan.jsonl.gz' → 'news-2022-jan-jsonl-gz-1a2b3c4d': readable, unique, URL-safe."""
    slug = _UNSAFE.sub("-", relative_path).strip("-").lower()[:48].strip("-") or "file"
    digest = hashlib.sha256(relative_path.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def scan_inputs(root: Path) -> dict[str, Path]:
    """Every input file under `root`, by partition key, in a stable order."""
    return {partition_key(relative(p, root)): p for p in discover_files(root)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
