"""The speaker merge redone only where a change can reach must equal the merge from scratch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline import incremental
from pipeline.config import Settings
from pipeline.layout import part_file
from pipeline.mention_index import partition_mentions
from pipeline.partitions import scan_inputs
from pipeline.schemas import SORT_KEYS
from pipeline.speaker_cache import (
    CACHE_DIR,
    CURRENT,
    full_digests,
    load,
    merge,
    merge_saving_behind,
)
from pipeline.speaker_table import MENTION_KEY, merge_mentions
from pipeline.stage_rows import speaker_id
from pipeline.staging import Staging
from pipeline.warehouse import (
    Plan,
    changed_partitions,
    partition_tables,
    plan,
    write_partition,
    write_speakers,
    write_state,
)
from tests.corpus_sample import real_articles, write_sample


def _same_plan(a: Plan, b: Plan) -> None:
    assert a.owners.sort("doc_id").equals(b.owners.sort("doc_id"))
    keys = ["_key", *MENTION_KEY]
    assert a.speaker_map.sort(keys).equals(b.speaker_map.sort(keys))
    assert a.speakers.equals(b.speakers)
    assert a.signatures == b.signatures


def _from_scratch(staging: Staging, keys: list[str]) -> Plan:
    cache = staging.root / CACHE_DIR
    kept = cache.with_name("kept")
    shutil.copytree(cache, kept)
    shutil.rmtree(cache)
    try:
        return plan(staging, keys)
    finally:
        shutil.rmtree(cache)
        kept.rename(cache)


def _stage(settings: Settings) -> list[str]:
    staging = Staging(settings.staging_dir)
    for key, path in scan_inputs(settings.input_dir).items():
        incremental.ingest(staging, key, path, settings.input_dir, settings.max_document_bytes)
        incremental.extract(staging, key)
    return sorted(staging.keys())


def test_increments_on_real_articles_give_the_merge_from_scratch(tmp_path: Path) -> None:
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    write_sample(settings.input_dir, 24, per_file=6, n_txt=0)
    keys = _stage(settings)
    staging = Staging(settings.staging_dir)
    plan(staging, keys[:2])  # a first merge: stored
    assert load(staging.root / CACHE_DIR) is not None
    for subset in (keys, keys[1:], keys[:1] + keys[2:], keys):  # add, remove, both
        _same_plan(plan(staging, subset), _from_scratch(staging, subset))
    # a file whose key sorts first repeats an article of another file: that document changes
    # owner, so two partitions' mention rows change at once
    articles = real_articles(60)
    lines = "".join(json.dumps(a) + "\n" for a in [articles[0], *articles[40:46]])
    (settings.input_dir / "0-first.jsonl").write_text(lines, encoding="utf-8")
    keys = _stage(settings)
    the_plan = plan(staging, keys)
    _same_plan(the_plan, _from_scratch(staging, keys))
    # the store knows which partitions own the documents of all their mention rows (their
    # owner filter is skipped while unchanged): not the one that lost a document to 0-first
    owns_all = {
        k
        for k in keys
        if set(partition_mentions(staging, k).get_column("doc_id"))
        <= set(the_plan.owners.filter(pl.col("owner") == k).get_column("doc_id"))
    }
    assert len(owns_all) == len(keys) - 1
    for _ in range(2):  # (then with the filter skipped for all of those)
        stored = load(staging.root / CACHE_DIR)
        assert stored is not None and stored.owned_all == owns_all
        _same_plan(plan(staging, keys), _from_scratch(staging, keys))


def test_a_plan_for_a_warehouse_maps_only_the_partitions_it_rewrites(tmp_path: Path) -> None:
    settings = Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    write_sample(settings.input_dir, 24, per_file=6, n_txt=0)
    keys = _stage(settings)
    staging = Staging(settings.staging_dir)
    out = settings.parquet_dir
    by = ["_key", *MENTION_KEY]

    def consolidated(the_plan: Plan) -> list[str]:  # as the `tables` asset does
        rewrite, _ = changed_partitions(out, the_plan)
        write_speakers(the_plan.speakers, out)
        for key in rewrite:
            write_partition(partition_tables(staging, key, the_plan), out, key)
        write_state(out, the_plan.signatures)
        return rewrite

    assert consolidated(plan(staging, keys[:2], out)) == keys[:2]  # a whole merge: all rows
    for subset, lost in ((keys, None), (keys[1:], None), (keys, keys[-1])):
        if lost is not None:  # a partition with a file missing is rewritten: its map is made
            part_file(out, "claims", lost).unlink()
        scratch = _from_scratch(staging, subset)
        the_plan = plan(staging, subset, out)
        assert the_plan.signatures == scratch.signatures
        assert the_plan.speakers.equals(scratch.speakers)
        rewrite, _ = changed_partitions(out, the_plan)
        assert len(rewrite) < len(subset)  # (adding: the new ones; removing: none here)
        assert subset != keys or rewrite
        assert lost is None or lost in rewrite
        expected = scratch.speaker_map.filter(pl.col("_key").is_in(rewrite))
        assert the_plan.speaker_map.sort(by).equals(expected.sort(by))
        assert consolidated(the_plan) == rewrite


def _rows(key: str, doc: str, *names: str) -> list[dict]:
    return [
        {
            "doc_id": doc,
            "speaker_id": speaker_id(name, "person"),
            "speaker_name": name,
            "speaker_type": "person",
            "source_text": name,
            "n": 1,
            "_key": key,
        }
        for name in names
    ]


def _frame(rows: list[dict]) -> pl.DataFrame:
    schema = {c: pl.String for c in ["doc_id", *MENTION_KEY[1:], "source_text", "_key"]}
    return pl.DataFrame(rows, schema={**schema, "n": pl.Int64})


def _merged(
    folder: Path, rows: list[dict], incremental: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`merge` of `rows`, checked against the merge from scratch; `incremental`: the stored
    merge must have been used, digests included."""
    frame = _frame(rows)
    keys = sorted(frame["_key"].unique())
    sources = {
        k: json.dumps(sorted(map(str, frame.filter(pl.col("_key") == k).rows()))) for k in keys
    }
    # each row's partition as its position in `sources`, as `warehouse.plan` passes them
    position = pl.col("_key").replace_strict(keys, range(len(keys)), return_dtype=pl.UInt32)
    rows_part = frame.with_columns(position.alias("_part")).drop("_key")
    if incremental:
        before = load(folder)
        assert before is not None and before.digests is not None
        behind = merge_saving_behind(folder, rows_part, sources, before)
        behind.saved()
        digests = behind.digests
        assert digests is not None  # kept up to date, not made from every row
        # the speaker map of some partitions: their rows of the whole map
        for some in ([0], [len(keys) - 1], [0, len(keys) - 1]):
            mapping_some = behind.mapping(some)
            assert mapping_some is not None
            doc_ids = rows_part.filter(pl.col("_part").is_in(some)).select("doc_id").unique()
            full = merge_mentions(frame.drop("_key"))[0].join(doc_ids, on="doc_id")
            assert mapping_some.sort(MENTION_KEY).equals(full.sort(MENTION_KEY))
    mapping, speakers = merge(folder, rows_part, sources)
    full_mapping, full_speakers = merge_mentions(frame.drop("_key"))
    assert mapping.sort(MENTION_KEY).equals(full_mapping.sort(MENTION_KEY))
    # the digests stored for the next merge (kept up to date when incremental) are those of
    # the mapping from scratch
    stored = load(folder)
    assert stored is not None
    assert stored.digests == full_digests(full_mapping, rows_part, keys)
    if incremental:
        assert digests == stored.digests
    by = SORT_KEYS["speakers"]
    assert speakers.sort(by).equals(full_speakers.sort(by))
    return mapping, full_speakers


