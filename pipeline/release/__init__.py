"""The released dataset: versioned Parquet, dataset card, Croissant, manifest, DuckDB catalog,
citation and a visual report, cut on demand from the warehouse's consolidated Parquet tables.

One module per file of the release; `writer.build_release` ties them together.
"""

from pipeline.release.writer import (
    DEFAULT_RELEASE_ROOT,
    ReleaseError,
    ReleaseResult,
    build_release,
)

__all__ = ["DEFAULT_RELEASE_ROOT", "ReleaseError", "ReleaseResult", "build_release"]
