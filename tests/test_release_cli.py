"""`claimbank release` and the Dagster `release` asset on the sample warehouse.

The asset must stay out of `claimbank_job` (so neither the schedule nor the sensor cuts a
release), and the card's accuracy must come from the eval JSON when one is given.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
from click.testing import CliRunner

from assets.cli import main
from assets.definitions import defs
from assets.release import release
from assets.resources import ClaimbankSettings
from pipeline.config import Settings
from pipeline.evaluate.report import run_attribution_eval
from tests.conftest import SEED_DIR, SEED_TEXT
from tests.test_warehouse import build


def test_cli_release_with_eval_json(sample_workspace: Settings, tmp_path: Path) -> None:
    build(sample_workspace)
    eval_json = tmp_path / "polnear-like.json"
    gold = SEED_DIR / f"{SEED_TEXT.stem}.gold.jsonl"
    eval_json.write_text(run_attribution_eval(gold, SEED_DIR, None, True, False))
    f1 = json.loads(eval_json.read_text())["metrics"]["attribution"]["f1"]
    args = ["release", "--version", "0.2.0-rc1", "--out", str(tmp_path / "out")]
    args += ["--warehouse", str(sample_workspace.warehouse_dir), "--eval-json", str(eval_json)]
    result = CliRunner().invoke(main, [*args, "--date", "2026-01-31"])
    assert result.exit_code == 0, result.output
    root = tmp_path / "out" / "0.2.0-rc1"
    assert f"Claimbank release 0.2.0-rc1: {root}" in result.output
    card = (root / "README.md").read_text(encoding="utf-8")
    accuracy = card.split("## Accuracy", 1)[1].split("## ", 1)[0]
    assert "`polnear-like.json`" in accuracy and f"| {f1:.3f} |" in accuracy
    assert "date-released: 2026-01-31" in (root / "CITATION.cff").read_text()
    croissant = json.loads((root / "croissant.json").read_text())
    assert croissant["datePublished"] == "2026-01-31" and croissant["version"] == "0.2.0-rc1"

    bad = CliRunner().invoke(main, ["release", "--version", "v1", "--out", str(tmp_path)])
    assert bad.exit_code == 1 and "claimbank: error: version 'v1'" in bad.output


def test_release_asset_is_on_demand_only(sample_workspace: Settings, tmp_path: Path) -> None:
    job = defs.resolve_job_def("claimbank_job")
    assert dg.AssetKey("release") not in job.asset_layer.executable_asset_keys
    assert defs.resolve_assets_def("release").group_names_by_key[dg.AssetKey("release")] == (
        "release"
    )
    build(sample_workspace)
    settings = ClaimbankSettings(
        input_dir=str(sample_workspace.input_dir),
        warehouse_dir=str(sample_workspace.warehouse_dir),
    )
    out = tmp_path / "releases"
    result = dg.materialize(
        [release],
        resources={"settings": settings},
        run_config={"ops": {"release": {"config": {"version": "0.1.0", "out_dir": str(out)}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    metadata = result.asset_materializations_for_node("release")[0].metadata
    assert metadata["rows/documents"].value == 1
    manifest = json.loads((out / "0.1.0" / "manifest.json").read_text())
    assert manifest["tables"]["claims"]["rows"] == metadata["rows/claims"].value > 0
    card = (out / "0.1.0" / "README.md").read_text()
    assert "seed gold" in card.split("## Accuracy", 1)[1]  # no eval JSON: scored on the seed


def test_accuracy_says_not_measured_without_eval_or_gold(tmp_path: Path) -> None:
    from pipeline.release.accuracy import measure

    for seed_dir in (None, tmp_path):  # no folder, or a folder without gold files
        accuracy = measure((), seed_dir)
        assert not accuracy.measured and accuracy.source.startswith("Not measured")
    assert measure((), SEED_DIR).measured
