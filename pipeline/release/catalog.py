"""`catalog.duckdb`: one view per public table over its Parquet file, by relative path.

DuckDB resolves a relative path in a view against the *working directory*, not the database
file. So the catalog works when opened from inside the release folder (`cd <release>; duckdb
catalog.duckdb`), and from anywhere else after `SET file_search_path = '<release folder>'`.
The views are also written as `catalog.sql`, which is byte-stable and rebuilds the catalog.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.layout import ENRICHED_VIEW
from pipeline.release.parquet import TableFile

CATALOG_NAME = "catalog.duckdb"
CATALOG_SQL_NAME = "catalog.sql"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def catalog_sql(tables: list[TableFile], version: str) -> str:
    """The SQL that creates every view; paths relative to the release folder."""
    lines = [
        f"-- Claimbank {version}: views over the release's Parquet files (relative paths).",
        "-- Relative paths resolve against the working directory: run DuckDB from the release",
        "-- folder, or first: SET file_search_path = '/path/to/release';",
    ]
    for t in tables:
        lines.append(f"CREATE VIEW {t.table} AS SELECT * FROM read_parquet({_quote(t.path)});")
    lines.append(" ".join(ENRICHED_VIEW.replace("CREATE OR REPLACE", "CREATE").split()) + ";")
    return "\n".join(lines) + "\n"


def write_catalog(root: Path, sql: str) -> tuple[Path, Path]:
    """Write catalog.sql and build catalog.duckdb from it (views bound against `root`)."""
    sql_path = root / CATALOG_SQL_NAME
    sql_path.write_text(sql, encoding="utf-8")
    db_path = root / CATALOG_NAME
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    try:
        con.execute(f"SET file_search_path = {_quote(str(root.resolve()))}")
        con.execute(sql)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return db_path, sql_path
