"""The consolidated Parquet mirrored to object storage (any fsspec URL), a manifest its commit.

Layout under the base URL (`s3://bucket/claimbank`, `gs://…`, `file:///…`, `memory://…`):

    manifest.json                                the commit point: the only file readers trust
    parquet/<table>/<key>-<signature>.parquet    one partition's file, named by its signature
    parquet/speakers/speakers-<sha256:16>.parquet  the speakers table, named by its content

Why versioned names: an object store has no atomic rename, so a file cannot be replaced under
a manifest that lists it. A partition's files are named by the signature in `_state.json`
(which covers everything they depend on), the speakers file by its content hash, and a name a
manifest lists is never written again. One mirror:

1. reads the remote manifest (none: nothing mirrored yet) and lists `parquet/` once;
2. uploads the files of every partition whose signature differs from the manifest's (or
   whose objects are missing), and the speakers file if its hash changed, under new names;
   a file whose bytes equal the one the manifest lists for its partition and table is kept
   under its old name (a speaker merge that changes only `claims` uploads only `claims`);
3. writes `manifest.json` (one PUT, atomic on S3 and GCS; a local folder: temp + rename);
4. deletes every object under `parquet/` the new manifest does not list: replaced versions,
   removed partitions, leftovers of an upload that was killed.

Killed in 1-2, the previous manifest and all its files stay valid; in 4, the leftovers go at
the next mirror. A reader that still holds an older manifest may find its replaced files gone
after a mirror: it reads the manifest again. One writer per URL: the run's warehouse lock
covers the mirror, but two warehouses must not mirror to the same URL.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fsspec
import polars as pl
from fsspec.implementations.local import LocalFileSystem

from pipeline.layout import SPEAKERS_FILE, TABLE_NAMES, part_file, read_state
from pipeline.partitions import file_sha256

MANIFEST = "manifest.json"
PARQUET = "parquet"
FORMAT = 1
#: JSON object of fsspec options for the URL (e.g. `{"endpoint_url": "http://…"}` for s3fs).
OPTIONS_ENV = "CLAIMBANK_PARQUET_OPTIONS"
_CHUNK = 8 << 20

PARTITION_TABLES = tuple(t for t in TABLE_NAMES if t != "speakers")


@dataclass(frozen=True, slots=True)
class MirroredFile:
    """One object of the mirrored dataset, as its manifest lists it."""

    path: str  # relative to the base URL
    table: str
    partition: str | None  # None for the speakers file
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    files: list[MirroredFile]
    partitions: dict[str, str]  # partition key -> signature (from `_state.json`)
    extractor_version: str = ""
    written_at: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "written_at": self.written_at,
                "extractor_version": self.extractor_version,
                "partitions": dict(sorted(self.partitions.items())),
                "files": [
                    {
                        "path": f.path,
                        "table": f.table,
                        "partition": f.partition,
                        "size": f.size,
                        "sha256": f.sha256,
                    }
                    for f in sorted(self.files, key=lambda f: f.path)
                ],
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest | None:
        """The manifest, or None when it is not one this code writes (then everything uploads)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        return cls(
            files=[MirroredFile(**f) for f in data["files"]],
            partitions={str(k): str(v) for k, v in data["partitions"].items()},
            extractor_version=str(data.get("extractor_version", "")),
            written_at=str(data.get("written_at", "")),
        )


@dataclass(slots=True)
class MirrorResult:
    manifest_url: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    bytes_uploaded: int = 0


def storage_options_from_env() -> dict[str, Any]:
    """fsspec options from `CLAIMBANK_PARQUET_OPTIONS` (a JSON object), empty when unset."""
    raw = os.environ.get(OPTIONS_ENV, "").strip()
    options = json.loads(raw) if raw else {}
    if not isinstance(options, dict):
        raise ValueError(f"{OPTIONS_ENV} must be a JSON object, got {raw!r}")
    return options


def open_store(url: str, storage_options: dict[str, Any] | None = None) -> tuple[Any, str]:
    """(fsspec file system, base path without protocol) for a base URL."""
    fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    return fs, root.rstrip("/")


def read_manifest(fs: Any, root: str) -> Manifest | None:
    path = f"{root}/{MANIFEST}"
    try:
        return Manifest.from_json(fs.cat_file(path))
    except FileNotFoundError:
        return None


