"""The deployment profile for real: a local PostgreSQL server stores Dagster's runs and events.

Starts PostgreSQL (Debian's `postgresql`, installed by `make system-deps`) in a temporary data
folder on a free port, runs the whole job through a Dagster instance configured by
`deploy/dagster.yaml`, and reads the run back from Postgres. The Kubernetes part is
configuration: validated against dagster-k8s's schemas and by `dagster definitions validate`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from assets.jobs import partition_range_tags
from assets.schedules import register_inputs
from pipeline.config import Settings
from pipeline.partitions import scan_inputs
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
pytestmark = pytest.mark.slow


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    assert found, "PostgreSQL server missing: run `make system-deps` (Debian package postgresql)"
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    """The server refuses to run as root: drop to the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, str]]:
    bindir = _pg_bin()
    # not under pytest's tmp folder: that is private to root, and the server runs as postgres
    data = Path(tempfile.mkdtemp(prefix="claimbank-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "dagster", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data}"
    subprocess.run(
        _as_postgres([*ctl, "-o", options, "-l", str(data / "server.log"), "start"]),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "dagster",
                    "dagster",
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(port),
            "DAGSTER_PG_USER": "dagster",
            "DAGSTER_PG_PASSWORD": "unused-trust-auth",
            "DAGSTER_PG_DB": "dagster",
        }
    finally:
        subprocess.run(_as_postgres([*ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def profile_home(tmp_path: Path, postgres: dict[str, str]) -> Iterator[Path]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    saved = {k: os.environ.get(k) for k in [*postgres, "DAGSTER_HOME"]}
    os.environ.update({**postgres, "DAGSTER_HOME": str(home)})
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_pipeline_runs_on_a_postgres_backed_instance(
    sample_workspace: Settings, profile_home: Path, postgres: dict[str, str]
) -> None:
    from assets.definitions import defs

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        keys = register_inputs(instance, sorted(scan_inputs(sample_workspace.input_dir)))
        result = defs.resolve_job_def("claimbank_job").execute_in_process(
            instance=instance,
            tags=partition_range_tags(keys),
            raise_on_error=False,
            run_config={
                "resources": {
                    "settings": {
                        "config": {
                            "input_dir": str(sample_workspace.input_dir),
                            "warehouse_dir": str(sample_workspace.warehouse_dir),
                            "max_document_bytes": sample_workspace.max_document_bytes,
                        }
                    }
                }
            },
        )
        assert result.success
        run_id = result.run_id
    # the run, its steps and the asset materializations are rows in Postgres
    import sqlalchemy as sa

    url = f"postgresql+psycopg2://dagster@127.0.0.1:{postgres['DAGSTER_PG_PORT']}/dagster"
    engine = sa.create_engine(url)
    with engine.connect() as con:
        status = con.execute(
            sa.text("select status from runs where run_id = :r"), {"r": run_id}
        ).scalar_one()
        materialized = con.execute(
            sa.text(
                "select count(*) from event_logs where run_id = :r "
                "and dagster_event_type = 'ASSET_MATERIALIZATION'"
            ),
            {"r": run_id},
        ).scalar_one()
    engine.dispose()
    assert status == "SUCCESS"
    assert materialized >= 9  # every staged table and every warehouse table
    con = duckdb.connect(str(sample_workspace.duckdb_path), read_only=True)
    try:
        assert con.execute("select count(*) from claims").fetchone()[0] > 0
    finally:
        con.close()


def test_definitions_validate_under_the_k8s_profile(profile_home: Path) -> None:
    env = {**os.environ, "CLAIMBANK_EXECUTOR": "k8s"}
    done = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "dagster"),
            "definitions",
            "validate",
            "-m",
            "assets.definitions",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_kubernetes_configuration_matches_dagster_k8s_schemas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dagster._config import validate_config
    from dagster_k8s import K8sRunLauncher, k8s_job_executor

    from assets.executor import choose_executor

    assert choose_executor() is dg.in_process_executor
    monkeypatch.setenv("CLAIMBANK_EXECUTOR", "k8s")
    assert choose_executor() is k8s_job_executor

    launcher = yaml.safe_load((DEPLOY / "dagster-k8s.yaml").read_text())["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    checked = validate_config(K8sRunLauncher.config_type(), launcher["config"])
    assert checked.success, checked.errors
    executor = yaml.safe_load((DEPLOY / "executor-k8s.yaml").read_text())["execution"]
    checked = validate_config(k8s_job_executor.config_schema.config_type, executor["config"])
    assert checked.success, checked.errors
    bad = validate_config(K8sRunLauncher.config_type(), {"job_namespace": 3})
    assert not bad.success
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
    deployment = values["dagster-user-deployments"]["deployments"][0]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "assets.definitions"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
