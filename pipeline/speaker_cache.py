"""The cross-document speaker merge, redone only where a run's changes can reach.

The merge (`speaker_table.merge_mentions`) is global: a new two-word name can pull a longer
name into its cluster, a second "George ... Bush" splits a cluster, a surname alone merges
into the one full name with that surname in the corpus. Recomputing it over every mention
cost ~0.47 s of CPU in a one-file increment into 100k documents (272k mention rows).

Every rule, though, relates only names that share a *token* (`name_tokens`): a group its
key; a person its key, last word, last two words and first + middle initials + last word.
The anchors of rule 2 are keys matched against keys and tails, rule 3 groups by cluster
(a key or a tail), rule 4 by last word, and every final cluster (the merged id, the
speakers row) is one of these tokens of some name connected to it. So the names connected
through shared tokens to a changed partition's names (`affected`) are the only ones whose
results can change; the merge over their mentions alone gives the same ids and speakers
rows as over the whole corpus, and every other name keeps its stored result.

What is stored (in `staging/_speaker_merge/`) is a pure cache of the last merge: per name its
tokens and merged id (per document for a surname alone, whose target depends on its
document), the names each partition contributed, the speakers rows and what each
partition's mentions were made from. It is keyed on the merge's code, lexicons and polars
version; anything missing, unreadable or from other code means one full merge, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import polars as pl

from pipeline.row_digest import digest_by
from pipeline.speaker_merge import SPEAKER_COLUMNS
from pipeline.speaker_merge_names import LEXICON_DIR, PERSON, name_forms
from pipeline.speaker_table import MENTION_KEY, merge_mentions_with_forms
from pipeline.storage import atomic_path

CACHE_DIR = "_speaker_merge"
CURRENT = "current.json"
#: Bump when what is stored or how it is used changes.
CACHE_VERSION = "1"
#: Sources the merge's results depend on: a change to any of them means one full merge.
_CODE = (
    "speaker_cache.py",
    "speaker_merge.py",
    "speaker_merge_names.py",
    "speaker_table.py",
    "stage_rows.py",
    "schemas.py",
    "row_digest.py",
)
#: The speaker map's columns a partition's signature digests (`warehouse.plan`).
DIGEST_COLUMNS = [*MENTION_KEY, "merged_id"]
_NULL = "\x00"  # a null key or last word is a token too: all such names share it


@cache
def code_version() -> str:
    """A hash of the merge's code, its name lexicons and the polars version."""
    digest = hashlib.sha256(f"{CACHE_VERSION}|{pl.__version__}".encode())
    here = Path(__file__).parent
    for path in [*(here / n for n in _CODE), *sorted(LEXICON_DIR.glob("*.txt"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def name_tokens(forms: pl.DataFrame) -> pl.DataFrame:
    """SPEAKER_COLUMNS + `tokens` (list of strings) + `doc_bound` from `name_forms` rows.

    `doc_bound`: a surname alone, whose merged id depends on its document (rule 4).
    """
    person = pl.col("cls") == PERSON
    key = pl.col("key").fill_null(_NULL)
    split = pl.concat_str("first", "middle", "last", separator=" ")
    tokens = pl.when(person).then(
        pl.concat_list(
            pl.lit("p|") + key,
            pl.lit("p|") + pl.col("last").fill_null(_NULL),
            pl.lit("p|") + pl.col("tail"),
            pl.when(pl.col("middle") != "").then(pl.lit("p|") + split),
        ).list.drop_nulls()
    )
    return forms.select(
        *SPEAKER_COLUMNS,
        tokens.otherwise(pl.concat_list(pl.lit("g|") + key)).alias("tokens"),
        pl.col("surname_only").fill_null(False).alias("doc_bound"),
    )


def affected(seed: pl.DataFrame, tokens: pl.DataFrame) -> pl.DataFrame:
    """The names (SPEAKER_COLUMNS) connected to `seed` names through shared tokens."""
    pairs = tokens.select(*SPEAKER_COLUMNS, "tokens").explode("tokens")
    names = seed.select(SPEAKER_COLUMNS).unique()
    while True:
        reached = pairs.join(names, on=SPEAKER_COLUMNS, how="semi").select("tokens").unique()
        grown = pairs.join(reached, on="tokens", how="semi").select(SPEAKER_COLUMNS).unique()
        grown = pl.concat([names, grown]).unique()
        if grown.height == names.height:
            return names
        names = grown


@dataclass(frozen=True, slots=True)
class Stored:
    """The last merge: what each partition's mentions came from, and its results."""

    sources: dict[str, str]
    names: pl.DataFrame  # SPEAKER_COLUMNS, tokens, doc_bound, merged_id (null if doc_bound)
    bound: pl.DataFrame  # MENTION_KEY, merged_id: the doc-bound names' rows
    seen: pl.DataFrame  # _key, SPEAKER_COLUMNS: the names of each partition's mentions
    speakers: pl.DataFrame
    #: per partition key, the digest of its speaker-map rows (DIGEST_COLUMNS), when known
    digests: dict[str, int] | None = None
    #: partitions whose every mention row is of a document they own (`warehouse.plan` skips
    #: their owner filter while their source is unchanged)
    owned_all: frozenset[str] = frozenset()


def load(folder: Path) -> Stored | None:
    """The stored merge, or None when missing, damaged or made by other code."""
    try:
        current = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
        if current.get("code") != code_version():
            return None
        gen = folder / str(current["generation"])
        return Stored(
            sources={str(k): str(v) for k, v in current["sources"].items()},
            names=pl.read_ipc(gen / "names.arrow"),
            bound=pl.read_ipc(gen / "bound.arrow"),
            seen=pl.read_ipc(gen / "seen.arrow"),
            speakers=pl.read_ipc(gen / "speakers.arrow"),
            digests=_digests_of(current),
            owned_all=frozenset(str(k) for k in current.get("owned_all", [])),
        )
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None


def _digests_of(current: dict[str, object]) -> dict[str, int] | None:
    found = current.get("digests")
    if not isinstance(found, dict):
        return None
    return {str(k): int(v) for k, v in found.items()}


def add_digests(folder: Path, digests: dict[str, int]) -> None:
    """Record the speaker-map digests of the merge just stored (`save` without them: a whole
    merge, whose digests are made from every row after it).

    A run killed before this leaves a store without digests: the next merge's are then made
    from every row again.
    """
    current = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
    current["digests"] = digests
    with atomic_path(folder / CURRENT) as tmp:
        tmp.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")


def save(folder: Path, stored: Stored) -> None:
    """Write a new generation, then point `current.json` at it, then drop older ones.

    A killed run leaves the previous generation current (or the new one, complete).
    """
    generation = f"g{os.getpid()}-{os.urandom(4).hex()}"
    gen = folder / generation
    gen.mkdir(parents=True)
    for name in ("names", "bound", "seen", "speakers"):
        # uncompressed Arrow: a few MB, read and written ~3x faster than Parquet
        getattr(stored, name).write_ipc(gen / f"{name}.arrow", compression="uncompressed")
    current: dict[str, object] = {
        "code": code_version(),
        "generation": generation,
        "sources": stored.sources,
    }
    if stored.digests is not None:
        current["digests"] = stored.digests
    current["owned_all"] = sorted(stored.owned_all)
    with atomic_path(folder / CURRENT) as tmp:
        tmp.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
    for old in folder.iterdir():
        if old.is_dir() and old.name != generation:
            shutil.rmtree(old, ignore_errors=True)


def _stored_from(
    sources: dict[str, str],
    rows: pl.DataFrame,
    mapping: pl.DataFrame,
    forms: pl.DataFrame,
    speakers: pl.DataFrame,
) -> Stored:
    """What to store after merging `rows` (with `_part`) into `mapping`, `speakers`."""
    tokens = name_tokens(forms)
    bound_names = tokens.filter("doc_bound").select(SPEAKER_COLUMNS)
    free_ids = (
        mapping.join(bound_names, on=SPEAKER_COLUMNS, how="anti")
        .select(*SPEAKER_COLUMNS, "merged_id")
        .unique(SPEAKER_COLUMNS)
    )
    names = tokens.join(free_ids, on=SPEAKER_COLUMNS, how="left")
    bound = mapping.join(bound_names, on=SPEAKER_COLUMNS, how="semi").select(
        *MENTION_KEY, "merged_id"
    )
    parts = pl.DataFrame(
        {"_part": range(len(sources)), "_key": list(sources)},
        schema={"_part": pl.UInt32, "_key": pl.String},
    )
    seen = (
        rows.select("_part", *SPEAKER_COLUMNS)
        .unique()
        .join(parts, on="_part")
        .select("_key", *SPEAKER_COLUMNS)
    )
    return Stored(sources, names, bound, seen, speakers)


@dataclass(frozen=True, slots=True)
class Merged:
    """What `merge_saving_behind` gives: the speakers table, the speaker map on demand, and
    each partition's speaker-map digest when an incremental merge kept them up to date."""

    speakers: pl.DataFrame
    #: per partition key, the digest of its speaker-map rows (DIGEST_COLUMNS); None: the
    #: caller makes them from `mapping(None)`, then `add_digests` once the store is written
    digests: dict[str, int] | None
    #: MENTION_KEY + merged_id of the rows of the given partitions (positions; None: all);
    #: None when the store does not fit those rows (then: a whole merge)
    mapping: Callable[[Collection[int] | None], pl.DataFrame | None]
    #: waits until the store is written (raises what the write raised)
    saved: Callable[[], None]


def merge(
    folder: Path, rows: pl.DataFrame, sources: dict[str, str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`merge_mentions` of `rows` (owned mention rows; `_part`: their partition's position in
    `sources`), reusing the stored merge for every name no changed partition can reach;
    stores the new one.

    `sources`: per partition key, what its rows are made from (its mention index's source and
    the documents it owns): a partition whose source is unchanged has the same rows. (A
    position, not the key, on every row: a string column of keys held through the merge
    raised its peak by ~20 MB at 100k documents.)
    """
    merged = merge_saving_behind(folder, rows, sources, load(folder))
    merged.saved()
    mapping = merged.mapping(None)
    if mapping is None:  # a store that does not fit: the whole merge
        merged = merge_saving_behind(folder, rows, sources, None)
        mapping = merged.mapping(None)
        assert mapping is not None
    if merged.digests is None:
        add_digests(folder, full_digests(mapping, rows, list(sources)))
    return mapping, merged.speakers


def full_digests(mapping: pl.DataFrame, rows: pl.DataFrame, keys: list[str]) -> dict[str, int]:
    """Per partition key, the digest of its speaker-map rows, from every row (`warehouse.plan`
    gives the same from its speaker map: a document's mentions belong to its owner)."""
    parts = rows.select("doc_id", "_part").unique()
    by_part = digest_by(mapping.join(parts, on="doc_id"), DIGEST_COLUMNS, "_part")
    return {k: by_part.get(i, 0) for i, k in enumerate(keys)}


def merge_saving_behind(
    folder: Path,
    rows: pl.DataFrame,
    sources: dict[str, str],
    stored: Stored | None,
    owned_all: frozenset[str] = frozenset(),
) -> Merged:
    """`merge` given what `load(folder)` gave, returning before an incremental merge's store
    is written, with the speaker map made only for the partitions asked for.

    Why (a one-file increment into 100k documents): the ids of the mentions out of reach,
    looked up in the store for all 272k mention rows (~70 ms of CPU), are needed only for the
    partitions to rewrite, known once the digests give their signatures; the store (~35-50
    ms: Arrow writes, the old generation's removal) is not needed by this run, so a thread
    writes it while the caller goes on. A whole merge (no usable store: a first or large run,
    planned in a pool worker) saves before returning and makes the whole map, as before.
    `owned_all` is stored with it (`Stored.owned_all`).
    """
    merged = None if stored is None else _merge_reachable(stored, rows, sources)
    if merged is None:  # nothing stored, or it does not fit these rows: the whole merge
        mapping, speakers, forms = merge_mentions_with_forms(rows.drop("_part"))
        whole = _stored_from(sources, rows, mapping, forms, speakers)
        save(folder, replace(whole, owned_all=owned_all))
        return Merged(speakers, None, lambda parts: mapping, _done)
    speakers, new, mapping_of = merged
    new = replace(new, owned_all=owned_all)
    saving = ThreadPoolExecutor(1, thread_name_prefix="speaker-cache-save")
    future = saving.submit(save, folder, new)
    saving.shutdown(wait=False)

    def saved() -> None:
        future.result()

    return Merged(speakers, new.digests, mapping_of, saved)


def _done() -> None:
    """Nothing to wait for."""


def _kept_ids(
    rows: pl.DataFrame, reach: pl.DataFrame, kept_names: pl.DataFrame, bound: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """The stored merged ids of the mentions of names out of `reach`: (names free of their
    document, doc-bound names, the number of such mentions: each has one id if the store fits).
    """
    kept_keys = rows.join(reach, on=SPEAKER_COLUMNS, how="anti").select(MENTION_KEY).unique()
    free = kept_keys.join(
        kept_names.filter(~pl.col("doc_bound")).select(*SPEAKER_COLUMNS, "merged_id"),
        on=SPEAKER_COLUMNS,
    )
    return free, kept_keys.join(bound, on=MENTION_KEY), kept_keys.height


def _digests(
    stored: Stored,
    reached: pl.DataFrame,
    keys: list[str],
    changed: set[str],
    mapping_r: pl.DataFrame,
) -> dict[str, int] | None:
    """Each partition's speaker-map digest after an incremental merge, without hashing the
    mentions whose merged id cannot have changed (~45 ms of CPU at 100k documents).

    `reached`: the rows (with `_part`) of the names merged again (`mapping_r`), which hold
    every row of a changed partition (its names seed the reach). A changed partition's digest
    is made from its rows; another's is the stored one, less the hashes of its reached
    mentions under their stored ids, plus under their new ones. None when the store has no
    digest for an unchanged partition, or an id is missing (a store that does not fit).
    """
    old = stored.digests
    if old is None or any(k not in old for k in keys if k not in changed):
        return None
    mentions = reached.select(*MENTION_KEY, "_part").unique()
    now = mentions.join(mapping_r.select(DIGEST_COLUMNS), on=MENTION_KEY)
    in_changed = pl.col("_part").is_in([i for i, k in enumerate(keys) if k in changed])
    # the stored id of each reached mention of an unchanged partition: its name's, or its
    # own when the name is doc-bound; only the mentions whose id moved change the digest
    free = stored.names.filter(~pl.col("doc_bound")).select(*SPEAKER_COLUMNS, "merged_id")
    kept = (
        now.filter(~in_changed)
        .join(free.rename({"merged_id": "_free"}), on=SPEAKER_COLUMNS, how="left")
        .join(stored.bound.rename({"merged_id": "_bound"}), on=MENTION_KEY, how="left")
        .with_columns(pl.coalesce("_free", "_bound").alias("_old"))
    )
    if now.height != mentions.height or kept.get_column("_old").null_count():
        return None
    moved = kept.filter(pl.col("merged_id").ne_missing(pl.col("_old")))
    plus = digest_by(
        pl.concat([now.filter(in_changed), moved.select(now.columns)]), DIGEST_COLUMNS, "_part"
    )
    before = moved.select(*MENTION_KEY, pl.col("_old").alias("merged_id"), "_part")
    minus = digest_by(before, DIGEST_COLUMNS, "_part")
    return {
        k: plus.get(i, 0) if k in changed else old[k] + plus.get(i, 0) - minus.get(i, 0)
        for i, k in enumerate(keys)
    }


def _merge_reachable(
    stored: Stored, rows: pl.DataFrame, sources: dict[str, str]
) -> tuple[pl.DataFrame, Stored, Callable[[Collection[int] | None], pl.DataFrame | None]]:
    """`merge`'s speakers from `stored`, what to store next and the mapping of given
    partitions' rows (None when a kept mention has no stored result: a cache that does not
    belong to these rows)."""
    changed = {k for k, s in sources.items() if stored.sources.get(k) != s}
    changed |= set(stored.sources) - set(sources)
    in_changed = pl.col("_key").is_in(sorted(changed))
    changed_rows = rows.filter(
        pl.col("_part").is_in([i for i, k in enumerate(sources) if k in changed])
    )
    seed = pl.concat(
        [
            stored.seen.filter(in_changed).select(SPEAKER_COLUMNS),
            changed_rows.select(SPEAKER_COLUMNS),
        ]
    ).unique()
    # names no stored merge has seen come only from changed partitions: their tokens now
    new_names = seed.join(stored.names, on=SPEAKER_COLUMNS, how="anti")
    new_tokens = name_tokens(name_forms(new_names))
    tokens = pl.concat([stored.names.select(new_tokens.columns), new_tokens])
    reach = affected(seed, tokens)

    # the reachable names' mentions, merged on their own: the same ids and speakers rows
    reached = rows.join(reach, on=SPEAKER_COLUMNS, how="semi")
    mapping_r, speakers_r, forms_r = merge_mentions_with_forms(reached.drop("_part"))
    # every other name keeps its stored result
    kept_names = stored.names.join(reach, on=SPEAKER_COLUMNS, how="anti")

    def mapping_of(parts: Collection[int] | None) -> pl.DataFrame | None:
        some = rows if parts is None else rows.filter(pl.col("_part").is_in(list(parts)))
        free, bound, n_kept = _kept_ids(some, reach, kept_names, stored.bound)
        if free.height + bound.height != n_kept:
            return None
        if parts is not None:  # a mention key is one document's: in one partition
            keys = some.select(MENTION_KEY).unique()
            return pl.concat(
                [free, bound, mapping_r.join(keys, on=MENTION_KEY).select(free.columns)]
            )
        return pl.concat([free, bound, mapping_r.select(free.columns)])

    # a speaker with any reachable name is wholly reachable (its names share its cluster)
    gone = pl.concat(
        [
            stored.names.join(reach, on=SPEAKER_COLUMNS, how="semi").select("merged_id"),
            stored.bound.join(reach, on=SPEAKER_COLUMNS, how="semi").select("merged_id"),
        ]
    ).drop_nulls()
    speakers = pl.concat(
        [
            stored.speakers.join(gone, left_on="speaker_id", right_on="merged_id", how="anti"),
            speakers_r,
        ]
    )
    new = _stored_from(sources, changed_rows, mapping_r, forms_r, speakers)
    following = Stored(
        sources,
        pl.concat([kept_names, new.names.select(kept_names.columns)]),
        pl.concat([stored.bound.join(reach, on=SPEAKER_COLUMNS, how="anti"), new.bound]),
        pl.concat([stored.seen.filter(~in_changed), new.seen]),
        speakers,
        _digests(stored, reached, list(sources), changed, mapping_r),
    )
    return speakers, following, mapping_of
