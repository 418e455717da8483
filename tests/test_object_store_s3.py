"""The Parquet mirror over the real S3 protocol (moto's S3 server in-process, s3fs), read back
with polars and with DuckDB through a registered fsspec file system: all offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from moto.server import ThreadedMotoServer

from assets.runner import run_pipeline
from pipeline.config import Settings
from pipeline.layout import TABLE_NAMES
from pipeline.object_store import (
    mirror,
    open_store,
    read_table,
    register_duckdb_views,
    table_urls,
)
from pipeline.schemas import SORT_KEYS
from pipeline.warehouse import read_table as read_local_table

pytestmark = pytest.mark.slow


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """s3fs options for a moto S3 server on a free local port, with one empty bucket."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {"endpoint_url": f"http://{host}:{port}", "key": "testing", "secret": "testing"}
    try:
        fs, _ = open_store("s3://claimbank-test", options)
        fs.mkdir("claimbank-test")
        yield options
    finally:
        server.stop()


def test_s3_round_trip_and_duckdb_through_fsspec(
    sample_workspace: Settings, tmp_path: Path, s3: dict[str, Any]
) -> None:
    run_pipeline(sample_workspace, tmp_path / "dagster")
    url = "s3://claimbank-test/warehouse"
    first = mirror(sample_workspace.parquet_dir, url, s3)
    assert first.manifest_url == "s3://claimbank-test/warehouse/manifest.json"
    assert len(first.uploaded) == len(TABLE_NAMES) and not first.deleted
    again = mirror(sample_workspace.parquet_dir, url, s3)
    assert not again.uploaded and len(again.kept) == len(TABLE_NAMES)
    for table in TABLE_NAMES:
        local = read_local_table(sample_workspace.parquet_dir, table)
        assert read_table(url, table, s3).equals(local), table
    # polars' own S3 reader (object_store, not fsspec) on the manifest's URLs
    polars_options = {
        "aws_endpoint_url": s3["endpoint_url"],
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "aws_region": "us-east-1",
        "aws_allow_http": "true",
    }
    scanned = pl.scan_parquet(table_urls(url, "claims", s3), storage_options=polars_options)
    assert (
        scanned.collect()
        .sort(SORT_KEYS["claims"])
        .equals(read_local_table(sample_workspace.parquet_dir, "claims"))
    )
    con = duckdb.connect()
    try:
        assert set(register_duckdb_views(con, url, s3)) == set(TABLE_NAMES)
        claims = con.sql("select * from claims").pl().sort(SORT_KEYS["claims"])
        n_speakers = con.execute("select count(*) from speakers").fetchone()
    finally:
        con.close()
    assert claims.equals(read_local_table(sample_workspace.parquet_dir, "claims"))
    assert claims.height > 0
    assert n_speakers == (read_local_table(sample_workspace.parquet_dir, "speakers").height,)
