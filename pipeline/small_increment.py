"""Whether a run is a small increment, told before polars is imported (no polars here).

`claimbank run` frees polars' memory at once (`assets/__init__.py`): that keeps a 250k-document
run flat at ~600 MB, but costs CPU wherever polars allocates and frees in a loop: the speaker
merge of a one-file increment into 100k documents took 1.21 s of CPU that way against 0.88 s
with polars' own default, which holds freed pages for 0.5-1 s (~75 MB more at its peak). A run
that processes a few MB of new or changed files on an otherwise current warehouse has no large
peak to flatten, so it keeps polars' default. jemalloc reads its setting once, when polars
loads, so the decision is made from the input folder and the staged state files alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline import __version__ as PIPELINE_VERSION

#: `pipeline.ingest.discover.SIDECAR_SUFFIX` (that package imports polars)
SIDECAR_SUFFIX = ".meta.json"

#: At most this many bytes of new or changed input files make a small increment (~1,400
#: news articles: the pool is stopped after extracting fewer than 1,000 documents).
SMALL_INCREMENT_BYTES = 4_000_000


def _input_files(root: Path) -> dict[str, int]:
    """Relative POSIX path -> size of every candidate input file (hidden ones and sidecars
    skipped, as `discover_files` does; symlinks not followed: a heuristic may over-count)."""
    found: dict[str, int] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name.lower().endswith(SIDECAR_SUFFIX):
                continue
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = path.stat().st_size
    return found


def small_increment(input_dir: Path, staging_dir: Path, extractor_version: str) -> bool:
    """True when new or changed input files total at most `SMALL_INCREMENT_BYTES` and every
    other input file's staged state is current (same size and mtime, same versions).

    False for a first run, a version change (everything is processed again), a large change,
    nothing to do, or anything unexpected: then the run keeps the default memory policy.
    """
    try:
        states = {}
        for path in (staging_dir / "_state").glob("*.json"):
            state = json.loads(path.read_text(encoding="utf-8"))
            states[state["input_path"]] = state
        if not states:
            return False
        changed = 0
        for rel, size in _input_files(input_dir).items():
            state = states.get(rel)
            if state is None:
                changed += size
                continue
            versions = (state["ingest_version"], state["segment_version"])
            if versions != (PIPELINE_VERSION, PIPELINE_VERSION):
                return False
            if state["extract_version"] != extractor_version:
                return False
            stat = (input_dir / rel).stat()
            if state.get("file_stat") != f"{stat.st_size}:{stat.st_mtime_ns}":
                changed += size
        return 0 < changed <= SMALL_INCREMENT_BYTES
    except (OSError, ValueError, KeyError, TypeError):
        return False
