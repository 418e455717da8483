"""Run one command as a child process; print its wall time and peak RSS as JSON.

The benchmark starts this helper once per measurement, so `RUSAGE_CHILDREN` covers exactly
one command: its largest process (the run itself or a pool worker), not earlier runs.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "returncode": proc.returncode,
        "wall_s": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "stderr_tail": proc.stderr[-2000:] if proc.returncode else "",
        "stdout_tail": proc.stdout[-4000:],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
