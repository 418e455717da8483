"""Where extraction time goes, per document, on the bench's own sample or on PolNeAR dev.

`side`: exactly the documents `benchmarks/run.py` times against the spaCy baseline (400 real
articles of ~1.3 KB, `_sample` of `real_articles`); `dev`: the 84 PolNeAR dev articles (~5 KB).
Short documents make fixed per-document costs visible, which a MB/s figure on long ones hides.

Prints CPU ms/document and MB/s (best of `--runs`, `time.process_time`, so other load on a
shared machine does not count) of each part — segmentation, claims, quantities and the whole
`extract_document` the bench times — then, with `--top N`, a cProfile of `extract_document`:
its own time by source file and the N functions with the most own time.

`extract_document_first_pass` is the one pass `benchmarks/run.py` times: right after a
one-document warm-up, before any other pass, so it includes what loads lazily on later
documents (the given-name list, per-character unit patterns, caches); best-of-N hides that.

    uv run python -m benchmarks.profile_extraction [--set side|dev] [--runs 3] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import real_articles
from benchmarks.run import SHARED, _sample
from pipeline.claims.extract import extract_claims
from pipeline.claims.quantities import find_quantities
from pipeline.evaluate.documents import read_document
from pipeline.extraction import EXTRACTOR_VERSION, extract_document
from pipeline.segment import segment

SIDE_SAMPLE = 400  # benchmarks/run.py FULL["sample"]
ROOT = Path(__file__).resolve().parents[1]  # source files are shown relative to it

Doc = tuple[str, list[tuple[int, int]]]


def documents(which: str) -> list[str]:
    if which == "side":
        return _sample(real_articles(SHARED / "corpora"), SIDE_SAMPLE)
    docs_dir = SHARED / "eval" / "polnear" / which / "docs"
    return [read_document(docs_dir, p.name) for p in sorted(Path(docs_dir).glob("*.txt"))]


def cpu_seconds(fn: Callable[[Doc], object], docs: list[Doc], runs: int) -> float:
    """Least CPU time of `runs` passes of fn over every document."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for doc in docs:
            fn(doc)
        best = min(best, time.process_time() - started)
    return best


def by_file(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time summed per source file (built-ins under their name), largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, func), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = filename.removeprefix(f"{ROOT}/") if filename != "~" else func
        totals[key] += own
    return sorted(totals.items(), key=lambda kv: -kv[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("side", "dev"), default="side")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=0, help="also profile: top N functions")
    args = parser.parse_args()
    texts = documents(args.set)
    docs = [(t, [(s.start, s.end) for s in segment(t).sentences]) for t in texts]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    extract_document(*docs[0])  # the bench's warm-up: one document, untimed
    first = cpu_seconds(lambda d: extract_document(*d), docs, 1)
    parts = {
        "segment": lambda d: segment(d[0]),
        "extract_claims": lambda d: extract_claims(*d),
        "find_quantities": lambda d: find_quantities(d[0]),
        "extract_document": lambda d: extract_document(*d),
    }
    report: dict[str, object] = {
        "extractor_version": EXTRACTOR_VERSION,
        "set": args.set,
        "documents": len(docs),
        "mb": round(mb, 4),
    }
    report["extract_document_first_pass"] = {
        "ms_per_doc": round(1000 * first / len(docs), 4),
        "mb_per_s": round(mb / first, 3),
    }
    for name, fn in parts.items():
        seconds = cpu_seconds(fn, docs, args.runs)
        report[name] = {
            "ms_per_doc": round(1000 * seconds / len(docs), 4),
            "mb_per_s": round(mb / seconds, 3),
        }
    print(json.dumps(report, indent=2))
    if args.top:
        profile = cProfile.Profile()
        profile.enable()
        for doc in docs:
            extract_document(*doc)
        profile.disable()
        stats = pstats.Stats(profile)
        total = sum(own for _, own in by_file(stats))
        print("\nown time by file (cProfile, extract_document):")
        for name, own in by_file(stats)[: args.top]:
            print(f"  {100 * own / total:5.1f} %  {name}")
        print()
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
