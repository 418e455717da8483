"""Where a `claimbank run`'s cores idle: CPU of every process of the run, sampled, per step.

Why: the e2e ratio (`claimbank run` wall / extraction alone) counts every moment a core has
nothing to do, and the bench's step times cannot say when that is. This runs one command (a
`claimbank run ...`) and samples, every `--interval` seconds, each process of its tree: CPU
(utime + stime of `/proc/<pid>/stat`) and its main thread's run-queue wait (`schedstat`).
CPU + wait is what the run *wanted* of the machine, so `cores - (cpu + wait)` is idle capacity
the run left unused whatever the other load on the machine (the load stretches the time, but a
core the run had no work for stays idle). Then it reads the Dagster steps' start and end times
from the run's instance (`--dagster-home`) and reports, per phase (start-up before the first
step, each step, the rest), the wall time, each process role's CPU, the idle core-seconds,
and the pool workers' seconds without work (alive, neither running nor waiting to run).

    python -m benchmarks.timeline --dagster-home H --json out.json -- \
        .venv/bin/claimbank run --quiet --input I --warehouse W --dagster-home H

Roles: `run` (the command's process), `worker` (pool workers: spawned `multiprocessing`
children alive while more than one of them is), `fresh` (a lone spawned process, e.g. the
DuckDB build's), `other` (the resource tracker and anything else).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Proc:
    pid: int
    label: str
    first_seen: float
    #: (time, cpu s, run-queue wait s) samples; both cumulative and never decreasing
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    _last_wait: float = 0.0
    #: (time, resident MB) samples
    rss: list[tuple[float, float]] = field(default_factory=list)

    def add(self, t: float, cpu: float, wait: float) -> None:
        """A sample; the wait of threads that ended since the last one is kept, not lost."""
        total = self.samples[-1][2] if self.samples else 0.0
        total += max(wait - self._last_wait, 0.0) if self.samples else wait
        self._last_wait = wait
        self.samples.append((t, cpu, total))


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                out.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return out


def _tree(root: int) -> list[int]:
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(_children(pid))
    return seen


def _cpu_wait(pid: int) -> tuple[float, float] | None:
    """(CPU s of the whole process, run-queue wait s of its main thread).

    The main thread's wait only: a pool worker's helper threads (the parent watch, the queue
    feeder) wake briefly and often, and on a loaded machine each wake-up waits; summed, those
    waits would count as demand for a core the process never had work for.
    """
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        with open(f"/proc/{pid}/schedstat") as handle:
            wait = int(handle.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return cpu, wait / 1e9


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def _label(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmd = handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "resource_tracker" in cmd:
        return "other"
    if "spawn_main" in cmd or "multiprocessing" in cmd:
        return "spawned"
    return "other"


def sample(argv: list[str], interval: float) -> tuple[dict[int, Proc], float, float, int]:
    """Run argv, sampling its process tree; (processes, start, end, return code)."""
    started = time.time()
    child = subprocess.Popen(argv)
    procs: dict[int, Proc] = {child.pid: Proc(child.pid, "run", started)}
    while True:
        now = time.time()
        for pid in _tree(child.pid):
            if pid not in procs:
                procs[pid] = Proc(pid, _label(pid), now)
            elif procs[pid].label == "other" and len(procs[pid].samples) < 10:
                procs[pid].label = _label(pid)  # a child seen before its exec() looks like us
            got = _cpu_wait(pid)
            if got is not None:
                procs[pid].add(now, *got)
                procs[pid].rss.append((now, _rss_mb(pid)))
        if child.poll() is not None:
            break
        time.sleep(max(interval - (time.time() - now), 0.01))
    return procs, started, time.time(), child.returncode


def step_times(dagster_home: Path) -> dict[str, tuple[float, float]]:
    """step key -> (start, end) epoch seconds of the latest run on that instance."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        run = instance.get_runs(limit=1)[0]
        return {
            s.step_key: (s.start_time, s.end_time)
            for s in instance.get_run_step_stats(run.run_id)
            if s.step_key and s.start_time and s.end_time
        }
    finally:
        instance.dispose()


def _roles(procs: dict[int, Proc]) -> None:
    """Spawned processes that overlap another spawned one are pool workers; lone ones fresh."""
    spawned = [p for p in procs.values() if p.label == "spawned" and p.samples]
    for p in spawned:
        a0, a1 = p.samples[0][0], p.samples[-1][0]
        overlaps = any(
            q is not p and q.samples[0][0] < a1 and a0 < q.samples[-1][0] for q in spawned
        )
        p.label = "worker" if overlaps else "fresh"


def _usage(p: Proc, t0: float, t1: float) -> tuple[float, float]:
    """(CPU s, wait s) of `p` between t0 and t1, interpolated between samples."""

    def at(t: float) -> tuple[float, float]:
        s = p.samples
        if t <= s[0][0]:
            return (0.0, 0.0) if p.label != "run" else (s[0][1], s[0][2])
        if t >= s[-1][0]:
            return s[-1][1], s[-1][2]
        lo, hi = 0, len(s) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if s[mid][0] <= t:
                lo = mid
            else:
                hi = mid
        (ta, ca, wa), (tb, cb, wb) = s[lo], s[hi]
        f = (t - ta) / (tb - ta) if tb > ta else 0.0
        return ca + f * (cb - ca), wa + f * (wb - wa)

    c0, w0 = at(t0)
    c1, w1 = at(t1)
    return c1 - c0, w1 - w0


