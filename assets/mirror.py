"""The consolidated Parquet mirrored to object storage, when `CLAIMBANK_PARQUET_URL` is set.

Registered (in the Definitions and the job) only then: every step costs a default run Dagster
events, and the one-file increment is measured in them. Downstream of the tables, so their
blocking checks keep a failed consolidation off the mirror; the upload and the manifest
protocol are `pipeline.object_store`'s.
"""

import dagster as dg

from assets.resources import ClaimbankSettings
from assets.staged import report
from pipeline.config import parquet_url_from_env
from pipeline.layout import TABLE_NAMES


@dg.asset(
    name="parquet_mirror",
    deps=[dg.AssetKey(t) for t in TABLE_NAMES],
    group_name="warehouse",
    kinds={"parquet", "s3"},
    description="The checked Parquet tables mirrored to CLAIMBANK_PARQUET_URL (s3://, gs://, "
    "file://, any fsspec URL): only changed partitions upload, under names versioned by their "
    "signature, and manifest.json, written last, lists the files readers may trust.",
)
def parquet_mirror(
    context: dg.AssetExecutionContext, settings: ClaimbankSettings
) -> dg.MaterializeResult:
    from pipeline.object_store import mirror, storage_options_from_env

    cfg = settings.settings()
    if not cfg.parquet_url:
        raise dg.Failure("parquet_mirror needs CLAIMBANK_PARQUET_URL (an fsspec base URL)")
    result = mirror(cfg.parquet_dir, cfg.parquet_url, storage_options_from_env())
    report(
        context,
        f"mirror: {len(result.uploaded)} files uploaded ({result.bytes_uploaded} bytes), "
        f"{len(result.deleted)} deleted, {len(result.kept)} kept; {result.manifest_url}",
    )
    return dg.MaterializeResult(
        metadata={
            "files_uploaded": len(result.uploaded),
            "files_deleted": len(result.deleted),
            "files_kept": len(result.kept),
            "bytes_uploaded": result.bytes_uploaded,
            "manifest": dg.MetadataValue.url(result.manifest_url),
        }
    )


def mirror_assets() -> list[dg.AssetsDefinition]:
    """`[parquet_mirror]` when CLAIMBANK_PARQUET_URL is set, else none (no extra step)."""
    return [parquet_mirror] if parquet_url_from_env() else []
