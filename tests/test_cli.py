"""The real `claimbank` console script, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import Settings
from tests.conftest import REPO, SEED_DIR

CLAIMBANK = str(Path(sys.executable).parent / "claimbank")


def claimbank(
    *args: str, home: Path | None = None, relative: bool = False
) -> subprocess.CompletedProcess[str]:
    """`claimbank` by its absolute path, or (`relative`) as `./claimbank` from its folder, the
    way `make run` calls `.venv/bin/claimbank`: the fast exit must hold for both."""
    env = {**os.environ}
    if home is not None:
        env["DAGSTER_HOME"] = str(home)
    command, cwd = (["./claimbank"], Path(CLAIMBANK).parent) if relative else ([CLAIMBANK], REPO)
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


@pytest.mark.parametrize("command", [[], ["run"], ["sql"], ["eval"]])
def test_help_everywhere(command: list[str]) -> None:
    out = claimbank(*command, "--help")
    assert out.returncode == 0
    assert "Usage: claimbank" in out.stdout


def test_run_then_sql(sample_workspace: Settings, tmp_path: Path) -> None:
    wh = str(sample_workspace.warehouse_dir)
    run = claimbank(
        "run",
        "--input",
        str(sample_workspace.input_dir),
        "--warehouse",
        wh,
        home=tmp_path / "dh",
        relative=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "documents        1" in run.stdout
    assert "extract: 1/1 files" in run.stderr  # progress goes to stderr
    query = "select speaker_name, count(*) n from claims where kind <> 'author' group by 1"
    sql = claimbank("sql", query, "--warehouse", wh, "--format", "json")
    assert sql.returncode == 0, sql.stderr
    rows = {r["speaker_name"]: r["n"] for r in json.loads(sql.stdout)}
    assert rows.get("Dmytro Kuleba", 0) >= 4
    refused = claimbank("sql", "delete from claims", "--warehouse", wh)
    assert refused.returncode == 1
    assert refused.stderr.startswith("claimbank: error:") and "read-only" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    out = claimbank(
        "run",
        "--input",
        str(tmp_path / "missing"),
        "--warehouse",
        str(tmp_path / "w"),
        home=tmp_path / "dh",
    )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1].startswith("claimbank: error:")
    assert "Traceback" not in out.stderr
    missing_wh = claimbank("sql", "select 1", "--warehouse", str(tmp_path / "none"))
    assert missing_wh.returncode == 1 and "claimbank run" in missing_wh.stderr


def test_eval_on_the_seed_meets_its_targets(tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    out = claimbank(
        "eval",
        "--gold",
        str(SEED_DIR / "kharkiv_counteroffensive.gold.jsonl"),
        "--docs",
        str(SEED_DIR),
        "--predictions-out",
        str(preds),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)["metrics"]
    assert metrics["attribution"]["f1"] >= 0.9
    assert metrics["speaker_accuracy"]["value"] >= 0.9
    predictions = [json.loads(line) for line in preds.read_text().splitlines()]
    assert predictions and all(p["doc"] == "kharkiv_counteroffensive.txt" for p in predictions)
    assert not any("Baerbock" in (p["speaker"] or "") for p in predictions)


def test_eval_quantities_finds_all_nine_seed_quantities(tmp_path: Path) -> None:
    preds = tmp_path / "q.jsonl"
    out = claimbank(
        "eval",
        "--quantities",
        "--gold",
        str(SEED_DIR / "kharkiv_counteroffensive.quantities.gold.jsonl"),
        "--predictions-out",
        str(preds),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    for level in ("value", "value_unit", "value_change"):
        assert report[level]["tp"] == report[level]["n_gold"] == 9
    written = json.loads(preds.read_text().splitlines()[0])
    assert {"value", "low", "high", "unit", "normalized_unit", "change", "start", "end"} <= set(
        written["quantities"][0]
    )


def test_eval_quantities_overall_on_the_four_sets_meets_targets(shared: Path) -> None:
    sets = sorted((shared / "eval" / "quantities").glob("*.jsonl"))
    assert len(sets) == 4
    args = [a for path in sets for a in ("--gold", str(path))]
    out = claimbank("eval", "--quantities", *args, "--json")
    assert out.returncode == 0, out.stderr
    overall = json.loads(out.stdout)["overall"]
    assert overall["value"]["f1"] >= 0.90
    assert overall["value_unit"]["f1"] >= 0.85


def test_run_succeeds_when_its_reader_has_gone(sample_workspace: Settings, tmp_path: Path) -> None:
    """`claimbank run | head -1`: the summary's reader closes the pipe, the run still succeeds."""
    command = [
        CLAIMBANK,
        "run",
        "--quiet",
        "--input",
        str(sample_workspace.input_dir),
        "--warehouse",
        str(sample_workspace.warehouse_dir),
    ]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh")}
    proc = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # gone before the summary is printed: its first line meets a broken pipe
    stderr = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    assert sample_workspace.duckdb_path.exists()
