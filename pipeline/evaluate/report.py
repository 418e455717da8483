"""What `claimbank eval` prints and writes: metrics tables, the error breakdown, predictions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline.evaluate.quantities import (
    load_quantity_gold,
    predict_quantity_sentences,
    score_quantities,
)
from pipeline.evaluate.run import evaluate_attributions, format_breakdown


def write_jsonl(rows: Iterable[Mapping[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_attribution_eval(
    gold_path: Path,
    docs_dir: Path,
    predictions_out: Path | None,
    as_json: bool,
    with_breakdown: bool,
) -> str:
    report, errors, predictions = evaluate_attributions(gold_path, docs_dir)
    if predictions_out is not None:
        write_jsonl(predictions, predictions_out)
    if as_json:
        return json.dumps({"metrics": report.to_dict(), "breakdown": errors}, indent=2)
    parts = [f"gold {gold_path} · documents {docs_dir}", report.format_table()]
    if with_breakdown:
        parts.append(format_breakdown(errors))
    if predictions_out is not None:
        parts.append(f"predictions written to {predictions_out}")
    return "\n\n".join(parts)


def run_quantity_eval(
    gold_paths: list[Path], docs_dir: Path | None, predictions_out: Path | None, as_json: bool
) -> str:
    """Score each gold file, then all of them together ("overall") when there are several."""
    all_gold: list[dict[str, Any]] = []
    all_predicted: list[dict[str, Any]] = []
    reports = {}
    for path in gold_paths:
        gold = load_quantity_gold(path, docs_dir)
        predicted = predict_quantity_sentences(gold)
        reports[str(path)] = score_quantities(gold, predicted)
        all_gold += gold
        all_predicted += predicted
    if len(gold_paths) > 1:
        reports["overall"] = score_quantities(all_gold, all_predicted)
    if predictions_out is not None:
        write_jsonl(all_predicted, predictions_out)
    if as_json:
        if len(gold_paths) == 1:
            return json.dumps(reports[str(gold_paths[0])].to_dict(), indent=2)
        return json.dumps({name: r.to_dict() for name, r in reports.items()}, indent=2)
    return "\n\n".join(f"gold {name}\n{r.format_table()}" for name, r in reports.items())
