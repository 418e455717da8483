"""Which partitions a `claimbank run` visits: only those with work, so an increment costs little.

A run over an up-to-date warehouse has nothing pending; a new file, a touched file and a staged
part that changed since it passed its checks each make exactly their partition pending, and
the run's partition range is the shortest one covering them. Real pipeline, real articles.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.runner import run_pipeline, run_range
from pipeline.config import Settings
from pipeline.extraction import EXTRACTOR_VERSION
from pipeline.incremental import pending
from pipeline.partitions import scan_inputs
from pipeline.pool_warmup import pending_bytes
from pipeline.small_increment import small_increment
from pipeline.staging import Staging
from tests.conftest import REPO
from tests.corpus_sample import real_articles, write_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    root = tmp_path_factory.mktemp("range")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    write_sample(settings.input_dir, 8, per_file=3, n_txt=2)
    run_pipeline(settings, root / "dagster")
    return settings, root


def _pending(settings: Settings) -> set[str]:
    return pending(Staging(settings.staging_dir), scan_inputs(settings.input_dir))


def _run_allocator(settings: Settings) -> str:
    """The allocator setting `claimbank run` would give polars for this warehouse."""
    probe = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "import assets.cli\n"
        "from pipeline.config import Settings\n"
        "settings = Settings(input_dir=Path(sys.argv[1]), warehouse_dir=Path(sys.argv[2]))\n"
        "assets.cli._allocator_for_small_increment(settings)\n"
        "print(os.environ['_RJEM_MALLOC_CONF'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    argv = [sys.executable, "-c", probe, str(settings.input_dir), str(settings.warehouse_dir)]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=REPO, check=True)
    return out.stdout.strip()


def test_an_up_to_date_warehouse_has_nothing_pending(built) -> None:
    settings, _ = built
    assert _pending(settings) == set()
    assert pending_bytes(settings.input_dir, settings.staging_dir) is None  # no early pool either
    assert not small_increment(settings.input_dir, settings.staging_dir, EXTRACTOR_VERSION)
    assert _run_allocator(settings) == "dirty_decay_ms:0,muzzy_decay_ms:0"  # ours, by default


def test_a_new_file_is_the_only_pending_partition_and_the_run_covers_only_it(built) -> None:
    settings, root = built
    new = settings.input_dir / "zz-range-new.txt"
    new.write_text(real_articles(40)[39]["text"], encoding="utf-8")
    todo = _pending(settings)
    assert len(todo) == 1 and next(iter(todo)).startswith("zz-range-new")
    assert pending_bytes(settings.input_dir, settings.staging_dir) is not None
    assert small_increment(settings.input_dir, settings.staging_dir, EXTRACTOR_VERSION)
    # another extractor version: every file is extracted again, a large run
    assert not small_increment(settings.input_dir, settings.staging_dir, "0.0.0-other")
    assert _run_allocator(settings) == "dirty_decay_ms:500,muzzy_decay_ms:1000"  # polars' own
    run_pipeline(settings, root / "dagster")
    with dg.DagsterInstance.from_config(str(root / "dagster")) as instance:
        run = instance.get_runs(limit=1)[0]
    assert run.tags["dagster/asset_partition_range_start"] == next(iter(todo))
    assert run.tags["dagster/asset_partition_range_end"] == next(iter(todo))
    assert _pending(settings) == set()


def test_a_touched_file_and_a_rewritten_part_are_pending(built) -> None:
    settings, root = built
    inputs = scan_inputs(settings.input_dir)
    touched, rewritten = sorted(inputs)[:2]
    stat = inputs[touched].stat()
    os.utime(inputs[touched], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    part = Staging(settings.staging_dir).part_path("claims", rewritten)
    pl.read_parquet(part).write_parquet(part)  # same rows, not the part that passed its checks
    assert _pending(settings) == {touched, rewritten}
    run_pipeline(settings, root / "dagster")
    assert _pending(settings) == set()


def test_run_range_is_the_shortest_covering_range() -> None:
    ordered = ["a", "b", "c", "d", "e"]
    assert run_range(ordered, {"b", "d"}) == ["b", "c", "d"]
    assert run_range(ordered, {"e"}) == ["e"]
    assert run_range(ordered, set()) == ["e"]
    assert run_range(ordered, {"gone", "a"}) == ["a"]
