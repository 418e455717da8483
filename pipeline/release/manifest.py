"""`manifest.json`: every file of the release with bytes and sha256 (rows for tables).

A downloader verifies a copy against it. `catalog.duckdb` is listed apart, without a hash:
DuckDB writes a random database identifier into every new file, so its bytes differ between
two builds of the same release; `catalog.sql`, which it is built from, is hashed instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.partitions import file_sha256
from pipeline.release.parquet import TableFile

MANIFEST_NAME = "manifest.json"


def file_entry(root: Path, rel: str, rows: int | None = None) -> dict[str, Any]:
    path = root / rel
    entry: dict[str, Any] = {
        "path": rel,
        "bytes": path.stat().st_size,
        "sha256": file_sha256(path),
    }
    if rows is not None:
        entry["rows"] = rows
    return entry


def build_manifest(
    root: Path,
    tables: list[TableFile],
    other_files: list[str],
    unhashed: dict[str, str],
    about: dict[str, Any],
) -> dict[str, Any]:
    """The manifest as a dict: `about` (versions, options) + tables + files + unhashed files."""
    files = [file_entry(root, t.path, t.rows) for t in tables]
    files += [file_entry(root, rel) for rel in sorted(other_files)]
    return {
        **about,
        "tables": {t.table: {"path": t.path, "rows": t.rows} for t in tables},
        "files": sorted(files, key=lambda f: f["path"]),
        "unhashed_files": [
            {"path": rel, "bytes": (root / rel).stat().st_size, "why": why}
            for rel, why in sorted(unhashed.items())
        ],
    }


def to_json(data: dict[str, Any]) -> str:
    """Stable JSON text: sorted keys, two-space indent, UTF-8, a final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(root: Path, manifest: dict[str, Any]) -> Path:
    path = root / MANIFEST_NAME
    path.write_text(to_json(manifest), encoding="utf-8")
    return path


def verify(root: Path) -> list[str]:
    """Files whose size or sha256 differ from the manifest (empty when the copy is intact)."""
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    bad = []
    for entry in manifest["files"]:
        path = root / entry["path"]
        if (
            not path.is_file()
            or path.stat().st_size != entry["bytes"]
            or file_sha256(path) != entry["sha256"]
        ):
            bad.append(entry["path"])
    return bad
