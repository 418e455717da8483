"""The bench's side-by-side: each pass timed in a fresh process, the median reported.

The spaCy baseline belongs to the `bench` dependency group, which the tests do not install, so
these check Claimbank's pass and the report of the rounds.
"""

from __future__ import annotations

import os

from benchmarks.report import _rounds
from benchmarks.run import SHARED, _in_fresh_process
from benchmarks.side_pass import claimbank_pass

SEED = SHARED / "seed" / "kharkiv_counteroffensive.txt"


def _pid() -> int:
    return os.getpid()


def test_a_pass_runs_in_a_process_of_its_own() -> None:
    first, second = _in_fresh_process(_pid), _in_fresh_process(_pid)
    assert len({first, second, os.getpid()}) == 3


def test_claimbank_pass_times_raw_text_and_extraction_alone() -> None:
    paragraphs = [line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 80]
    seconds, extract_only = _in_fresh_process(claimbank_pass, paragraphs[2:], paragraphs[:2])
    # both timed, neither compared with the other: a few ms each, which load can reorder
    assert seconds > 0 and extract_only > 0


def test_report_gives_the_median_and_the_spread_of_the_passes() -> None:
    side = {
        "rounds": 3,
        "mb": 1.0,
        "claimbank_rounds_s": [0.5, 0.25, 0.4],
        "baseline_rounds_s": [20.0, 16.0, 25.0],
    }
    assert _rounds(side) == (
        "median of 3 passes, each in a fresh process, the systems alternating "
        "(Claimbank 2.000-4.000 MB/s, baseline 0.0400-0.0625 MB/s); "
    )
    assert _rounds({"mb": 1.0}) == ""  # summaries written before the rounds were kept


def _collector_state() -> tuple[bool, int]:
    import gc

    return gc.isenabled(), gc.get_freeze_count()


def test_a_pass_is_timed_under_the_extraction_workers_collector_regime() -> None:
    import gc

    from benchmarks.side_pass import as_an_extraction_worker

    before = gc.get_freeze_count()
    enabled, frozen = as_an_extraction_worker(_collector_state)
    assert not enabled  # paused during the pass, as `segment_extract` pauses it for a batch
    assert frozen > before  # what the warm-up loaded is frozen, as `pool_warmup.warm_up` does
    assert gc.isenabled()  # and the collector is back on afterwards
    gc.unfreeze()
