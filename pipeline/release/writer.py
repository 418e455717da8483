"""Cut a release: every file of `data/release/<version>/`, built in a temporary folder that
replaces the old one only when complete, so a failed build never leaves half a release.

Order matters: the Parquet files first (everything else describes them), then the catalog,
card, Croissant, citation and report, and the manifest last, over all of them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.config import REPO_ROOT
from pipeline.partitions import file_sha256
from pipeline.release import card, catalog, citation, croissant, manifest, provenance, report, stats
from pipeline.release.accuracy import DEFAULT_SEED_DIR, Accuracy, measure
from pipeline.release.parquet import StaleWarehouse, TableFile, write_public_tables
from pipeline.release.public import SCHEMA_VERSION
from pipeline.warehouse import read_table, table_files

DEFAULT_RELEASE_ROOT = REPO_ROOT / "data" / "release"
LICENSE_NAME = "LICENSE.md"
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+(?:[-+.][0-9A-Za-z.-]+)?$")
SUMMARY = (
    "Claimbank is a dataset of claims in news articles: who claimed what, about whom, how "
    "firmly (the stance of the reporting cue) and with which numbers. Every claim, speaker "
    "mention, cue and quantity points to exact character offsets in its source article."
)


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    path: Path
    tables: list[TableFile]
    bytes: int
    accuracy: Accuracy


class ReleaseError(ValueError):
    """Bad release options or no warehouse to release (a user error, printed as one line)."""


def check_version(version: str) -> str:
    if not VERSION_PATTERN.match(version):
        raise ReleaseError(f"version {version!r} is not like 1.2.3 (optionally 1.2.3-rc1)")
    return version


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def build_release(
    parquet_dir: Path,
    version: str,
    out_root: Path = DEFAULT_RELEASE_ROOT,
    include_text: bool = False,
    eval_json: list[Path] | tuple[Path, ...] = (),
    seed_dir: Path | None = DEFAULT_SEED_DIR,
    released: date | None = None,
    url: str | None = None,
) -> ReleaseResult:
    """Write `out_root/<version>/` from the warehouse's consolidated Parquet tables."""
    check_version(version)
    if not table_files(parquet_dir, "documents"):
        raise ReleaseError(f"no warehouse tables in {parquet_dir}: run `claimbank run` first")
    accuracy = measure(eval_json, seed_dir)
    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / version
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.", suffix=".tmp", dir=out_root))
    try:
        try:
            tables, frames = write_public_tables(parquet_dir, tmp, include_text)
        except StaleWarehouse as error:
            raise ReleaseError(str(error)) from error
        release_stats = stats.compute(frames)
        made = provenance.collect(
            read_table(parquet_dir, "input_files"),
            read_table(parquet_dir, "rejected_inputs"),
            release_stats.extractor_versions,
        )
        catalog.write_catalog(tmp, catalog.catalog_sql(tables, version))
        page_url = f"{url.rstrip('/')}/{version}" if url else card.PLACEHOLDER_URL + f"/{version}"
        cite = citation.bibtex(version, released, url)
        _write(tmp / citation.CITATION_NAME, citation.citation_cff(version, released, url))
        _write(tmp / LICENSE_NAME, "# License\n\n" + "\n".join(card.license_section()[2:]))
        sizes = {t.path: (tmp / t.path).stat().st_size for t in tables}
        _write(
            tmp / card.CARD_NAME,
            card.render(
                version=version,
                summary=SUMMARY,
                tables=tables,
                sizes=sizes,
                stats=release_stats,
                provenance=made,
                accuracy=accuracy,
                include_text=include_text,
                bibtex=cite,
            ),
        )
        _write(tmp / report.REPORT_NAME, report.render(version, frames, release_stats))
        shas = {t.path: file_sha256(tmp / t.path) for t in tables}
        metadata = croissant.build_croissant(
            version=version,
            summary=SUMMARY,
            license_text="Annotations by Claimbank (Apache-2.0 code); article excerpts remain "
            "under their publishers' copyright. See LICENSE.md.",
            cite_as=cite,
            url=page_url,
            files=[(t.table, t.path, shas[t.path]) for t in tables],
            include_text=include_text,
            date_published=released.isoformat() if released else None,
        )
        _write(tmp / croissant.CROISSANT_NAME, manifest.to_json(metadata))
        others = [
            catalog.CATALOG_SQL_NAME,
            citation.CITATION_NAME,
            LICENSE_NAME,
            card.CARD_NAME,
            report.REPORT_NAME,
            croissant.CROISSANT_NAME,
        ]
        about = {
            "name": "claimbank",
            "version": version,
            "schema_version": SCHEMA_VERSION,
            "pipeline_version": made.pipeline_version,
            "extractor_versions": made.extractor_versions,
            "include_text": include_text,
        }
        unhashed = {
            catalog.CATALOG_NAME: "DuckDB writes a random database id into every new file; "
            f"rebuild it from {catalog.CATALOG_SQL_NAME}, which is hashed."
        }
        manifest.write_manifest(tmp, manifest.build_manifest(tmp, tables, others, unhashed, about))
        total = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
        tmp.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return ReleaseResult(target, tables, total, accuracy)
