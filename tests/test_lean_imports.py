"""A run imports neither pandas (Pandera, pyarrow), hypothesis (Pandera) nor trafilatura, and
Pandera still checks.

Each case runs in a fresh interpreter: in the test process another module may have imported
pandas first, and then Pandera loads its pandas API as usual (`pipeline/lean_imports.py`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLE_RAW

SCRIPT = """
import shutil, sys
from pathlib import Path

from pipeline.pool_warmup import pending_bytes

# as `claimbank run` does before it imports Dagster
assert pending_bytes(Path(sys.argv[2]), Path(sys.argv[1]) / "staging") is not None
import assets.runner  # everything `claimbank run` imports before the run starts
assert "pandas" not in sys.modules, "pandas imported"
assert "trafilatura" not in sys.modules, "trafilatura imported"
from pipeline.lean_imports import arrow_without_pandas, pandera_without_strategies

arrow_without_pandas()  # as `claimbank run` does
pandera_without_strategies()

import polars as pl
from pandera.errors import SchemaErrors

from pipeline.config import Settings
from pipeline.schemas import TABLES
from pipeline.warehouse import consolidate
from tests.test_warehouse import stage_all

root = Path(sys.argv[1])
settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
shutil.copytree(sys.argv[2], settings.input_dir)
staging, inputs = stage_all(settings)
frames = consolidate(staging, inputs)
for name, model in TABLES.items():
    model.validate(frames[name], lazy=True)
bad = frames["claims"].with_columns(pl.lit("rumour").alias("kind"))
try:
    TABLES["claims"].validate(bad, lazy=True)
except SchemaErrors as errors:
    assert "rumour" in str(errors.failure_cases["failure_case"].to_list())
else:
    raise AssertionError("a claim of kind 'rumour' passed")
assert "pandas" not in sys.modules, "pandas imported while validating"
assert "hypothesis" not in sys.modules, "hypothesis imported while validating"
import hypothesis  # still importable by anything else

print("ok", frames["claims"].height)
"""


def _run_script(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`script` in a fresh interpreter (imports are per process), on the sample article."""
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(SAMPLE_RAW)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out


def test_a_run_imports_no_pandas_and_pandera_still_checks(tmp_path: Path) -> None:
    out = _run_script(SCRIPT, tmp_path)
    assert out.stdout.startswith("ok ")
    assert int(out.stdout.split()[1]) > 10  # the sample article's claims were validated


def test_a_small_increment_runs_without_the_collector_and_gives_it_back() -> None:
    import gc

    from pipeline.lean_imports import collector_paused

    assert gc.isenabled()
    with collector_paused(True):
        assert not gc.isenabled()
    assert gc.isenabled()
    with collector_paused(False):  # a large run keeps it
        assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused(False):
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


DAEMON = """
import sys
from pathlib import Path

from pipeline.lean_imports import dagster_daemon_deferred

dagster_daemon_deferred()  # as `claimbank run` does, before it imports Dagster
from assets.runner import run_pipeline
from pipeline.config import Settings

root = Path(sys.argv[1])
settings = Settings(input_dir=Path(sys.argv[2]), warehouse_dir=root / "warehouse")
summary = run_pipeline(settings, root / "dagster")  # a real run on a real instance
assert summary.claims_by_kind, summary
late = [m for m in ("dagster._daemon.controller", "structlog", "rich") if m in sys.modules]
assert not late, late
import dagster

# the heartbeat record the run storage needs, through the package as usual
assert dagster._daemon.types.DaemonHeartbeat.__name__ == "DaemonHeartbeat"
from dagster._daemon import DagsterDaemonController  # a name of `__init__`: loaded now

assert "dagster._daemon.controller" in sys.modules and DagsterDaemonController
print("ok")
"""


def test_a_run_defers_dagster_s_daemons_and_they_still_import(tmp_path: Path) -> None:
    out = _run_script(DAEMON, tmp_path)
    assert out.stdout.strip().endswith("ok")
