"""A pool started early splits a small extraction over its workers, same rows, then stops.

Each case runs in a fresh interpreter: the shared pool and the frozen GC generation are
per process, and the test process may already hold a pool from another test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.corpus_sample import real_articles

SPLIT = """
import json, os, sys
from pathlib import Path

from pipeline import incremental, parallel
from pipeline.partitions import scan_inputs
from pipeline.pool_warmup import start_if_work, warm_up
from pipeline.staging import Staging

root, early = Path(sys.argv[1]), sys.argv[2] == "early"
staging = Staging(root / "staging")
inputs = scan_inputs(root / "raw")
started = start_if_work(root / "raw", root / "staging") if early else False
for key, path in inputs.items():
    incremental.ingest(staging, key, path, root / "raw", 5_000_000)
(key,) = inputs
outcome = incremental.extract(staging, key)
frames = {t: staging.read(t, [key]) for t in incremental.BATCH_TABLES}
print(json.dumps({
    "started": started,
    "pool_after": parallel.pool_started(),
    "rows": outcome.rows,
    "digest": {t: int(f.hash_rows().sum()) for t, f in frames.items()},
}))
"""


def _extract(root: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SPLIT, str(root), mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMBANK_WORKERS": "2"},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_early_pool_extracts_a_small_file_like_the_run_process(tmp_path: Path) -> None:
    rows = real_articles(160)
    for mode in ("early", "serial"):
        raw = tmp_path / mode / "raw"
        raw.mkdir(parents=True)
        with (raw / "new.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row) + "\n" for row in rows)
    early = _extract(tmp_path / "early", "early")
    serial = _extract(tmp_path / "serial", "serial")
    assert early["started"] and not serial["started"]
    # the pool started for a file this small is gone once its batches are back, so the
    # rest of the run (plan, DuckDB) stays in-process as without the early start
    assert not early["pool_after"]
    assert early["rows"]["claims"] > 100
    assert early["rows"] == serial["rows"]
    assert early["digest"] == serial["digest"]


GC = """
import gc, sys
from pipeline.lean_imports import imports_kept_out_of_gc

with imports_kept_out_of_gc("assets.runner"):
    assert not gc.isenabled()  # no full collection while Dagster's objects are created
    import assets.runner
frozen = gc.get_freeze_count()
with imports_kept_out_of_gc("assets.runner"):  # imported already: nothing is frozen again
    assert gc.isenabled()
    garbage = [[] for _ in range(1000)]
print(gc.isenabled(), frozen, gc.get_freeze_count() == frozen)
"""


def test_a_run_imports_dagster_outside_the_cyclic_gc() -> None:
    out = subprocess.run([sys.executable, "-c", GC], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    enabled, frozen, unchanged = out.stdout.split()
    assert enabled == "True" and unchanged == "True"
    assert int(frozen) > 100_000  # Dagster & co. are in the permanent generation


def test_a_pool_whose_warm_up_failed_is_not_used() -> None:
    probe = (
        "import math\n"
        "from pipeline import parallel\n"
        "parallel.start_in_background(math.factorial)  # fails: no argument\n"
        "print(parallel.pool_started(), parallel.pool_warmed_up(), parallel.pool_started())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMBANK_WORKERS": "2"},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    # started, its warm-up failed, so it is stopped: the extraction then runs in-process
    assert out.stdout.split() == ["True", "False", "False"]


def test_too_little_to_extract_starts_no_early_pool(tmp_path: Path) -> None:
    """The demo input (one article) is extracted in-process: no workers start for it."""
    from pipeline.pool_warmup import EARLY_MIN_BYTES, pending_bytes, start_if_work

    raw = REPO / "data" / "raw"
    size = pending_bytes(raw, tmp_path / "staging")
    assert size is not None and 0 < size < EARLY_MIN_BYTES
    assert not start_if_work(raw, tmp_path / "staging")