@pytest.mark.parametrize(
    ("before", "added"),
    [
        # a surname alone merges into the one "... Smith" of the corpus, until a second comes
        (["Smith"], ["Jane Smith"]),
        # a two-word name turns "Acme Donald Trump" into Donald Trump (junk in front)
        (["Acme Donald Trump", "Mike Pence"], ["Donald Trump"]),
        # a second middle initial splits George Bush
        (["George W. Bush", "George Bush"], ["George H. W. Bush"]),
    ],
)
def test_a_new_partition_reaches_names_in_other_partitions(
    tmp_path: Path, before: list[str], added: list[str]
) -> None:
    rows = _rows("a", "d1", *before) + _rows("b", "d2", "John Smith", "Bush")
    old_mapping, _ = _merged(tmp_path, rows)
    new_mapping, _ = _merged(tmp_path, rows + _rows("c", "d3", *added), incremental=True)
    # the new names changed merged ids in the partitions that did not change
    old_ids = old_mapping.filter(pl.col("doc_id") != "d3").sort(MENTION_KEY)
    new_ids = new_mapping.filter(pl.col("doc_id") != "d3").sort(MENTION_KEY)
    assert not old_ids.equals(new_ids)
    # and back: the partition removed again
    again, _ = _merged(tmp_path, rows, incremental=True)
    assert again.sort(MENTION_KEY).equals(old_mapping.sort(MENTION_KEY))


