"""Every run that writes a warehouse holds its lock, whatever launched it.

Real processes and real flocks: a holder process takes the lock as `claimbank run` does; a run
launched as the daemon launches it (a separate process executing the reconstructable
`claimbank_job` of `assets.definitions` on the instance of DAGSTER_HOME) must wait for it and
say so in its event log; a `claimbank run` nests its run's hold inside its own; sensor ticks
never take it.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.jobs import partition_range_tags
from assets.lock import RunSettings
from assets.runner import prepare_dagster_home
from assets.schedules import register_inputs
from assets.sensors import new_input_files
from pipeline.config import Settings
from pipeline.locking import lockable, warehouse_lock
from pipeline.partitions import scan_inputs
from tests.conftest import REPO, run_command

DAGSTER = str(Path(sys.executable).parent / "dagster")

#: Holds the lock of argv[1] until its stdin closes; prints "held" once it has it.
HOLD = """
import sys
from pathlib import Path
from pipeline.locking import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), wait=True):
    print("held", flush=True)
    sys.stdin.read()
"""

#: Tries the lock of argv[1] once without waiting: prints "took" or the refusal (exit 3).
TRY = """
import sys
from pathlib import Path
from pipeline.locking import WarehouseLocked, warehouse_lock
try:
    with warehouse_lock(Path(sys.argv[1])):
        print("took")
except WarehouseLocked as locked:
    print(locked)
    sys.exit(3)
"""

#: Takes the lock of argv[1] (waiting, nested once) argv[3] times; logs each hold to argv[2].
TURNS = """
import sys, time
from pathlib import Path
from pipeline.locking import warehouse_lock
with open(sys.argv[2], "w") as log:
    for _ in range(int(sys.argv[3])):
        with warehouse_lock(Path(sys.argv[1]), wait=True), warehouse_lock(Path(sys.argv[1])):
            log.write(f"{time.monotonic()} ")
            time.sleep(0.03)
            log.write(f"{time.monotonic()}\\n")
            log.flush()
