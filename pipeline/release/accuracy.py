"""The card's accuracy section: measured numbers only, and always where they came from.

Order of preference: eval results the user produced with `claimbank eval --json` and passed to
the release (`--eval-json`, any number of files, attribution or quantity results); else the seed
gold in `../shared/seed`, scored at release time (one annotated article: a smoke test, not a
benchmark, and the card says so); else "not measured".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import REPO_ROOT

DEFAULT_SEED_DIR = REPO_ROOT.parent / "shared" / "seed"
QUANTITY_GOLD_SUFFIX = ".quantities.gold.jsonl"
GOLD_SUFFIX = ".gold.jsonl"


@dataclass(frozen=True, slots=True)
class Measurement:
    """One scored gold set: attribution metrics (`claimbank eval`) or quantity metrics."""

    label: str
    kind: str  # "attribution" or "quantities"
    metrics: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Accuracy:
    source: str  # where the numbers come from, shown in the card
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return bool(self.measurements)


def _from_eval_json(path: Path) -> list[Measurement]:
    """Parse `claimbank eval --json` output (attribution, or quantities for one or more files)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not the JSON that `claimbank eval --json` writes")
    if isinstance(data.get("metrics"), dict) and "attribution" in data["metrics"]:
        return [Measurement(path.name, "attribution", data["metrics"])]
    if "value" in data and "n_gold" in data:
        return [Measurement(path.name, "quantities", data)]
    if data and all(isinstance(v, dict) and "value" in v for v in data.values()):
        # several quantity gold files: keep the overall score when there is one
        name = "overall" if "overall" in data else next(iter(data))
        metrics = data[name]
        return [Measurement(f"{path.name} ({Path(name).name})", "quantities", metrics)]
    raise ValueError(f"{path}: not the JSON that `claimbank eval --json` writes")


def _from_seed(seed_dir: Path) -> list[Measurement]:
    from pipeline.evaluate.quantities import (
        load_quantity_gold,
        predict_quantity_sentences,
        score_quantities,
    )
    from pipeline.evaluate.run import evaluate_attributions

    out = []
    for gold in sorted(seed_dir.glob(f"*{GOLD_SUFFIX}")):
        if gold.name.endswith(QUANTITY_GOLD_SUFFIX):
            sentences = load_quantity_gold(gold, seed_dir)
            report = score_quantities(sentences, predict_quantity_sentences(sentences))
            out.append(Measurement(gold.name, "quantities", report.to_dict()))
        else:
            report, _, _ = evaluate_attributions(gold, seed_dir)
            out.append(Measurement(gold.name, "attribution", report.to_dict()))
    return out


def measure(
    eval_json: list[Path] | tuple[Path, ...] = (), seed_dir: Path | None = None
) -> Accuracy:
    """Accuracy for the card: user-supplied eval results, else the seed scored now, else none."""
    if eval_json:
        measurements = [m for path in eval_json for m in _from_eval_json(path)]
        names = ", ".join(f"`{p.name}`" for p in eval_json)
        return Accuracy(
            f"`claimbank eval --json` results supplied at release time ({names}).", measurements
        )
    if seed_dir is not None and seed_dir.is_dir() and any(seed_dir.glob(f"*{GOLD_SUFFIX}")):
        return Accuracy(
            "Scored at release time on the project's seed gold (one annotated article). "
            "One article is a smoke test, not a benchmark, and the extractor was developed "
            "against it: expect lower numbers on other news.",
            _from_seed(seed_dir),
        )
    return Accuracy("Not measured: no evaluation results were given and no gold data was found.")
