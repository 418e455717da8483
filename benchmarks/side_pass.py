"""One timed pass of one system over the side-by-side sample, in a process of its own.

Why a fresh process per pass: a pass over 400 short articles lasts ~0.2 s for Claimbank, so one
pass moved 2.2-2.9 MB/s between benches of the same code; repeating passes in one process would
time documents a system has already seen (Claimbank's name and number caches, spaCy's lexeme
cache). Each pass here starts cold, warms up on the same untimed documents, then times one pass
over documents it has not seen; `benchmarks.run` takes the median of several such passes.
"""

from __future__ import annotations

import time


def claimbank_pass(texts: list[str], warm_up: list[str]) -> tuple[float, float]:
    """Seconds from raw text to claims, and extraction alone (segmentation excluded)."""
    from benchmarks.extract_only import extract_seconds, text_to_claims_seconds

    text_to_claims_seconds(warm_up)
    seconds = text_to_claims_seconds(texts)
    return seconds, extract_seconds(texts)  # sessions 1-5 timed the second (segmentation excluded)


def baseline_pass(texts: list[str], warm_up: list[str]) -> float:
    """Seconds of the spaCy baseline over `texts`: parse and apply its rules."""
    from benchmarks import spacy_baseline

    nlp = spacy_baseline.load_model()
    spacy_baseline.count_attributions(nlp, warm_up)
    started = time.perf_counter()
    spacy_baseline.count_attributions(nlp, texts)
    return time.perf_counter() - started
