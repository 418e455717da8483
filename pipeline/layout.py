"""Where the consolidated warehouse keeps its files: names and paths only, no table logic.

Why a module of its own: the DuckDB build runs in a fresh process (`parallel.last_on_fresh_worker`)
that imports the module of the function it runs, `pipeline.catalog`, on the run's critical path
while the other core idles. Taking these from `pipeline.warehouse` imported Pandera, the speaker
merge and the extractor with it: ~0.5 s of CPU before the build could start, ~0.25 s without.
`pipeline.warehouse` imports its names from here (and older callers still take them from it).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.storage import read_json

SPEAKERS_FILE = "speakers"
STATE_FILE = "_state.json"

#: Every table of the warehouse, in the order of `pipeline.schemas.TABLES` (tested).
TABLE_NAMES = (
    "input_files",
    "documents",
    "document_sources",
    "rejected_inputs",
    "segments",
    "sentences",
    "claims",
    "speakers",
    "quantities",
)

#: Tables whose rows belong to a document: kept only in the partition that owns the document.
DOCUMENT_TABLES = ("documents", "segments", "sentences", "claims", "quantities")


ENRICHED_VIEW = """
CREATE OR REPLACE VIEW claims_enriched AS
SELECT c.*, d.title, d.outlet, d.url, d.published_at, d.language,
       s.canonical_name AS speaker_canonical_name, s.n_documents AS speaker_n_documents
FROM claims c
JOIN documents d USING (doc_id)
LEFT JOIN speakers s USING (speaker_id)
"""


def table_dir(parquet_dir: Path, table: str) -> Path:
    return parquet_dir / table


def part_file(parquet_dir: Path, table: str, key: str) -> Path:
    return table_dir(parquet_dir, table) / f"{key}.parquet"


def table_files(parquet_dir: Path, table: str) -> list[Path]:
    """Every Parquet file of a table (temporary files of a writer never match)."""
    folder = table_dir(parquet_dir, table)
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def read_state(parquet_dir: Path) -> dict[str, str]:
    data = read_json(parquet_dir / STATE_FILE)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
