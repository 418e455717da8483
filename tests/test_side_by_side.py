"""The bench's side-by-side: both systems timed in fresh processes, the median reported."""

from __future__ import annotations

from statistics import median

from benchmarks.report import _rounds
from benchmarks.run import SHARED, extraction_side_by_side

SEED = SHARED / "seed" / "kharkiv_counteroffensive.txt"


def test_side_by_side_reports_the_median_of_fresh_process_passes() -> None:
    text = SEED.read_text(encoding="utf-8")
    paragraphs = [line for line in text.splitlines() if len(line) > 80]
    texts, warm_up = paragraphs[2:6], paragraphs[:2]
    side = extraction_side_by_side(texts, warm_up, rounds=3)
    assert side["documents"] == 4
    assert len(side["claimbank_rounds_s"]) == len(side["baseline_rounds_s"]) == 3
    assert side["claimbank_s"] == median(side["claimbank_rounds_s"]) > 0
    assert side["baseline_s"] == median(side["baseline_rounds_s"]) > 0
    assert side["claimbank_mb_s"] == side["mb"] / side["claimbank_s"]
    assert 0 < side["claimbank_extract_only_s"] <= max(side["claimbank_rounds_s"])
    assert _rounds(side).startswith("median of 3 passes")
