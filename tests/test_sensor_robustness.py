"""The input sensor under stress: files still being written, deleted or renamed, 10,000 files.

`plan_tick` is the sensor's decision as a pure function of (previous state, files on disk,
now), so time can pass without touching the files; the Dagster-level tests run the real sensor
on a real (test) instance.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.resources import ClaimbankSettings
from assets.sensors import (
    QUIET_SECONDS,
    SETTLE_SECONDS,
    Observation,
    SensorState,
    new_input_files,
    observe,
    plan_tick,
)
from pipeline.config import Settings

T0 = 1_000_000.0


def test_a_growing_file_waits_until_size_and_mtime_settle() -> None:
    state = SensorState()
    tick = plan_tick(state, {"a": Observation("10:1", T0 - 0.5)}, T0)
    assert tick.changed == []  # modified half a second ago: being written
    tick = plan_tick(tick.state, {"a": Observation("900:2", T0 + 29)}, T0 + 30)
    assert tick.changed == []  # it grew since the last tick
    tick = plan_tick(tick.state, {"a": Observation("900:2", T0 + 29)}, T0 + 60)
    assert tick.changed == ["a"]  # same size and mtime as last tick, and quiet: settled
    tick = plan_tick(tick.state, {"a": Observation("900:2", T0 + 29)}, T0 + 90)
    assert tick.changed == [] and tick.deleted == []  # never asked twice


def test_a_writer_pausing_longer_than_the_settle_time_is_not_caught_half_way() -> None:
    first = plan_tick(SensorState(), {"a": Observation("10:1", T0 - 5)}, T0)
    assert T0 - (T0 - 5) > SETTLE_SECONDS and first.changed == []  # first sighting: wait
    grown = plan_tick(first.state, {"a": Observation("20:2", T0 + 25)}, T0 + 30)
    assert grown.changed == []
    done = plan_tick(grown.state, {"a": Observation("20:2", T0 + 25)}, T0 + 60)
    assert done.changed == ["a"]


def test_an_old_file_is_settled_at_first_sight() -> None:
    tick = plan_tick(SensorState(), {"a": Observation("10:1", T0 - QUIET_SECONDS)}, T0)
    assert tick.changed == ["a"]


def test_a_changed_file_keeps_its_old_fingerprint_until_the_new_one_settles() -> None:
    state = SensorState(done={"a": "10:1"})
    tick = plan_tick(state, {"a": Observation("20:2", T0 - 1)}, T0)
    assert tick.changed == [] and tick.state.done == {"a": "10:1"}
    tick = plan_tick(tick.state, {"a": Observation("20:2", T0 - 1)}, T0 + 30)
    assert tick.changed == ["a"] and tick.state.done == {"a": "20:2"}


def test_deleted_files_are_reported_once() -> None:
    state = SensorState(done={"a": "1:1", "b": "2:2"})
    tick = plan_tick(state, {"a": Observation("1:1", T0 - 100)}, T0)
    assert tick.deleted == ["b"] and tick.changed == []
    assert plan_tick(tick.state, {"a": Observation("1:1", T0 - 100)}, T0 + 30).deleted == []


def test_a_file_vanishing_between_listing_and_stat_is_skipped(tmp_path: Path) -> None:
    there = tmp_path / "there.txt"
    there.write_text("x")
    seen = observe({"there": there, "gone": tmp_path / "gone.txt"})
    assert list(seen) == ["there"]


def test_cursors_round_trip_and_old_or_broken_ones_do_not_crash() -> None:
    state = SensorState(done={"a": "1:1"}, pending={"b": "2:2"})
    assert SensorState.decode(state.encode()) == state
    assert SensorState.decode('{"a": "1:1"}') == SensorState(done={"a": "1:1"})  # first format
    assert SensorState.decode("z1:not-base85-~~~") == SensorState()


def _age(paths: list[Path], seconds: float = 2 * QUIET_SECONDS) -> None:
    old = time.time() - seconds
    for path in paths:
        os.utime(path, (old, old))


def _tick(instance: dg.DagsterInstance, settings: Settings, cursor: str | None):
    resource = ClaimbankSettings(
        input_dir=str(settings.input_dir), warehouse_dir=str(settings.warehouse_dir)
    )
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": resource}
    )
    result = new_input_files(context)
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions("input_files", list(request.partition_keys))
    return result


def test_ten_thousand_files_make_one_run_and_one_registration(
    workspace: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for i in range(10_000):
        folder = workspace.input_dir / f"batch{i // 1000}"
        folder.mkdir(exist_ok=True)
        path = folder / f"article{i:05d}.txt"
        path.write_text(f"Article {i}. The minister said the plan would work.")
        paths.append(path)
    _age(paths)
    with dg.instance_for_test() as instance:
        started = time.perf_counter()
        first = _tick(instance, workspace, None)
        first_seconds = time.perf_counter() - started
        assert len(first.run_requests) == 1
        keys = instance.get_dynamic_partitions("input_files")
        assert len(keys) == len(set(keys)) == 10_000
        tags = first.run_requests[0].tags
        assert tags["dagster/asset_partition_range_start"] == keys[0]
        assert tags["dagster/asset_partition_range_end"] == keys[-1]
        assert len(first.cursor) < 200_000  # compressed: 10,000 fingerprints
        started = time.perf_counter()
        second = _tick(instance, workspace, first.cursor)
        idle_seconds = time.perf_counter() - started
        assert second.run_requests == [] and second.dynamic_partitions_requests == []
    with capsys.disabled():  # a measurement for the report, not an assertion
        print(
            f"\n  sensor tick on 10,000 files: first {first_seconds:.2f} s, "
            f"unchanged {idle_seconds:.2f} s, cursor {len(first.cursor):,} chars"
        )


def test_delete_and_rename_make_one_run_over_old_and_new_names(workspace: Settings) -> None:
    names = ["keep.txt", "drop.txt", "old-name.txt"]
    for name in names:
        (workspace.input_dir / name).write_text(f"{name}: the minister said so.")
    _age([workspace.input_dir / n for n in names])
    with dg.instance_for_test() as instance:
        first = _tick(instance, workspace, None)
        before = {k.split("-txt-")[0]: k for k in instance.get_dynamic_partitions("input_files")}
        (workspace.input_dir / "drop.txt").unlink()
        (workspace.input_dir / "old-name.txt").rename(workspace.input_dir / "new-name.txt")
        again = _tick(instance, workspace, first.cursor)
        assert len(again.run_requests) == 1
        request = again.run_requests[0]
        assert request.run_key != first.run_requests[0].run_key
        added = [k for r in again.dynamic_partitions_requests for k in r.partition_keys]
        assert [k.split("-txt-")[0] for k in added] == ["new-name"]
        order = instance.get_dynamic_partitions("input_files")
        start = order.index(request.tags["dagster/asset_partition_range_start"])
        end = order.index(request.tags["dagster/asset_partition_range_end"])
        covered = set(order[start : end + 1])
        assert {before["drop"], before["old-name"], added[0]} <= covered
        replay = _tick(instance, workspace, first.cursor)  # the same tick evaluated again
        assert replay.run_requests[0].run_key == request.run_key  # Dagster dedupes it
        assert _tick(instance, workspace, again.cursor).run_requests == []
