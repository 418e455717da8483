"""Bounded cost: segmentation + extraction time per MB over document sizes from 10 KB to 10 MB.

If the cost is linear in the document's length, seconds per MB stay flat as documents grow;
anything quadratic shows as a column that climbs with size. Three kinds of text:

- `news`: real articles from ../shared/corpora concatenated into one document;
- `one-line`: words without punctuation or line breaks (the 1 MB-line hostile input);
- `quotes`: news with stray, unbalanced quote marks of every kind sprinkled in.

CPU time (not wall time) of `segment` + `extract_document`, best of `--runs` for small sizes.

    uv run python benchmarks/extraction_scaling.py [--max-mb 10] [--runs 3] [--kinds news,quotes]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

from pipeline.extraction import EXTRACTOR_VERSION, extract_document
from pipeline.segment import segment

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/bbc-2005.jsonl.gz"
SIZES_KB = (10, 30, 100, 300, 1_000, 3_000, 10_000)
QUOTES = "\"'“”„‟‘’‚«»‹›"


def news_text(n_bytes: int) -> str:
    """Real articles, separated by blank lines, repeated if needed, cut at `n_bytes`."""
    articles = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            articles.append(json.loads(line)["text"].strip())
    out, size, i = [], 0, 0
    while size < n_bytes:
        article = articles[i % len(articles)]
        out.append(article)
        size += len(article.encode("utf-8")) + 2
        i += 1
    return _cut("\n\n".join(out), n_bytes)


def one_line_text(n_bytes: int) -> str:
    rng = random.Random(1)
    words = [
        "the",
        "minister",
        "said",
        "that",
        "forces",
        "would",
        "hold",
        "the",
        "line",
        "against",
        "attacks",
    ]
    return _cut(" ".join(rng.choice(words) for _ in range(n_bytes // 4)), n_bytes)


def quotes_text(n_bytes: int) -> str:
    rng = random.Random(2)
    chars = list(news_text(n_bytes))
    for _ in range(len(chars) // 200):
        chars[rng.randrange(len(chars))] = rng.choice(QUOTES)
    return "".join(chars)


def _cut(text: str, n_bytes: int) -> str:
    return text.encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


KINDS = {"news": news_text, "one-line": one_line_text, "quotes": quotes_text}


def measure(text: str, runs: int) -> tuple[float, int]:
    """Best CPU seconds of segment + extract over `runs`, and the number of claims."""
    best, n_claims = float("inf"), 0
    for _ in range(runs):
        c0 = time.process_time()
        sentences = [(s.start, s.end) for s in segment(text).sentences]
        n_claims = len(extract_document(text, sentences).claims)
        best = min(best, time.process_time() - c0)
    return best, n_claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=10.0, help="Largest size (MB).")
    parser.add_argument("--runs", type=int, default=3, help="Repeats below 1 MB (best counts).")
    parser.add_argument("--kinds", default=",".join(KINDS), help="Comma-separated text kinds.")
    args = parser.parse_args()
    sizes = [kb for kb in SIZES_KB if kb <= args.max_mb * 1000]
    measure("Warm-up, he said.", 1)  # lexicons and regexes compile once
    print(f"extractor {EXTRACTOR_VERSION}; CPU seconds per MB (flat = linear cost)")
    print(f"{'kind':<9}{'size':>9}{'seconds':>10}{'s/MB':>8}{'claims':>9}")
    for kind in args.kinds.split(","):
        for kb in sizes:
            text = KINDS[kind](kb * 1000)
            mb = len(text.encode("utf-8")) / 1e6
            seconds, n_claims = measure(text, args.runs if kb < 1_000 else 1)
            print(f"{kind:<9}{kb:>7,}KB{seconds:>10.3f}{seconds / mb:>8.2f}{n_claims:>9,}")


if __name__ == "__main__":
    main()
