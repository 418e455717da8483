"""Consolidate staged parts into checked Parquet per input file (partition), then DuckDB.

Layout: `parquet/<table>/<partition_key>.parquet` for every staged table and
`parquet/speakers/speakers.parquet` for the cross-document speakers. A run rewrites only the
partitions whose staged parts, document ownership or merged speaker ids changed, so adding one
file to a large warehouse rewrites that file's partition (and the small speakers table), not the
warehouse. A document seen in several files is owned by the smallest partition key holding it,
decided from `doc_id` columns only; the other partitions keep only their `document_sources` rows.

`parquet/_state.json` records the signature of each partition that passed every check; the
DuckDB catalog (`pipeline/catalog.py`) compares it with its own copy to update only what changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from pipeline import speaker_cache
from pipeline.layout import (
    DOCUMENT_TABLES,
    SPEAKERS_FILE,
    STATE_FILE,
    part_file,
    read_state,
    table_files,
)
from pipeline.mention_index import partition_mentions, prune
from pipeline.mention_index import source as mention_source
from pipeline.row_digest import digest_by
from pipeline.schemas import SORT_KEYS, TABLES, polars_schema
from pipeline.speaker_cache import CACHE_DIR
from pipeline.speaker_table import MENTION_COLUMNS, mentions, remap
from pipeline.staging import STAGED_TABLES, Staging
from pipeline.storage import write_json, write_parquet

#: Bump when the consolidated layout or its rules change: every partition is then rewritten.
LAYOUT_VERSION = "2"

#: Unique key per table: a row seen in two partitions (same article in two files) is kept once.
UNIQUE_KEYS: dict[str, list[str]] = {
    "input_files": ["input_path"],
    "documents": ["doc_id"],
    "document_sources": ["input_path", "locator"],
    "rejected_inputs": ["input_path", "locator"],
    "segments": ["segment_id"],
    "sentences": ["sentence_id"],
    "claims": ["claim_id"],
    "quantities": ["quantity_id"],
}


# --- the public layout (names and paths: `pipeline.layout`) --------------------------------


def read_table(parquet_dir: Path, table: str) -> pl.DataFrame:
    """A whole table, in its sort order (empty, with the schema, when nothing was written)."""
    files = table_files(parquet_dir, table)
    if not files:
        return pl.DataFrame(schema=polars_schema(table))
    return pl.read_parquet(files, schema=polars_schema(table)).sort(SORT_KEYS[table])


def scan_table(parquet_dir: Path, table: str) -> pl.LazyFrame:
    """A lazy scan of a table: read only the columns a query needs."""
    files = table_files(parquet_dir, table)
    if not files:
        return pl.LazyFrame(schema=polars_schema(table))
    return pl.scan_parquet(files, schema=polars_schema(table))


def count_rows(parquet_dir: Path, table: str) -> int:
    """Rows of a table from the Parquet footers: no data is read."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in table_files(parquet_dir, table))


def written_keys(parquet_dir: Path) -> set[str]:
    """Partitions that have consolidated files (of any table)."""
    return {p.stem for t in STAGED_TABLES for p in table_files(parquet_dir, t)}


# --- the plan: who owns which document, which merged speaker each mention points at ---------


@dataclass(frozen=True, slots=True)
class Plan:
    """What consolidation decides from key columns of every partition, before reading rows."""

    owners: pl.DataFrame  # doc_id, owner (smallest partition key holding the document)
    speaker_map: pl.DataFrame  # _key, MENTION_KEY, merged_id: one row per in-document speaker
    speakers: pl.DataFrame  # the speakers table
    signatures: dict[str, str]  # partition key -> signature of everything its files depend on


