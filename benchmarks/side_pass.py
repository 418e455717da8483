"""One timed pass of one system over the side-by-side sample, in a process of its own.

Why a fresh process per pass: a pass over 400 short articles lasts ~0.2 s for Claimbank, so one
pass moved 2.2-2.9 MB/s between benches of the same code; repeating passes in one process would
time documents a system has already seen (Claimbank's name and number caches, spaCy's lexeme
cache). Each pass here starts cold, warms up on the same untimed documents, then times one pass
over documents it has not seen; `benchmarks.run` takes the median of several such passes.

Both systems are timed under the garbage-collector regime of the pipeline's extraction workers:
what the warm-up loaded is frozen (`pipeline.pool_warmup.warm_up` does `gc.freeze()`), and the
cyclic collector is paused while a batch is extracted (`pipeline.stage_rows.segment_extract`).
Before session 8 the pass ran with the collector on, which cost Claimbank ~4% that no run pays;
the baseline gets the same regime (it moved spaCy's pass by less than its noise).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

from pipeline.lean_imports import collector_paused

T = TypeVar("T")


def as_an_extraction_worker(timed: Callable[[], T]) -> T:
    """`timed()` after freezing what is loaded, with the cyclic collector paused, as a worker."""
    gc.freeze()
    with collector_paused(True):
        return timed()


def claimbank_pass(texts: list[str], warm_up: list[str]) -> tuple[float, float]:
    """Seconds from raw text to claims, and extraction alone (segmentation excluded)."""
    from benchmarks.extract_only import extract_seconds, text_to_claims_seconds

    text_to_claims_seconds(warm_up)
    return as_an_extraction_worker(
        # sessions 1-5 timed the second (segmentation excluded)
        lambda: (text_to_claims_seconds(texts), extract_seconds(texts))
    )


def baseline_pass(texts: list[str], warm_up: list[str]) -> float:
    """Seconds of the spaCy baseline over `texts`: parse and apply its rules."""
    from benchmarks import spacy_baseline

    nlp = spacy_baseline.load_model()
    spacy_baseline.count_attributions(nlp, warm_up)

    def timed() -> float:
        started = time.perf_counter()
        spacy_baseline.count_attributions(nlp, texts)
        return time.perf_counter() - started

    return as_an_extraction_worker(timed)