def mirror(
    parquet_dir: Path, url: str, storage_options: dict[str, Any] | None = None
) -> MirrorResult:
    """Bring the mirror at `url` to the consolidated tables in `parquet_dir` (see the module)."""
    fs, root = open_store(url, storage_options)
    result = MirrorResult(manifest_url=fs.unstrip_protocol(f"{root}/{MANIFEST}"))
    old = read_manifest(fs, root)
    present = _listing(fs, root)
    old_files = {f.path: f for f in old.files} if old else {}
    by_partition: dict[str | None, list[MirroredFile]] = {}
    for f in old_files.values():
        by_partition.setdefault(f.partition, []).append(f)
    state = read_state(parquet_dir)
    files: list[MirroredFile] = []

    def there(f: MirroredFile | None) -> bool:
        return f is not None and present.get(f"{root}/{f.path}") == f.size

    def keep_or_upload(local: Path, rel: str, table: str, key: str | None) -> None:
        listed = old_files.get(rel)
        if not there(listed):  # a changed partition: is this table's file unchanged anyway?
            digest = file_sha256(local)
            listed = next(
                (
                    f
                    for f in by_partition.get(key, [])
                    if f.table == table and f.sha256 == digest and there(f)
                ),
                None,
            )
        if listed is not None:
            files.append(listed)  # a listed name is never rewritten
            result.kept.append(listed.path)
            return
        files.append(_upload(fs, local, f"{root}/{rel}", rel, table, key))
        result.uploaded.append(rel)
        result.bytes_uploaded += files[-1].size

    for key, signature in sorted(state.items()):
        for table in PARTITION_TABLES:
            local = part_file(parquet_dir, table, key)
            if not local.is_file():
                raise FileNotFoundError(f"{local}: partition {key} is in _state.json, not on disk")
            keep_or_upload(local, f"{PARQUET}/{table}/{key}-{signature}.parquet", table, key)
    speakers = part_file(parquet_dir, "speakers", SPEAKERS_FILE)
    if speakers.is_file():
        digest = file_sha256(speakers)
        rel = f"{PARQUET}/speakers/{SPEAKERS_FILE}-{digest[:16]}.parquet"
        keep_or_upload(speakers, rel, "speakers", None)
    manifest = Manifest(
        files=files,
        partitions=dict(state),
        extractor_version=_extractor_version(),
        written_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _commit(fs, f"{root}/{MANIFEST}", manifest.to_json().encode())
    listed = {f"{root}/{f.path}" for f in files}
    stale = sorted(p for p in _listing(fs, root) if p not in listed)
    if stale:
        fs.rm(stale)
    result.deleted = [p.removeprefix(f"{root}/") for p in stale]
    return result


def _extractor_version() -> str:
    from pipeline.extraction import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _listing(fs: Any, root: str) -> dict[str, int]:
    """Every object under `<root>/parquet` with its size (a fresh listing, not a cached one)."""
    fs.invalidate_cache()
    try:
        found = fs.find(f"{root}/{PARQUET}", detail=True)
    except FileNotFoundError:
        return {}
    return {
        _strip(fs, p): int(info.get("size") or 0)
        for p, info in found.items()
        if info.get("type") != "directory"
    }


def _strip(fs: Any, path: str) -> str:
    return str(fs._strip_protocol(path)).rstrip("/")


def _upload(
    fs: Any, local: Path, remote: str, rel: str, table: str, key: str | None
) -> MirroredFile:
    """Stream one file up, hashing what was sent."""
    if isinstance(fs, LocalFileSystem):
        fs.makedirs(fs._parent(remote), exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with local.open("rb") as src, fs.open(remote, "wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return MirroredFile(rel, table, key, size, digest.hexdigest())


def _commit(fs: Any, path: str, data: bytes) -> None:
    """Write the manifest in one step: a local folder renames a temporary file over it."""
    if isinstance(fs, LocalFileSystem):
        fs.makedirs(fs._parent(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        fs.pipe_file(tmp, data)
        os.replace(tmp, path)
    else:
        fs.pipe_file(path, data)


# --- reading the mirror back ------------------------------------------------------------------


def current_manifest(url: str, storage_options: dict[str, Any] | None = None) -> Manifest:
    fs, root = open_store(url, storage_options)
    manifest = read_manifest(fs, root)
    if manifest is None:
        raise FileNotFoundError(f"no Claimbank manifest at {url}")
    return manifest


def table_urls(url: str, table: str, storage_options: dict[str, Any] | None = None) -> list[str]:
    """Full URLs of a table's files in the current manifest (for `pl.scan_parquet` with the
    same credentials as `storage_options`, or DuckDB's `read_parquet` over a registered fs)."""
    return _urls(url, current_manifest(url, storage_options), table, storage_options)


def _urls(
    url: str, manifest: Manifest, table: str, storage_options: dict[str, Any] | None
) -> list[str]:
    fs, root = open_store(url, storage_options)
    return [
        fs.unstrip_protocol(f"{root}/{f.path}")
        for f in sorted(manifest.files, key=lambda f: f.path)
        if f.table == table
    ]


def read_table(url: str, table: str, storage_options: dict[str, Any] | None = None) -> pl.DataFrame:
    """A whole mirrored table in its sort order, every file checked against its manifest sha256
    (what `pipeline.warehouse.read_table` gives for the local tables)."""
    from pipeline.schemas import SORT_KEYS, polars_schema

    fs, root = open_store(url, storage_options)
    frames = []
    for f in sorted(current_manifest(url, storage_options).files, key=lambda f: f.path):
        if f.table != table:
            continue
        data = fs.cat_file(f"{root}/{f.path}")
        if hashlib.sha256(data).hexdigest() != f.sha256:
            raise ValueError(f"{f.path}: content differs from the manifest's sha256")
        frames.append(pl.read_parquet(io.BytesIO(data), schema=polars_schema(table)))
    if not frames:
        return pl.DataFrame(schema=polars_schema(table))
    return pl.concat(frames, how="vertical").sort(SORT_KEYS[table])


def register_duckdb_views(
    con: Any, url: str, storage_options: dict[str, Any] | None = None
) -> list[str]:
    """One DuckDB view per mirrored table, read through fsspec: works offline, where DuckDB's
    own `httpfs` would download an extension. Returns the tables that have files."""
    fs, _ = open_store(url, storage_options)
    con.register_filesystem(fs)
    manifest = current_manifest(url, storage_options)
    views = []
    for table in TABLE_NAMES:
        urls = _urls(url, manifest, table, storage_options)
        if urls:
            quoted = ", ".join("'" + u.replace("'", "''") + "'" for u in urls)
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet([{quoted}])")
            views.append(table)
    return views