def phases(
    steps: dict[str, tuple[float, float]], started: float, ended: float
) -> list[tuple[str, float, float]]:
    """(name, start, end): start-up, each step in order, the gaps between them, the end."""
    out: list[tuple[str, float, float]] = []
    t = started
    for name, (s, e) in sorted(steps.items(), key=lambda kv: kv[1][0]):
        if s > t:
            out.append(("startup" if not out else f"before {name}", t, s))
        out.append((name, max(s, t), e))
        t = max(t, e)
    out.append(("end", t, ended))
    return out


def idle_seconds(procs: dict[int, Proc], t0: float, t1: float, dt: float = 0.1) -> float:
    """Core-seconds in [t0, t1] the run left idle: per slice, cores - min(cores, cpu + wait)."""
    idle = 0.0
    t = t0
    while t < t1:
        u = min(t + dt, t1)
        demand = sum(sum(_usage(p, t, u)) for p in procs.values() if p.samples)
        idle += max(CORES * (u - t) - demand, 0.0)
        t = u
    return idle


def report(
    procs: dict[int, Proc], steps: dict[str, tuple[float, float]], started: float, ended: float
) -> dict[str, Any]:
    _roles(procs)
    rows = []
    for name, t0, t1 in phases(steps, started, ended):
        cpu: dict[str, float] = {}
        rss: dict[str, float] = {}
        wait = starved = 0.0
        for p in procs.values():
            if not p.samples:
                continue
            c, w = _usage(p, t0, t1)
            cpu[p.label] = cpu.get(p.label, 0.0) + c
            wait += w
            if p.label == "worker":  # alive, neither running nor runnable: no work for it
                alive = min(t1, p.samples[-1][0]) - max(t0, p.samples[0][0])
                starved += max(alive - c - w, 0.0) if alive > 0 else 0.0
            peak = max((m for t, m in p.rss if t0 <= t <= t1), default=0.0)
            rss[p.label] = max(rss.get(p.label, 0.0), peak)
        rows.append(
            {
                "phase": name,
                "wall_s": t1 - t0,
                "cpu_s": {k: round(v, 2) for k, v in sorted(cpu.items())},
                "wait_s": round(wait, 2),
                "idle_core_s": round(idle_seconds(procs, t0, t1), 2),
                "workers_without_work_s": round(starved, 2),
                "peak_rss_mb": {k: round(v) for k, v in sorted(rss.items())},
            }
        )
    return {
        "wall_s": ended - started,
        "cores": CORES,
        "phases": rows,
        "series": {
            str(p.pid): {
                "label": p.label,
                "samples": [[round(t - started, 3), c, w] for t, c, w in p.samples],
            }
            for p in procs.values()
        },
    }


def print_table(result: dict[str, Any]) -> None:
    roles = sorted({r for row in result["phases"] for r in row["cpu_s"]})
    print(
        f"{'phase':<22}{'wall s':>8}"
        + "".join(f"{r + ' cpu':>12}" for r in roles)
        + f"{'wait s':>9}{'idle core-s':>13}{'no-work s':>11}"
    )
    for row in result["phases"]:
        print(
            f"{row['phase']:<22}{row['wall_s']:>8.2f}"
            + "".join(f"{row['cpu_s'].get(r, 0.0):>12.2f}" for r in roles)
            + f"{row['wait_s']:>9.2f}{row['idle_core_s']:>13.2f}"
            + f"{row['workers_without_work_s']:>11.2f}"
            + "  rss MB "
            + " ".join(f"{k} {v}" for k, v in row["peak_rss_mb"].items() if v)
        )


def print_bins(
    procs: dict[int, Proc],
    steps: dict[str, tuple[float, float]],
    started: float,
    ended: float,
    width: float,
) -> None:
    """One line per `width` seconds: the step, CPU (cores) of each process, the idle cores."""
    shown = [
        p
        for p in sorted(procs.values(), key=lambda p: p.first_seen)
        if p.samples
        and p.samples[-1][1] - p.samples[0][1] + (p.label == "run") * p.samples[0][1] > 0.05
    ]
    print(
        f"{'t s':>6} {'step':<17}"
        + "".join(f"{p.label[:6] + str(p.pid % 1000):>10}" for p in shown)
        + f"{'idle':>7}"
    )
    t = started
    while t < ended:
        u = min(t + width, ended)
        step = next((k for k, (s, e) in steps.items() if s <= (t + u) / 2 < e), "")
        cells = "".join(f"{_usage(p, t, u)[0] / (u - t):>10.2f}" for p in shown)
        idle = idle_seconds(procs, t, u) / (u - t)
        print(f"{t - started:>6.1f} {step[:17]:<17}{cells}{idle:>7.2f}")
        t = u


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dagster-home", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--json", type=Path, help="write phases and the raw samples here")
    parser.add_argument("--bins", type=float, help="also print a line per this many seconds")
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    procs, started, ended, code = sample(argv, args.interval)
    if code:
        print(f"command failed with status {code}", file=sys.stderr)
        return code
    steps = step_times(args.dagster_home.resolve())
    result = report(procs, steps, started, ended)
    if args.bins:
        print_bins(procs, steps, started, ended, args.bins)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