def test_a_cache_from_other_code_or_damaged_is_not_used(tmp_path: Path) -> None:
    rows = _rows("a", "d1", "Smith") + _rows("b", "d2", "John Smith")
    _merged(tmp_path, rows)
    current = json.loads((tmp_path / CURRENT).read_text())
    (tmp_path / CURRENT).write_text(json.dumps({**current, "code": "other"}))
    assert load(tmp_path) is None
    _merged(tmp_path, rows + _rows("c", "d3", "Jane Smith"))  # a full merge, stored again
    assert load(tmp_path) is not None
    generation = json.loads((tmp_path / CURRENT).read_text())["generation"]
    (tmp_path / generation / "names.arrow").unlink()
    assert load(tmp_path) is None
    _merged(tmp_path, rows)


def test_a_cache_missing_a_kept_name_gives_the_whole_merge(tmp_path: Path) -> None:
    rows = _rows("a", "d1", "Mike Pence") + _rows("b", "d2", "John Smith")
    _merged(tmp_path, rows)
    generation = json.loads((tmp_path / CURRENT).read_text())["generation"]
    names = tmp_path / generation / "names.arrow"
    pl.read_ipc(names).filter(pl.col("speaker_name") != "Mike Pence").write_ipc(names)
    # partition a is unchanged and out of the new name's reach: its stored result is missing
    _merged(tmp_path, rows + _rows("c", "d3", "Angela Merkel"))


def test_an_incremental_store_written_behind_is_complete_once_waited_for(tmp_path: Path) -> None:
    rows = _rows("a", "d1", "Mike Pence") + _rows("b", "d2", "John Smith")
    _merged(tmp_path / "cache", rows)
    frame = _frame(rows + _rows("c", "d3", "Jane Smith"))
    keys = ["a", "b", "c"]
    sources = {
        k: f"{k}-v2"
        if k == "c"
        else json.dumps(sorted(map(str, frame.filter(pl.col("_key") == k).rows())))
        for k in keys
    }
    part = pl.col("_key").replace_strict(keys, range(3), return_dtype=pl.UInt32)
    rows_in = frame.with_columns(part.alias("_part")).drop("_key")
    stored = load(tmp_path / "cache")
    assert stored is not None
    merge_saving_behind(tmp_path / "cache", rows_in, sources, stored).saved()
    after = load(tmp_path / "cache")
    assert after is not None and after.sources == sources
    # a store that cannot be written fails the wait, not silently
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    behind = merge_saving_behind(blocked, rows_in, sources, stored)
    with pytest.raises(OSError):
        behind.saved()