"""


def python(code: str, *args: object, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=REPO, **kwargs)


def hold(warehouse: Path) -> subprocess.Popen:
    holder = python(HOLD, warehouse, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def release(holder: subprocess.Popen) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


def try_lock(warehouse: Path) -> tuple[int, str]:
    attempt = python(TRY, warehouse, stdout=subprocess.PIPE, text=True)
    out, _ = attempt.communicate(timeout=60)
    return attempt.returncode, out.strip()


def messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [e.message for e in instance.all_logs(run_id) if not e.is_dagster_event]


def wait_for(predicate, what: str, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def launch_like_the_daemon(settings: Settings, home: Path, output: Path) -> subprocess.Popen:
    """`claimbank_job` over every input file in a process of its own, as a run worker runs it:
    the reconstructable job of `assets.definitions`, settings from the environment."""
    keys = sorted(scan_inputs(settings.input_dir))
    with dg.DagsterInstance.get() as instance:
        register_inputs(instance, keys)
    with output.open("w") as sink:
        return subprocess.Popen(
            [
                *(DAGSTER, "job", "execute", "-m", "assets.definitions", "-j", "claimbank_job"),
                *("--tags", json.dumps(partition_range_tags(keys))),
            ],
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "DAGSTER_HOME": str(home),
                "CLAIMBANK_INPUT": str(settings.input_dir),
                "CLAIMBANK_WAREHOUSE": str(settings.warehouse_dir),
            },
        )


def waiting_message(instance: dg.DagsterInstance) -> str | None:
    for record in instance.get_run_records():
        for message in messages(instance, record.dagster_run.run_id):
            if message.startswith("waiting for the warehouse lock"):
                return message
    return None


def _run_behind_a_holder(
    settings: Settings, tmp_path: Path
) -> tuple[subprocess.Popen, subprocess.Popen, Path]:
    """(a process holding the lock, a run launched as the daemon would, the run's output)."""
    home = prepare_dagster_home(tmp_path / "dagster")
    holder = hold(settings.warehouse_dir)
    output = tmp_path / "run.log"
    return holder, launch_like_the_daemon(settings, home, output), output


def test_a_run_launched_like_the_daemons_waits_for_the_lock_then_runs(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    settings = sample_workspace
    holder, run, output = _run_behind_a_holder(settings, tmp_path)
    try:
        with dg.DagsterInstance.get() as instance:
            message = wait_for(lambda: waiting_message(instance), "the run's waiting message")
            assert f"pid {holder.pid} on " in message and str(settings.warehouse_dir) in message
            time.sleep(1.0)  # still waiting: no step ran, nothing was staged
            assert run.poll() is None, output.read_text()[-3000:]
            assert not settings.staging_dir.exists()
            (record,) = instance.get_run_records()
            assert record.dagster_run.status == dg.DagsterRunStatus.STARTED
            events = instance.all_logs(record.dagster_run.run_id)
            assert dg.DagsterEventType.STEP_START not in {e.dagster_event_type for e in events}
            release(holder)
            assert run.wait(timeout=300) == 0, output.read_text()[-3000:]
            (record,) = instance.get_run_records()
            assert record.dagster_run.is_success
            took = [m for m in messages(instance, record.dagster_run.run_id) if "took" in m]
            assert len(took) == 1 and took[0].startswith("took the warehouse lock after")
    finally:
        run.kill()
        holder.kill()
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        assert con.execute("select count(*) from documents").fetchone() == (1,)
    finally:
        con.close()
    assert try_lock(settings.warehouse_dir) == (0, "took")  # and the run let it go


def test_a_waiting_run_can_be_interrupted(sample_workspace: Settings, tmp_path: Path) -> None:
    """SIGINT (how a run worker is told to stop) ends a run that waits for the lock: Dagster
    fails the run, and `execute_job`'s result, which sets the resources up again to load
    outputs, does not wait for the lock a second time."""
    settings = sample_workspace
    holder, run, output = _run_behind_a_holder(settings, tmp_path)
    try:
        with dg.DagsterInstance.get() as instance:
            wait_for(lambda: waiting_message(instance), "the run's waiting message")
            run.send_signal(signal.SIGINT)
            assert run.wait(timeout=60) == 1, output.read_text()[-3000:]
            (record,) = instance.get_run_records()
            assert record.dagster_run.status == dg.DagsterRunStatus.FAILURE
        assert not settings.staging_dir.exists()
        assert holder.poll() is None  # the holder never lost it
    finally:
        run.kill()
        release(holder)


def test_claimbank_run_holds_the_lock_its_run_takes_again(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    """The CLI holds the lock, then its in-process run's settings resource takes it again:
    re-entrant in the thread, so the run neither waits for itself nor stops."""
    settings = sample_workspace
    done = subprocess.run(
        run_command(settings, tmp_path / "dagster"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    prepare_dagster_home(tmp_path / "dagster")
    with dg.DagsterInstance.get() as instance:
        (record,) = instance.get_run_records()
        assert record.dagster_run.is_success
        assert not [m for m in messages(instance, record.dagster_run.run_id) if "lock" in m]
    assert try_lock(settings.warehouse_dir) == (0, "took")


def test_claimbank_run_with_wait_says_who_it_waits_for(
    sample_workspace: Settings, tmp_path: Path
) -> None:
    settings = sample_workspace
    holder = hold(settings.warehouse_dir)
    run = subprocess.Popen(
        [*run_command(settings, tmp_path / "dagster"), "--wait"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(run.stderr or []), daemon=True)
    reader.start()
    try:
        wait_for(lambda: lines, "a line from the waiting run", seconds=60)
        assert (
            lines[0]
            .strip()
            .startswith(
                f"waiting for the warehouse lock: another claimbank run (pid {holder.pid} on "
            )
        ), lines
        time.sleep(0.5)
        assert run.poll() is None and not settings.staging_dir.exists()
        release(holder)
        assert run.wait(timeout=300) == 0, "".join(lines)[-3000:]
        reader.join(timeout=30)
        assert run.stdout is not None and "documents        1" in run.stdout.read()
    finally:
        run.kill()
        holder.kill()


def test_a_nested_hold_excludes_other_processes_until_the_outermost_ends(
    tmp_path: Path,
) -> None:
    with warehouse_lock(tmp_path):
        with warehouse_lock(tmp_path):
            code, out = try_lock(tmp_path)
            assert code == 3 and f"pid {os.getpid()} on " in out, out
        code, out = try_lock(tmp_path)  # the inner exit did not release it
        assert code == 3 and "--wait" in out, out
    assert try_lock(tmp_path) == (0, "took")


def test_two_processes_never_hold_it_at_once(tmp_path: Path) -> None:
    turns = 8
    logs = [tmp_path / f"turns-{i}.log" for i in range(3)]
    workers = [python(TURNS, tmp_path / "warehouse", log, turns) for log in logs]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    holds = sorted(
        tuple(map(float, line.split())) for log in logs for line in log.read_text().splitlines()
    )
    assert len(holds) == 3 * turns
    for (_, end), (start, _) in itertools.pairwise(holds):
        assert end <= start  # each hold ends before the next begins


def test_a_sensor_tick_does_not_take_the_lock(workspace: Settings, tmp_path: Path) -> None:
    """A tick only reads the input folder: it must not stall behind a run holding the lock."""
    article = workspace.input_dir / "a.txt"
    article.write_text("The minister said the plan would work.\n")
    old = time.time() - 120
    os.utime(article, (old, old))
    resource = RunSettings(
        input_dir=str(workspace.input_dir), warehouse_dir=str(workspace.warehouse_dir)
    )
    holder = hold(workspace.warehouse_dir)
    results: list[dg.SensorResult] = []
    try:
        with dg.instance_for_test() as instance:

            def tick() -> None:
                with dg.build_sensor_context(
                    instance=instance, resources={"settings": resource}
                ) as context:
                    results.append(new_input_files(context))

            thread = threading.Thread(target=tick, daemon=True)
            thread.start()
            thread.join(timeout=60)
            assert not thread.is_alive(), "the tick waited for the lock"
    finally:
        release(holder)
    (result,) = results
    assert len(result.run_requests) == 1


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/srv/claimbank/warehouse", True),
        ("data/warehouse", True),
        ("file:///srv/claimbank/warehouse", True),
        ("s3://bucket/warehouse", False),
        ("gs://bucket/warehouse", False),
    ],
)
def test_only_object_storage_warehouses_go_unlocked(location: str, expected: bool) -> None:
    assert lockable(location) is expected
