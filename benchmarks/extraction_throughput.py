"""Throughput of the claim extractor alone on PolNeAR dev: `extract_claims`, one process.

Sentences are segmented once, before timing (the segmenter has its own benchmark); the timed
part is `extract_claims` over every dev document. Prints MB/s and docs/s of the best of
`--runs` runs (the best run is the least disturbed by other load on the machine).

    uv run python benchmarks/extraction_throughput.py [--docs DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.claims.extract import EXTRACTOR_VERSION, extract_claims
from pipeline.evaluate.documents import read_document
from pipeline.segment import segment

DEFAULT_DOCS = Path(__file__).resolve().parents[1].parent / "shared/eval/polnear/dev/docs"


def load(docs_dir: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each document's text and sentence spans, in file-name order."""
    out = []
    for path in sorted(docs_dir.glob("*.txt")):
        text = read_document(docs_dir, path.name)
        out.append((text, [(s.start, s.end) for s in segment(text).sentences]))
    return out


def one_run(docs: list[tuple[str, list[tuple[int, int]]]]) -> tuple[float, float, int]:
    """Wall and CPU seconds spent in `extract_claims`, and the number of claims it returned.

    CPU time is reported too because a shared machine's other load stretches wall time.
    """
    n_claims = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for text, sentences in docs:
        n_claims += len(extract_claims(text, sentences))
    return time.perf_counter() - t0, time.process_time() - c0, n_claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    docs = load(args.docs)
    n_bytes = sum(len(text.encode("utf-8")) for text, _ in docs)
    extract_claims("Warm-up, he said.", [(0, 17)])  # lexicons and regexes compile once
    best, cpu, n_claims = min(one_run(docs) for _ in range(max(1, args.runs)))
    print(
        json.dumps(
            {
                "extractor_version": EXTRACTOR_VERSION,
                "documents": len(docs),
                "bytes": n_bytes,
                "claims": n_claims,
                "best_seconds": round(best, 4),
                "mb_per_s": round(n_bytes / best / 1e6, 3),
                "docs_per_s": round(len(docs) / best, 1),
                "cpu_seconds": round(cpu, 4),
                "cpu_mb_per_s": round(n_bytes / cpu / 1e6, 3),
                "cpu_ms_per_doc": round(1000 * cpu / len(docs), 3),  # fixed costs show here
            }
        )
    )


if __name__ == "__main__":
    main()
