"""The released dataset as an on-demand asset: never in `claimbank_job`, so neither the daily
schedule nor the sensor cuts a release; a user materializes it with a version in its config.
"""

from pathlib import Path

import dagster as dg
from pydantic import Field

from assets.resources import ClaimbankSettings
from pipeline.release import DEFAULT_RELEASE_ROOT, ReleaseError, build_release
from pipeline.schemas import TABLES


class ReleaseConfig(dg.Config):
    """What `claimbank release` takes: the version is required, so a release is deliberate."""

    version: str
    include_text: bool = False
    out_dir: str = str(DEFAULT_RELEASE_ROOT)
    eval_json: list[str] = Field(default_factory=list)


@dg.asset(
    name="release",
    deps=[dg.AssetKey(t) for t in TABLES],
    group_name="release",
    kinds={"parquet", "duckdb"},
    description="The released dataset under data/release/<version>/: Parquet per public table, "
    "README.md dataset card, croissant.json, manifest.json, catalog.duckdb, CITATION.cff and "
    "report.html. Materialized on demand, with the version in the run config.",
)
def release(
    context: dg.AssetExecutionContext, config: ReleaseConfig, settings: ClaimbankSettings
) -> dg.MaterializeResult:
    try:
        result = build_release(
            settings.settings().parquet_dir,
            config.version,
            Path(config.out_dir).resolve(),
            include_text=config.include_text,
            eval_json=[Path(p) for p in config.eval_json],
        )
    except ReleaseError as error:
        raise dg.Failure(str(error)) from error
    context.log.info(f"release {config.version}: {result.path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "bytes": result.bytes,
            "accuracy": result.accuracy.source,
            **{f"rows/{t.table}": t.rows for t in result.tables},
        }
    )
