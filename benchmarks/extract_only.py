"""Extraction alone on a corpus folder: `extract_document` after segmentation, nothing else.

Segmentation happens first and is not timed; the time is the sum of `extract_document` calls
(CPU-bound, one process per core), so it is the floor an end-to-end run is compared against.
Prints JSON: documents, bytes, extraction seconds summed over workers, and wall time.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline.extraction import extract_document
from pipeline.segment import segment

CHUNK = 2000


def _texts(corpus_dir: Path) -> list[str]:
    texts = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)
    return texts


def extract_seconds(texts: list[str]) -> float:
    """Seconds spent in extract_document over `texts`, segmentation excluded."""
    spans = [[(s.start, s.end) for s in segment(t).sentences] for t in texts]
    started = time.perf_counter()
    for text, sentences in zip(texts, spans, strict=True):
        extract_document(text, sentences)
    return time.perf_counter() - started


def text_to_claims_seconds(texts: list[str]) -> float:
    """Seconds from raw text to claims and quantities: `segment` then `extract_document`.

    What the side-by-side times against the spaCy baseline, whose own timing includes its
    tokenizer, parser and sentence splitting: both start from the same raw text.
    """
    started = time.perf_counter()
    for text in texts:
        extract_document(text, [(s.start, s.end) for s in segment(text).sentences])
    return time.perf_counter() - started


def main(corpus_dir: str, workers: int) -> None:
    texts = _texts(Path(corpus_dir))
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        seconds = sum(pool.map(extract_seconds, chunks))
    print(
        json.dumps(
            {
                "documents": len(texts),
                "bytes": sum(len(t.encode("utf-8")) for t in texts),
                "extract_cpu_s": seconds,
                "workers": workers,
                "extract_wall_s": seconds / workers,
                "wall_with_segmentation_s": time.perf_counter() - started,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
