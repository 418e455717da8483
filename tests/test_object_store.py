"""The Parquet mirror on real fsspec file systems (file://, memory://), built by the real pipeline.

Every step compares the mirror with the local warehouse: the manifest lists exactly the objects
under `parquet/`, their sha256 and sizes match, and the tables read back from it equal the
local tables; a re-run uploads nothing, a new input file uploads its partition (and the
speakers file if it changed), a deleted input file's objects go.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.layout import TABLE_NAMES, read_state
from pipeline.object_store import (
    MANIFEST,
    PARTITION_TABLES,
    Manifest,
    MirrorResult,
    mirror,
    open_store,
    read_manifest,
    read_table,
)
from pipeline.warehouse import read_table as read_local_table
from tests.conftest import SAMPLE_RAW
from tests.corpus_sample import real_articles, write_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of three input files (the seed article and two JSON Lines files)."""
    root = tmp_path_factory.mktemp("mirror")
    settings = workspace_at(root)
    settings.input_dir.mkdir()
    for path in SAMPLE_RAW.iterdir():
        shutil.copy(path, settings.input_dir / path.name)
    write_sample(settings.input_dir, 4, per_file=2, n_txt=0)
    run_pipeline(settings, root / "dagster")
    return root


def workspace_at(root: Path) -> Settings:
    return Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Settings:
    """A copy of the built warehouse (inputs, staging, Dagster home) this test may change."""
    shutil.copytree(built, tmp_path / "ws")
    return workspace_at(tmp_path / "ws")


