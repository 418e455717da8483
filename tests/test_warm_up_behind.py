"""A small increment's pool workers warm up at a lower priority and then work at their own.

Each case runs in a fresh interpreter: the shared pool is per process, and the test process
may already hold one from another test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from pipeline.warm_up_behind import WARM_UP_NICE, _lower_this_thread
from tests.conftest import REPO

POOL = """
import json, os, sys, threading
from functools import partial

import polars as pl

from pipeline import parallel
from pipeline.stage_rows import segment_extract
from pipeline.stages import batch_schemas
from pipeline.warm_up_behind import warm_up_behind
from tests.corpus_sample import real_articles

def probe(_: object = None) -> dict:
    tid = threading.get_native_id()
    return {
        "pid": os.getpid(),
        "nice": os.getpriority(os.PRIO_PROCESS, tid),
        "extractor": "pipeline.extraction" in sys.modules,
        "threads": [t.name for t in threading.enumerate()],
    }

if __name__ == "__main__":
    schemas = batch_schemas()
    parallel.start_in_background(partial(warm_up_behind, schemas))  # as a small increment's
    warmed = parallel.pool_warmed_up()
    pool = parallel._shared_pool()
    seen = [f.result() for f in [pool.submit(probe) for _ in range(6)]]
    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    rows = real_articles(60)
    documents = pl.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(rows))],
        "text": [r["text"] for r in rows],
        "title": [r.get("title") for r in rows],
    })
    halves = [documents[:30], documents[30:]]
    pooled = [f.result() for f in [pool.submit(segment_extract, schemas, h) for h in halves]]
    here_too = [segment_extract(schemas, h) for h in halves]
    same = all(
        a.equals(b) for p, q in zip(pooled, here_too) for a, b in zip(p, q, strict=True)
    )
    claims = sum(p[2].height for p in pooled)
    print(json.dumps({
        "warmed": warmed, "parent_nice": here, "workers": seen, "same": same, "claims": claims
    }))
"""


def test_workers_warmed_up_behind_run_their_batches_at_the_parents_priority_and_rows(
    tmp_path,
) -> None:
    script = tmp_path / "pool.py"  # a file: spawned workers re-import the parent's main module
    script.write_text(POOL, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMBANK_WORKERS": "2", "PYTHONPATH": str(REPO)},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["warmed"]  # a failed warm-up would stop the pool: extraction in-process
    workers = result["workers"]
    assert all(w["extractor"] for w in workers)  # the warm-up imported the extractor
    # the thread that warmed up is gone; the thread that runs the batches was never niced
    assert all(w["nice"] == result["parent_nice"] for w in workers)
    assert not any("claimbank-warm-up" in w["threads"] for w in workers)
    # the warmed-up workers' batches are the rows the run process would build
    assert result["same"] and result["claims"] > 100


def test_only_the_calling_thread_is_lowered() -> None:
    main = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, main)
    seen: list[int] = []

    def body() -> None:
        _lower_this_thread(WARM_UP_NICE)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [min(before + WARM_UP_NICE, 19)]
    assert os.getpriority(os.PRIO_PROCESS, main) == before
