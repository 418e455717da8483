"""Cross-document speaker merge at corpus scale: `merge_speakers` on N documents' claims.

Builds the claims of a folder of articles with the pipeline stages (not timed), then copies them
until N documents, each copy with its own doc ids and, one copy in four, its own person names
(so the distinct names grow with the corpus as they do in real news). Prints JSON: claims,
documents, distinct names, speakers before and after, seconds.

    uv run python benchmarks/speaker_merge.py --docs ../shared/eval/polnear/train/docs --n 100000
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl

from pipeline import incremental
from pipeline.partitions import scan_inputs
from pipeline.speaker_table import merge_speakers
from pipeline.stages import speaker_id
from pipeline.staging import Staging


def claims_of(docs: Path) -> pl.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        shutil.copytree(docs, raw)
        staging = Staging(Path(tmp) / "staging")
        keys = scan_inputs(raw)
        for key, path in keys.items():
            incremental.ingest(staging, key, path, raw, 10**7)
            incremental.extract(staging, key)
        return staging.read("claims", sorted(keys))


def scaled(claims: pl.DataFrame, n_docs: int) -> pl.DataFrame:
    copies = max(1, -(-n_docs // claims["doc_id"].n_unique()))
    person = pl.col("speaker_type") == "person"
    frames = []
    for i in range(copies):
        renamed = pl.lit(i % 4 == 1) & person
        name = pl.when(renamed).then(pl.col("speaker_name") + f" {i}").otherwise("speaker_name")
        frames.append(claims.with_columns(pl.col("doc_id") + f"#{i}", name.alias("speaker_name")))
    out = pl.concat(frames)
    ids = [
        speaker_id(name, kind) if name is not None else None
        for name, kind in out.select("speaker_name", "speaker_type").iter_rows()
    ]
    return out.with_columns(pl.Series("speaker_id", ids, dtype=pl.Utf8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=Path("../shared/eval/polnear/train/docs"))
    parser.add_argument("--n", type=int, default=100_000, help="documents after copying")
    args = parser.parse_args()
    claims = scaled(claims_of(args.docs), args.n)
    start = time.perf_counter()
    _, speakers = merge_speakers(claims)
    seconds = time.perf_counter() - start
    result = {
        "claims": claims.height,
        "documents": claims["doc_id"].n_unique(),
        "distinct_names": claims["speaker_name"].n_unique(),
        "speakers_before": claims["speaker_id"].n_unique(),
        "speakers_after": speakers.height,
        "seconds": round(seconds, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
