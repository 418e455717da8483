"""The outputs alone: a corpus read, extracted, written as Parquet, loaded into DuckDB; no more.

Why: issue 5 asks that `claimbank run` take at most 1.5x the time of segmentation + extraction
alone (`benchmarks.extract_only`, the floor). Whatever orchestrates it, a run has to read every
input file, segment and extract, build the rows, write them as zstd Parquet and load them into
DuckDB tables. This does exactly that with the pipeline's own functions and nothing more: no
Dagster, no Pandera, no staged parts read back, no consolidation (no cross-file deduplication,
speaker merge or sort), no checks, no ledger. Each input file is one task in a pool of one
process per core; a task ingests its file, extracts it in 500-document batches and writes its
seven tables (`pipeline.storage.write_parquet`, the warehouse's settings); then
`pipeline.catalog.load_duckdb` builds the DuckDB file from them, as a run's DuckDB step does.

Its wall time over the floor's, measured side by side, is the smallest e2e ratio these outputs
allow on this machine; what `claimbank run` takes above it is orchestration and validation.

    python -m benchmarks.lower_bound data/bench/corpus-100000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

#: Documents per segmentation + extraction call, as the pipeline's extraction batches.
EXTRACT_BATCH_DOCS = 500
#: Documents per ingest batch (`pipeline.staging.BATCH_DOCS` in the pipeline).
INGEST_BATCH_DOCS = 5000


def _worker_setup() -> None:
    """As the pipeline's workers: one polars thread (set before polars loads); the collector
    is paused per batch by `segment_extract` itself, and what the imports made is frozen."""
    os.environ["POLARS_MAX_THREADS"] = "1"
    import pipeline.extract_task  # noqa: F401  (the extractor and polars, as a warm-up would)

    gc.freeze()


def outputs_of_file(path: str, root: str, parquet_dir: str) -> dict[str, float]:
    """Ingest, extract and write one input file's tables; CPU seconds of each phase."""
    import polars as pl

    from pipeline.config import Settings
    from pipeline.extract_task import segment_extract_tables
    from pipeline.layout import part_file
    from pipeline.partitions import partition_key, relative
    from pipeline.stage_rows import BATCH_TABLES
    from pipeline.stages import IngestBatch, batch_schemas, ingest_batches
    from pipeline.storage import write_parquet

    clock = time.process_time
    spent = {"ingest": 0.0, "extract_and_rows": 0.0, "parquet": 0.0}
    key = partition_key(relative(Path(path), Path(root)))
    schemas = batch_schemas()
    frames: dict[str, list[pl.DataFrame]] = {}
    max_bytes = Settings.from_env().max_document_bytes
    started = clock()
    for item in ingest_batches(Path(path), Path(root), key, max_bytes, INGEST_BATCH_DOCS):
        spent["ingest"] += clock() - started
        if isinstance(item, IngestBatch):
            frames.setdefault("documents", []).append(item.documents)
            frames.setdefault("document_sources", []).append(item.document_sources)
            frames.setdefault("rejected_inputs", []).append(item.rejected_inputs)
            before = clock()
            for offset in range(0, item.documents.height, EXTRACT_BATCH_DOCS):
                batch = item.documents.slice(offset, EXTRACT_BATCH_DOCS)
                for table, arrow in zip(
                    BATCH_TABLES, segment_extract_tables(schemas, batch), strict=True
                ):
                    frames.setdefault(table, []).append(pl.from_arrow(arrow))  # type: ignore[arg-type]
            spent["extract_and_rows"] += clock() - before
        else:
            frames["input_files"] = [item]
        started = clock()
    before = clock()
    for table, parts in frames.items():
        write_parquet(pl.concat(parts, how="vertical"), part_file(Path(parquet_dir), table, key))
    spent["parquet"] += clock() - before
    return spent


def outputs_alone(corpus: Path, workers: int, out: Path) -> dict[str, Any]:
    """The whole bound once: files on a pool, then the DuckDB build; seconds of each."""
    from pipeline.catalog import load_duckdb
    from pipeline.ingest.discover import discover_files

    shutil.rmtree(out, ignore_errors=True)
    parquet_dir = out / "parquet"
    parquet_dir.mkdir(parents=True)
    # largest first: the last task to start is a small one, so no core idles long at the end
    files = [str(p) for p in sorted(discover_files(corpus), key=lambda p: -p.stat().st_size)]
    started = time.perf_counter()
    # spawned, as the pipeline's pools: a fork of a process with threads (polars', Dagster's in
    # a test process) can inherit a lock held by a thread that does not exist in the child
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_worker_setup) as pool:
        phases = list(
            pool.map(
                outputs_of_file, files, [str(corpus)] * len(files), [str(parquet_dir)] * len(files)
            )
        )
    files_done = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    counts = load_duckdb(parquet_dir, out / "claimbank.duckdb")
    after = resource.getrusage(resource.RUSAGE_SELF)
    ended = time.perf_counter()
    return {
        "inner_wall_s": ended - started,
        "files_wall_s": files_done - started,
        "duckdb_wall_s": ended - files_done,
        "duckdb_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "worker_cpu_s": {k: sum(p[k] for p in phases) for k in phases[0]},
        "rows": counts,
        "parquet_mb": sum(f.stat().st_size for f in parquet_dir.rglob("*.parquet")) / 1e6,
    }


def _measured(argv: list[str]) -> dict[str, Any]:
    """A fresh interpreter running `argv` (python -m ...): its JSON line, wall and CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, check=True, env=os.environ
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cpu_s": cpu, "command_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of JSONL input files")
    parser.add_argument("--repeat", type=int, default=3, help="alternated floor/bound pairs")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write every pass here too")
    parser.add_argument("--once", type=Path, help=argparse.SUPPRESS)  # one bound pass, into DIR
    args = parser.parse_args()
    if args.once:
        print(json.dumps(outputs_alone(args.corpus, args.workers, args.once)))
        return
    passes: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="claimbank-bound-") as scratch:
        for i in range(args.repeat):
            workers = str(args.workers)
            floor = _measured(["-m", "benchmarks.extract_only", str(args.corpus), workers])
            bound = _measured(
                [
                    "-m",
                    "benchmarks.lower_bound",
                    str(args.corpus),
                    "--workers",
                    str(args.workers),
                    "--once",
                    str(Path(scratch) / "out"),
                ]
            )
            ratio = bound["command_s"] / floor["wall_with_segmentation_s"]
            passes.append({"floor": floor, "bound": bound, "ratio": ratio})
            print(
                f"pass {i + 1}: floor {floor['wall_with_segmentation_s']:.1f} s "
                f"({floor['cpu_s']:.1f} s CPU), outputs alone {bound['command_s']:.1f} s "
                f"({bound['cpu_s']:.1f} s CPU; DuckDB {bound['duckdb_wall_s']:.1f} s): "
                f"ratio {ratio:.2f}",
                file=sys.stderr,
            )
    summary = {
        "ratio_median": statistics.median(p["ratio"] for p in passes),
        "cpu_ratio_median": statistics.median(
            p["bound"]["cpu_s"] / p["floor"]["cpu_s"] for p in passes
        ),
        "passes": passes,
    }
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "passes"}))


if __name__ == "__main__":
    main()
