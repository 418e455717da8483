"""`README.md`: the dataset card, with the Hugging Face YAML header.

Every column table comes from the Pandera models through `public_columns`, so the card, the
docs and the checks describe a column in one place. Counts, versions and accuracy are passed in
as measured; nothing in the card is typed by hand per release.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.release.accuracy import Accuracy, Measurement
from pipeline.release.parquet import TableFile
from pipeline.release.provenance import Provenance
from pipeline.release.public import (
    INTERNAL_COLUMNS,
    PUBLIC_TABLES,
    TEXT_COLUMNS,
    description,
    public_columns,
    sort_keys,
)
from pipeline.release.stats import ReleaseStats

CARD_NAME = "README.md"
TASK_CATEGORIES = ("token-classification", "text-classification")
TAGS = ("claims", "attribution", "quotations", "news", "fact-checking", "stance")
#: Hugging Face size categories by number of rows of the main table (claims).
SIZE_CATEGORIES: tuple[tuple[int, str], ...] = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
)
PLACEHOLDER_URL = "https://YOUR-HOST/claimbank"


def size_category(rows: int) -> str:
    return next((label for limit, label in SIZE_CATEGORIES if rows < limit), "n>100M")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def yaml_header(version: str, tables: list[TableFile]) -> str:
    claims = next(t.rows for t in tables if t.table == "claims")
    lines = [
        "---",
        f"pretty_name: {_q(f'Claimbank {version}')}",
        "license: other",
        "license_name: publisher-copyright-excerpts",
        "license_link: LICENSE.md",
        "language:",
        "  - en",
        "task_categories:",
        *[f"  - {t}" for t in TASK_CATEGORIES],
        "tags:",
        *[f"  - {t}" for t in TAGS],
        "size_categories:",
        f"  - {size_category(claims)}",
        "configs:",
    ]
    for t in tables:
        lines += [f"  - config_name: {t.table}", f"    data_files: {t.path}"]
        if t.table == PUBLIC_TABLES[0]:
            lines.append("    default: true")
    lines.append("---")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rate(x: Any) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _prf_row(name: str, prf: dict[str, Any] | None) -> str:
    if not prf:
        return f"| {name} | n/a | n/a | n/a | |"
    counts = f"{prf['tp']} / {prf['n_pred']} / {prf['n_gold']}"
    return (
        f"| {name} | {_rate(prf['precision'])} | {_rate(prf['recall'])} | {_rate(prf['f1'])} "
        f"| {counts} |"
    )


def _measurement(m: Measurement) -> list[str]:
    head = ["| metric | precision | recall | F1 | tp / predicted / gold |", "|---|---|---|---|---|"]
    if m.kind == "attribution":
        x = m.metrics
        rows = [_prf_row(f"content ({lvl} match)", prf) for lvl, prf in x["content"].items()]
        rows.append(_prf_row("attribution (content + source)", x["attribution"]))
        accs = [
            f"{name.replace('_', ' ')} {_rate(x[name]['value'])} "
            f"({x[name]['correct']}/{x[name]['total']})"
            for name in ("speaker_accuracy", "source_accuracy", "cue_accuracy")
            if name in x
        ]
        return [
            f"**Attribution** — `{m.label}`: {x['n_docs']} documents, "
            f"{x['n_gold_required']} gold claims.",
            "",
            *head,
            *rows,
            "",
            "Accuracy on matched claims: " + "; ".join(accs) + ".",
            "",
        ]
    x = m.metrics
    rows = [
        _prf_row("value", x.get("value")),
        _prf_row("value + unit", x.get("value_unit")),
        _prf_row("value + change", x.get("value_change")),
    ]
    return [
        f"**Quantities** — `{m.label}`: {x['n_gold']} gold quantities.",
        "",
        *head,
        *rows,
        "",
    ]


def _counts_line(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in d.items()) or "none"


def _loading(version: str, tables: list[TableFile]) -> list[str]:
    return [
        "## How to load",
        "",
        "Every table is one Parquet file under `data/`. Offsets are Python `str` indices "
        "(Unicode code points) into the article text, end exclusive.",
        "",
        "**DuckDB**: `catalog.duckdb` holds one view per table (and `claims_enriched`, claims "
        "joined with their document and speaker) over the files by relative path. DuckDB "
        "resolves relative paths against the working directory, so open it from this folder, "
        "or set `file_search_path` first:",
        "",
        "```sql",
        "-- from this folder: duckdb catalog.duckdb",
        "SELECT speaker_name, count(*) AS n FROM claims",
        "WHERE speaker_name IS NOT NULL GROUP BY ALL ORDER BY n DESC LIMIT 10;",
        "",
        "-- from anywhere: duckdb /path/to/release/catalog.duckdb",
        "SET file_search_path = '/path/to/release';",
        "SELECT count(*) FROM claims;",
        "```",
        "",
        "`catalog.sql` is the script the catalog was built from (`duckdb new.duckdb < "
        "catalog.sql`, run in this folder). Over HTTP, without downloading (DuckDB's `httpfs` "
        "extension; replace the host with wherever this release is served):",
        "",
        "```sql",
        "INSTALL httpfs; LOAD httpfs;",
        "SELECT kind, count(*)",
        f"FROM read_parquet('{PLACEHOLDER_URL}/{version}/data/claims.parquet') GROUP BY kind;",
        "```",
        "",
        "**Polars** and **pandas**:",
        "",
        "```python",
        "import polars as pl",
        "claims = pl.read_parquet('data/claims.parquet')",
        "import pandas as pd",
        "speakers = pd.read_parquet('data/speakers.parquet')",
        "```",
        "",
        "**Hugging Face `datasets`** (the YAML header above declares one config per table):",
        "",
        "```python",
        "from datasets import load_dataset",
        "claims = load_dataset('parquet', data_files='data/claims.parquet', split='train')",
        "# or, from this folder or its hub copy: load_dataset('<folder or repo>', 'speakers')",
        "```",
        "",
        f"Configs: {', '.join(f'`{t.table}`' for t in tables)}.",
        "",
    ]


def _tables_section(include_text: bool) -> list[str]:
    out = ["## Tables", ""]
    dropped_text = [f"`{t}.{c}`" for t, cols in TEXT_COLUMNS.items() for c in cols]
    internal = [f"`{t}.{c}`" for t, cols in INTERNAL_COLUMNS.items() for c in cols]
    if include_text:
        out.append(
            "This release was cut with `--include-text`: it carries the article texts "
            f"({', '.join(dropped_text)})."
        )
    else:
        out.append(
            "Article texts belong to their publishers, so this release carries no full text: "
            f"{', '.join(dropped_text)} are left out. Offsets, `documents.text_sha256`, URLs and "
            "metadata stay, so a user who holds the articles can restore every span "
            "(`text[start:end]`) and check it against the hash."
        )
    out += [
        "",
        f"Left out as internal bookkeeping: {', '.join(internal)}. The builder's input ledger "
        "(`input_files`, `rejected_inputs`: local paths and error messages) is not published; "
        "its counts are under *How it was made*.",
        "",
    ]
    for table in PUBLIC_TABLES:
        out += [
            f"### `{table}`",
            "",
            description(table),
            "",
            f"Sorted by: {', '.join(f'`{k}`' for k in sort_keys(table))}.",
            "",
            "| column | type | nullable | description |",
            "|---|---|---|---|",
        ]
        for c in public_columns(table, include_text):
            nullable = "yes" if c.nullable else "no"
            out.append(f"| `{c.name}` | {_md(c.type_name)} | {nullable} | {_md(c.description)} |")
        out.append("")
    return out


def _counts_section(tables: list[TableFile], sizes: dict[str, int], stats: ReleaseStats) -> list:
    period = (
        f"{stats.first_date} to {stats.last_date}" if stats.first_date else "no publication dates"
    )
    out = [
        "## Counts",
        "",
        "| table | rows | file | bytes |",
        "|---|---|---|---|",
        *[f"| `{t.table}` | {t.rows:,} | `{t.path}` | {sizes[t.path]:,} |" for t in tables],
        "",
        f"- Outlets: {stats.outlets:,}; publication dates {period} "
        f"({stats.undated_documents:,} documents undated).",
        f"- Claims by kind: {_counts_line(stats.claims_by_kind)}.",
        f"- Attributed claims by stance: {_counts_line(stats.claims_by_stance)}.",
        f"- Attributed claims by speaker type: {_counts_line(stats.claims_by_speaker_type)}.",
        f"- Quantities inside a claim: {stats.quantities_in_claims:,} of "
        f"{stats.rows['quantities']:,}.",
        "",
        "`report.html` (open it in a browser; it works offline) plots these counts.",
        "",
    ]
    return out


def _made_section(p: Provenance, include_text: bool) -> list[str]:
    rejected = sum(p.rejected_by_reason.values())
    out = [
        "## How it was made",
        "",
        "Claimbank reads raw news files, decodes and normalizes each article, splits it into "
        "segments and sentences, and extracts claims with rules: quotation marks, reporting "
        "cues from a lexicon (each with a stance), the source mention, and the speaker it "
        "resolves to within the document; quantities are found with a unit lexicon. Speakers "
        "are then merged across documents by type and normalized name. Every table passes "
        "Pandera checks, referential checks and an offset round trip (`text[start:end]` equals "
        "every stored span) before it is written.",
        "",
        f"- Pipeline (claimbank) version: {p.pipeline_version}; schema version: "
        f"{p.schema_version}; extractor version(s): {', '.join(p.extractor_versions) or 'none'}.",
        f"- Libraries: {', '.join(f'{k} {v}' for k, v in p.libraries.items())}.",
        f"- Inputs: {p.input_files:,} files, {p.input_records:,} records; {rejected:,} rejected "
        f"({_counts_line(p.rejected_by_reason)}).",
        f"- Options: include_text={'yes' if include_text else 'no'}.",
        "- Rule data (path: first 12 hex digits of its sha256):",
        "",
        *[f"  - `{path}`: `{digest}`" for path, digest in p.lexicons.items()],
        "",
    ]
    return out


def _accuracy_section(acc: Accuracy) -> list[str]:
    out = ["## Accuracy", "", acc.source, ""]
    if acc.measured:
        out += [
            "Metrics as defined by `claimbank eval` (exact, half or any overlap of the content "
            "span; attribution also requires the right source). The counts let you recompute "
            "every rate.",
            "",
        ]
        for m in acc.measurements:
            out += _measurement(m)
    return out


def _limitations(stats: ReleaseStats) -> list[str]:
    attributed = sum(stats.claims_by_speaker_type.values())
    unresolved = stats.attributed_without_speaker
    share = f"{unresolved / attributed:.0%}" if attributed else "n/a"
    return [
        "## Limitations and biases",
        "",
        "- English only. The extractor is rule-based (patterns and lexicons, no learned model): "
        "unusual reporting constructions are missed, and quotes without a nearby cue or source "
        "may be attributed to the wrong speaker or left as author statements.",
        "- A claim row records that someone *said* something, not that it is true. `author` "
        "claims are the article's own unattributed statements.",
        "- `stance` comes from the cue word's lexicon entry ('claimed' is distancing, "
        "'acknowledged' assertive), not from the context or the writer's intent.",
        "- Speakers are resolved within one document, then merged across documents by type and "
        "normalized name: different people with the same name are merged, and spelling "
        "variants of one name stay apart. "
        f"{unresolved:,} attributed claims ({share}) have no resolved speaker.",
        "- Who is heard depends on the corpus: the outlets, their mix of beats (markets, "
        "politics) and the period decide which speakers and numbers dominate; see the outlet "
        "counts in `report.html` before generalizing.",
        "- `published_at` is whatever date the source metadata gave; for scraped corpora this "
        "may be the scraping date rather than the publication date.",
        "- Quantities exclude dates and times; units are normalized by a lexicon, and a bare "
        "number has no unit.",
        "",
    ]


def license_section() -> list[str]:
    return [
        "## License and copyright",
        "",
        "The structure this release adds (ids, offsets, labels, speakers, counts) is produced by "
        "Claimbank's code (Apache-2.0). The claim texts, titles, quantity surfaces and, in "
        "`--include-text` releases, the article texts are excerpts of news articles whose "
        "copyright stays with their publishers: use them for research as your jurisdiction "
        "allows (quotation, text and data mining), and do not republish the articles.",
        "",
    ]


def render(
    *,
    version: str,
    summary: str,
    tables: list[TableFile],
    sizes: dict[str, int],
    stats: ReleaseStats,
    provenance: Provenance,
    accuracy: Accuracy,
    include_text: bool,
    bibtex: str,
) -> str:
    lines = [
        yaml_header(version, tables),
        "",
        f"# Claimbank {version}",
        "",
        "## Summary",
        "",
        summary,
        f"This release holds {stats.rows['claims']:,} claims by {stats.rows['speakers']:,} "
        f"speakers in {stats.rows['documents']:,} documents from {stats.outlets:,} outlets, "
        f"and {stats.rows['quantities']:,} quantities.",
        "",
        "Files: `data/*.parquet` (the tables), `catalog.duckdb` and `catalog.sql` (DuckDB "
        "views), `croissant.json` (MLCommons Croissant 1.0), `manifest.json` (every file with "
        "bytes and sha256), `CITATION.cff`, `report.html` (charts).",
        "",
        *_loading(version, tables),
        *_tables_section(include_text),
        *_counts_section(tables, sizes, stats),
        *_made_section(provenance, include_text),
        *_accuracy_section(accuracy),
        *_limitations(stats),
        *license_section(),
        "## Citation",
        "",
        "```bibtex",
        bibtex,
        "```",
        "",
        "See also `CITATION.cff`.",
        "",
    ]
    return "\n".join(lines)