@pytest.fixture(params=["file", "memory"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "file":
        yield f"file://{tmp_path / 'bucket' / 'claimbank'}"
        return
    base = f"memory://mirror-{uuid.uuid4().hex}/claimbank"
    yield base
    fs, root = open_store(base)
    if fs.exists(root):
        fs.rm(root, recursive=True)


def local_files(settings: Settings) -> dict[str | None, set[Path]]:
    """Each partition's local files, and the speakers file under None."""
    parquet = settings.parquet_dir
    files: dict[str | None, set[Path]] = {
        key: {parquet / t / f"{key}.parquet" for t in PARTITION_TABLES}
        for key in read_state(parquet)
    }
    files[None] = {parquet / "speakers" / "speakers.parquet"}
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_mirror_matches(url: str, settings: Settings) -> None:
    fs, root = open_store(url)
    manifest = read_manifest(fs, root)
    assert manifest is not None
    assert manifest.partitions == read_state(settings.parquet_dir)
    objects = {p.removeprefix(f"{root}/") for p in fs.find(f"{root}/parquet") if not fs.isdir(p)}
    assert objects == {f.path for f in manifest.files}
    for f in manifest.files:
        data = fs.cat_file(f"{root}/{f.path}")
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f.size, f.sha256), f.path
    # every local file is mirrored byte for byte
    local = {sha256(p) for paths in local_files(settings).values() for p in paths}
    assert local == {f.sha256 for f in manifest.files}
    for table in TABLE_NAMES:
        assert read_table(url, table).equals(read_local_table(settings.parquet_dir, table)), table


def partitions_of(result: MirrorResult, paths: list[str]) -> set[str]:
    """The partition keys (or "speakers") the given mirrored paths belong to."""
    return {part_of(p) for p in paths}


def part_of(path: str) -> str:
    return (
        "speakers" if path.startswith("parquet/speakers/") else path.split("/")[2].rsplit("-", 1)[0]
    )


def changed_bytes(before: Manifest | None, settings: Settings) -> set[tuple[str, str]]:
    """(partition or "speakers", table) of each local file whose bytes the previous manifest
    does not hold for the same partition and table: what a mirror must upload."""
    held = (
        {(f.partition or "speakers", f.table, f.sha256) for f in before.files} if before else set()
    )
    return {
        (key or "speakers", p.parent.name)
        for key, paths in local_files(settings).items()
        for p in paths
        if (key or "speakers", p.parent.name, sha256(p)) not in held
    }


def uploaded(result: MirrorResult) -> set[tuple[str, str]]:
    return {(part_of(p), p.split("/")[1]) for p in result.uploaded}


def manifest_at(url: str) -> Manifest | None:
    return read_manifest(*open_store(url))


def test_mirror_uploads_only_what_changed(workspace: Settings, url: str, tmp_path: Path) -> None:
    home = tmp_path / "ws" / "dagster"
    n_files = sum(len(paths) for paths in local_files(workspace).values())
    assert n_files == 3 * len(PARTITION_TABLES) + 1

    first = mirror(workspace.parquet_dir, url)
    assert len(first.uploaded) == n_files and not first.kept and not first.deleted
    assert first.bytes_uploaded == sum(
        p.stat().st_size for paths in local_files(workspace).values() for p in paths
    )
    assert first.manifest_url.endswith(f"claimbank/{MANIFEST}")
    assert_mirror_matches(url, workspace)

    again = mirror(workspace.parquet_dir, url)
    assert not again.uploaded and not again.deleted and len(again.kept) == n_files
    assert again.bytes_uploaded == 0

    # a new input file: its partition's files, and the speakers file only if it changed
    state_before = read_state(workspace.parquet_dir)
    speakers_before = sha256(workspace.parquet_dir / "speakers" / "speakers.parquet")
    row = real_articles(12)[11]
    (workspace.input_dir / "zz-new.txt").write_text(row["text"], encoding="utf-8")
    run_pipeline(workspace, home)
    state_after = read_state(workspace.parquet_dir)
    (new_key,) = set(state_after) - set(state_before)
    assert {k for k, s in state_after.items() if state_before.get(k) != s} == {new_key}
    speakers_changed = sha256(workspace.parquet_dir / "speakers" / "speakers.parquet") != (
        speakers_before
    )
    added = mirror(workspace.parquet_dir, url)
    assert partitions_of(added, added.uploaded) == {new_key} | (
        {"speakers"} if speakers_changed else set()
    )
    assert len(added.uploaded) == len(PARTITION_TABLES) + speakers_changed
    assert added.deleted == (
        [p for p in first.uploaded if p.startswith("parquet/speakers/")] if speakers_changed else []
    )
    assert_mirror_matches(url, workspace)

    # a deleted input file: its objects go; only partitions whose signature moved upload
    gone = workspace.input_dir / "part001.jsonl"
    gone_key = next(k for k in state_after if k.startswith("part001"))
    gone.unlink()
    run_pipeline(workspace, home)
    state_final = read_state(workspace.parquet_dir)
    assert gone_key not in state_final
    previous = manifest_at(url)
    expected = changed_bytes(previous, workspace)
    removed = mirror(workspace.parquet_dir, url)
    moved = {k for k, s in state_final.items() if state_after.get(k) != s}
    assert uploaded(removed) == expected
    assert partitions_of(removed, removed.uploaded) - {"speakers"} <= moved
    assert {p for p in removed.deleted if gone_key in p} == {
        p for p in added.kept + added.uploaded if gone_key in p
    }
    assert len([p for p in removed.deleted if gone_key in p]) == len(PARTITION_TABLES)
    assert_mirror_matches(url, workspace)


def test_a_moved_document_uploads_only_the_tables_whose_bytes_changed(
    workspace: Settings, tmp_path: Path
) -> None:
    """A copy of the seed article in a smaller partition key takes its document over: the seed
    partition's signature changes, but only its document tables change bytes."""
    url = f"file://{tmp_path / 'bucket'}"
    mirror(workspace.parquet_dir, url)
    state_before = read_state(workspace.parquet_dir)
    seed_key = next(k for k in state_before if k.startswith("kharkiv"))
    shutil.copy(
        workspace.input_dir / "kharkiv_counteroffensive.txt", workspace.input_dir / "aaa.txt"
    )
    run_pipeline(workspace, tmp_path / "ws" / "dagster")
    state_after = read_state(workspace.parquet_dir)
    assert state_after[seed_key] != state_before[seed_key]
    previous = manifest_at(url)
    expected = changed_bytes(previous, workspace)
    moved = mirror(workspace.parquet_dir, url)
    assert uploaded(moved) == expected
    seed_uploads = {t for k, t in uploaded(moved) if k == seed_key}
    assert "documents" in seed_uploads and "claims" in seed_uploads
    assert "input_files" not in seed_uploads and "document_sources" not in seed_uploads
    # the seed partition's unchanged files keep their names from the previous manifest
    assert previous is not None
    kept_seed = {f.path for f in previous.files if f.partition == seed_key} & set(moved.kept)
    assert {p.split("/")[1] for p in kept_seed} == set(PARTITION_TABLES) - seed_uploads
    assert_mirror_matches(url, workspace)


def test_leftovers_of_a_killed_upload_are_ignored_then_deleted(
    workspace: Settings, tmp_path: Path
) -> None:
    url = f"file://{tmp_path / 'bucket'}"
    first = mirror(workspace.parquet_dir, url)
    fs, root = open_store(url)
    # what a mirror killed before its manifest leaves: a new name the manifest does not list
    stray = f"{root}/parquet/claims/zz-killed-0123.parquet"
    fs.pipe_file(stray, b"half an upload")
    for table in TABLE_NAMES:  # readers go by the manifest: the stray object is not data
        assert read_table(url, table).equals(read_local_table(workspace.parquet_dir, table))
    # and an object the manifest lists went missing: the next mirror puts it back
    lost = first.uploaded[0]
    fs.rm(f"{root}/{lost}")
    again = mirror(workspace.parquet_dir, url)
    assert again.uploaded == [lost]
    assert again.deleted == ["parquet/claims/zz-killed-0123.parquet"]
    assert_mirror_matches(url, workspace)


def test_a_changed_object_fails_the_read(workspace: Settings, tmp_path: Path) -> None:
    url = f"file://{tmp_path / 'bucket'}"
    mirror(workspace.parquet_dir, url)
    fs, root = open_store(url)
    manifest = read_manifest(fs, root)
    assert manifest is not None
    claims = next(f for f in manifest.files if f.table == "claims")
    other = next(f for f in manifest.files if f.table == "claims" and f.path != claims.path)
    fs.pipe_file(f"{root}/{claims.path}", fs.cat_file(f"{root}/{other.path}"))
    with pytest.raises(ValueError, match="sha256"):
        read_table(url, "claims")


def test_the_manifest_is_the_commit_point_on_a_local_folder(
    workspace: Settings, tmp_path: Path
) -> None:
    """The local manifest is renamed into place: no temporary file is left beside it."""
    url = f"file://{tmp_path / 'bucket'}"
    mirror(workspace.parquet_dir, url)
    mirror(workspace.parquet_dir, url)
    assert sorted(p.name for p in (tmp_path / "bucket").iterdir()) == [MANIFEST, "parquet"]
    with fsspec.open(f"{url}/{MANIFEST}", "rb") as f:
        assert f.read().startswith(b"{")
