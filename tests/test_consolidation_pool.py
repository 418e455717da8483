"""A full run consolidates on a pool of its own whose workers keep freed pages 200 ms."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import assets
from assets.warehouse import full_consolidation
from pipeline.consolidate import consolidate_written, plan_dir, plan_on_disk
from pipeline.consolidation_pool import (
    ALLOCATOR_VARIABLE,
    CONSOLIDATION_ALLOCATOR,
    RUN_ALLOCATOR,
    ConsolidationPool,
    consolidation_allocator,
)
from pipeline.warehouse import write_speakers
from tests.test_consolidate import assert_same_files, planned_with_serial_files


def allocator_in_worker(_: int) -> str | None:
    """What a consolidating worker's allocator was set to (read in the worker)."""
    return os.environ.get(ALLOCATOR_VARIABLE)


def test_only_the_runs_own_allocator_setting_is_replaced() -> None:
    assert RUN_ALLOCATOR == assets.RETURN_AT_ONCE
    polars_prefixed = f"{assets.POLARS_DEFAULT_ALLOCATOR},{RUN_ALLOCATOR}"
    assert consolidation_allocator(polars_prefixed) == CONSOLIDATION_ALLOCATOR
    assert consolidation_allocator(RUN_ALLOCATOR) == CONSOLIDATION_ALLOCATOR
    assert consolidation_allocator("dirty_decay_ms:5000") is None  # the user's
    assert consolidation_allocator(assets.POLARS_DEFAULT_ALLOCATOR) is None  # a small increment
    assert consolidation_allocator(None) is None


def test_the_pool_is_for_runs_that_consolidate_most_partitions_anew() -> None:
    keys = {f"k{i}" for i in range(10)}
    assert full_consolidation(set(), keys, pool_running=True)
    assert not full_consolidation(set(), keys, pool_running=False)  # a small run: no pool
    assert not full_consolidation(keys - {"k0"}, keys, pool_running=True)  # one new file
    assert not full_consolidation(keys - {"k0", "k1", "k2"}, keys, pool_running=True)
    assert not full_consolidation(set(), {"k0"}, pool_running=True)


def test_the_pool_writes_the_same_files_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging, keys, _, serial = planned_with_serial_files(tmp_path)
    pooled = tmp_path / "pooled"
    monkeypatch.setenv(ALLOCATOR_VARIABLE, f"{assets.POLARS_DEFAULT_ALLOCATOR},{RUN_ALLOCATOR}")
    with ConsolidationPool() as pool:
        assert not pool.started
        pool.start()
        # polars, once loaded in the worker, puts its defaults in front: the last one wins
        for setting in pool.map(allocator_in_worker, [1, 2]):
            assert setting is not None and setting.endswith(CONSOLIDATION_ALLOCATOR)
        light = plan_on_disk(staging, keys)
        write_speakers(light.speakers, pooled)
        results = list(consolidate_written(staging, pooled, keys, set(keys), pool))
    assert not pool.started
    assert [r.key for r in results] == keys and all(r.passed for r in results)
    assert_same_files(serial, pooled, keys)
    assert not plan_dir(staging).exists()