def _key_column(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The partition key of each row, from the staged file it came from."""
    return frame.with_columns(
        pl.col("_file").str.extract(r"([^/\\]+)\.parquet$").alias("_key")
    ).drop("_file")


def _scan_parts(staging: Staging, table: str, keys: list[str], columns: list[str]) -> pl.LazyFrame:
    paths = [p for p in (staging.part_path(table, k) for k in keys) if p.exists()]
    schema = polars_schema(table)
    if not paths:
        empty = pl.LazyFrame(schema={c: schema[c] for c in columns})
        return empty.with_columns(pl.lit(None, pl.String).alias("_key"))
    scan = pl.scan_parquet(paths, schema=schema, include_file_paths="_file")
    return _key_column(scan.select(*columns, "_file"))


def _fingerprint(staging: Staging, key: str) -> str:
    parts = []
    for table in STAGED_TABLES:
        path = staging.part_path(table, key)
        stat = path.stat() if path.exists() else None
        parts.append(f"{table}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{table}:-")
    return ";".join(parts)


def _digest_by_key(frame: pl.DataFrame, columns: list[str]) -> dict[str, int]:
    """An order-independent digest of the given columns' rows, per partition key."""
    return {str(k): d for k, d in digest_by(frame, columns, "_key").items()}


def _owned_mentions(
    staging: Staging, keys: list[str], owners: pl.DataFrame, trusted: frozenset[str]
) -> tuple[pl.DataFrame, frozenset[str]]:
    """Every partition's distinct mentions of the documents it owns (`pipeline.mention_index`),
    with the partition's position in `keys` in `_part`; and the partitions all of whose
    mention rows are of documents they own.

    `trusted`: partitions known to own the documents of all their rows (the store's
    `owned_all` for an unchanged source: the same claims part, the same owned documents),
    whose owner filter is skipped: the semi-join over every mention row (272k at 100k
    documents, ~20-28 ms) is then made for the changed partitions only.
    """
    prune(staging)
    frames = [
        partition_mentions(staging, k).with_columns(pl.lit(i, pl.UInt32).alias("_part"))
        for i, k in enumerate(keys)
    ]
    if not frames:
        empty = mentions(pl.LazyFrame(schema=_mention_schema())).collect()
        return empty.with_columns(pl.lit(None, pl.UInt32).alias("_part")), frozenset()
    parts = pl.DataFrame(
        {"owner": keys, "_part": range(len(keys))},
        schema={"owner": pl.String, "_part": pl.UInt32},
    )
    owned = owners.join(parts, on="owner").select("doc_id", "_part")
    checked = [i for i, k in enumerate(keys) if k not in trusted]
    # eager reads, one partition at a time: one lazy query reading them all in parallel saved
    # ~10 ms in a one-file increment but raised the plan's peak by ~45 MB at 250k documents
    # (NOTES.md, session 8 lead)
    found = [frames[i] for i, k in enumerate(keys) if k in trusted]
    all_owned = set(trusted)
    if checked:
        rows = pl.concat([frames[i] for i in checked], how="vertical").join(
            owned, on=["doc_id", "_part"], how="semi"
        )
        kept = {int(i): int(n) for i, n in rows.group_by("_part").len().iter_rows()}
        all_owned |= {keys[i] for i in checked if kept.get(i, 0) == frames[i].height}
        found.insert(0, rows)
    return pl.concat(found, how="vertical"), frozenset(all_owned)


def _merge_sources(
    staging: Staging, keys: list[str], owners: pl.DataFrame, digest: dict[str, int]
) -> dict[str, str]:
    """Per partition, what its owned mention rows are made from (`pipeline.speaker_cache`):
    its mention index's source, and the number and `digest` of the documents it owns."""
    owned = owners.rename({"owner": "_key"})
    counts = {str(k): int(n) for k, n in owned.group_by("_key").len().iter_rows()}
    return {k: f"{mention_source(staging, k)}|{counts.get(k, 0)}|{digest.get(k, 0)}" for k in keys}


def _mention_schema() -> dict[str, pl.DataType]:
    schema = polars_schema("claims")
    return {c: schema[c] for c in MENTION_COLUMNS}


def plan(staging: Staging, keys: Iterable[str], parquet_dir: Path | None = None) -> Plan:
    """Document owners, merged speakers and partition signatures over the given partitions.

    `parquet_dir`: the consolidated warehouse. After an incremental speaker merge the speaker
    map then holds only the rows of the partitions `changed_partitions` will rewrite (those
    are the only ones read); without it, or after a whole merge, every partition's rows.
    """
    keys = sorted(keys)
    folder = staging.root / CACHE_DIR
    docs = _scan_parts(staging, "documents", keys, ["doc_id"]).collect()
    owners = docs.group_by("doc_id").agg(pl.col("_key").min().alias("owner"))
    # only attributed claims of the partition that owns their document take part in the
    # merge (the rest keep a null speaker), read as distinct mentions with a claim count from
    # each partition's mention index: only the claims of changed partitions are read again
    # (redone only where this run's changes can reach: `pipeline.speaker_cache`)
    owned = _digest_by_key(owners.rename({"owner": "_key"}), ["doc_id"])
    sources = _merge_sources(staging, keys, owners, owned)
    stored = speaker_cache.load(folder)
    trusted = frozenset(
        k
        for k in keys
        if stored is not None and k in stored.owned_all and stored.sources.get(k) == sources[k]
    )
    mention_rows, owned_all = _owned_mentions(staging, keys, owners, trusted)
    merge = speaker_cache.merge_saving_behind(folder, mention_rows, sources, stored, owned_all)
    found = None
    if stored is not None:
        found = _speaker_map(merge, keys, owners, owned, staging, parquet_dir)
        if found is None:  # a store that does not fit these rows: the whole merge
            merge.saved()  # (its store first: the whole merge's replaces it)
            merge = speaker_cache.merge_saving_behind(
                folder, mention_rows, sources, None, owned_all
            )
    del mention_rows
    if found is None:
        found = _speaker_map(merge, keys, owners, owned, staging, parquet_dir)
        assert found is not None  # a whole merge maps every row
    speaker_map, merged, signatures = found
    merge.saved()  # the merge's store, written meanwhile
    if merge.digests is None:
        speaker_cache.add_digests(folder, {k: merged.get(k, 0) for k in keys})
    return Plan(
        owners=owners,
        speaker_map=speaker_map,
        speakers=merge.speakers.sort(SORT_KEYS["speakers"]),
        signatures=signatures,
    )


def _speaker_map(
    merge: speaker_cache.Merged,
    keys: list[str],
    owners: pl.DataFrame,
    owned: dict[str, int],
    staging: Staging,
    parquet_dir: Path | None,
) -> tuple[pl.DataFrame, dict[str, int], dict[str, str]] | None:
    """(the speaker map of the partitions to rewrite, or of all; per partition the digest of
    its merged ids; the signatures), None when the merge's store does not fit the rows."""
    # a document's mentions belong to the partition that owns it
    owner = owners.rename({"owner": "_key"})
    if merge.digests is None:  # every row's merged id, then their digests
        mapping = merge.mapping(None)
        if mapping is None:
            return None
        speaker_map = mapping.join(owner, on="doc_id")
        merged = _digest_by_key(speaker_map, speaker_cache.DIGEST_COLUMNS)
        return speaker_map, merged, _signatures(staging, keys, owned, merged)
    # digests kept up to date by the merge: the rows of the partitions to rewrite only
    signatures = _signatures(staging, keys, owned, merge.digests)
    rewrite = keys if parquet_dir is None else _to_rewrite(parquet_dir, signatures)
    position = {k: i for i, k in enumerate(keys)}
    mapping = merge.mapping([position[k] for k in rewrite])
    if mapping is None:
        return None
    return mapping.join(owner, on="doc_id"), merge.digests, signatures


def _signatures(
    staging: Staging, keys: list[str], owned: dict[str, int], merged: dict[str, int]
) -> dict[str, str]:
    """Per partition, a hash of everything its consolidated files depend on: its staged
    parts, the documents it owns and the merged speaker ids of their mentions (a partition is
    rewritten when any of them changes)."""
    # a changed table schema changes every signature: the catalog is then rebuilt, not patched
    schemas = repr([(t, polars_schema(t)) for t in TABLES])
    return {
        key: hashlib.sha256(
            f"{LAYOUT_VERSION}|{schemas}|{_fingerprint(staging, key)}|{owned.get(key, 0)}|"
            f"{merged.get(key, 0)}".encode()
        ).hexdigest()[:24]
        for key in keys
    }


# --- one partition's tables ---------------------------------------------------------------


def partition_tables(staging: Staging, key: str, the_plan: Plan) -> dict[str, pl.DataFrame]:
    """The consolidated rows of one partition: its own documents only, merged speaker ids."""
    owned = the_plan.owners.filter(pl.col("owner") == key).select("doc_id")
    mapping = the_plan.speaker_map.filter(pl.col("_key") == key)
    return partition_frames(staging, key, owned, mapping)


def partition_frames(
    staging: Staging, key: str, owned: pl.DataFrame, mapping: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """`partition_tables` given the partition's owned doc ids and rows of the speaker map."""
    tables: dict[str, pl.DataFrame] = {}
    owned_ids = owned.get_column("doc_id").implode()
    for table in STAGED_TABLES:
        frame = staging.read(table, [key])
        if table in DOCUMENT_TABLES:
            frame = _owned_rows(frame, owned_ids, owned)
        tables[table] = _first_per_key(frame, UNIQUE_KEYS[table])
    tables["claims"] = remap(tables["claims"], mapping)
    return {name: frame.sort(SORT_KEYS[name]) for name, frame in tables.items()}


def _owned_rows(frame: pl.DataFrame, owned_ids: pl.Series, owned: pl.DataFrame) -> pl.DataFrame:
    """The rows whose document the partition owns: a semi join, skipped when it keeps every row.

    Why: a partition nearly always owns all its documents, and the join copies every column
    (claims' list columns most): ~2.3 s of the 15 partitions at 100k documents, the test ~0.1 s.
    """
    if frame.select(pl.col("doc_id").is_in(owned_ids).fill_null(False).all()).item():
        return frame
    return frame.join(owned, on="doc_id", how="semi")


def _first_per_key(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The first row per unique key, in order: `unique`, skipped when no key repeats (it copies)."""
    if not frame.select(keys).is_duplicated().any():
        return frame
    return frame.unique(keys, keep="first", maintain_order=True)


def write_partition(tables: dict[str, pl.DataFrame], parquet_dir: Path, key: str) -> None:
    for name, frame in tables.items():
        write_parquet(frame, part_file(parquet_dir, name, key))


def remove_partition(parquet_dir: Path, key: str) -> None:
    for table in STAGED_TABLES:
        part_file(parquet_dir, table, key).unlink(missing_ok=True)


def write_speakers(speakers: pl.DataFrame, parquet_dir: Path) -> None:
    write_parquet(speakers, part_file(parquet_dir, "speakers", SPEAKERS_FILE))


# --- what changed since the last consolidation ---------------------------------------------


def write_state(parquet_dir: Path, signatures: dict[str, str]) -> None:
    write_json(signatures, parquet_dir / STATE_FILE)


def changed_partitions(parquet_dir: Path, the_plan: Plan) -> tuple[list[str], list[str]]:
    """(partitions to rewrite, partitions to remove) against the last consolidated state."""
    state = read_state(parquet_dir)
    present = written_keys(parquet_dir)
    removed = sorted((present | set(state)) - set(the_plan.signatures))
    return _to_rewrite(parquet_dir, the_plan.signatures, state), removed


def _to_rewrite(
    parquet_dir: Path, signatures: dict[str, str], state: dict[str, str] | None = None
) -> list[str]:
    """The partitions whose signature is not the consolidated one, or whose files are not all
    there."""
    state = read_state(parquet_dir) if state is None else state
    return [
        k
        for k, sig in sorted(signatures.items())
        if state.get(k) != sig
        or not all(part_file(parquet_dir, t, k).exists() for t in STAGED_TABLES)
    ]


# --- whole tables at once (tests, notebooks, small warehouses) ------------------------------


def consolidate(staging: Staging, keys: Iterable[str]) -> dict[str, pl.DataFrame]:
    """Every table over the given partitions, in memory: deduplicated, sorted, with speakers."""
    keys = sorted(keys)
    the_plan = plan(staging, keys)
    parts = [partition_tables(staging, k, the_plan) for k in keys]
    tables = {
        t: pl.concat([p[t] for p in parts], how="vertical").sort(SORT_KEYS[t])
        if parts
        else pl.DataFrame(schema=polars_schema(t))
        for t in STAGED_TABLES
    }
    tables["speakers"] = the_plan.speakers
    return {name: tables[name] for name in TABLES}


def write_tables(tables: dict[str, pl.DataFrame], parquet_dir: Path) -> dict[str, Path]:
    """Write whole tables as one file per table (the partition key "all")."""
    paths = {}
    for name, frame in tables.items():
        key = SPEAKERS_FILE if name == "speakers" else "all"
        paths[name] = part_file(parquet_dir, name, key)
        write_parquet(frame, paths[name])
    return paths


def load_duckdb(parquet_dir: Path, duckdb_path: Path) -> dict[str, int]:
    """Rebuild the DuckDB catalog from the Parquet tables (see `pipeline.catalog`)."""
    from pipeline.catalog import load_duckdb as build

    return build(parquet_dir, duckdb_path)
