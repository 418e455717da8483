"""`report.html`: one self-contained page of charts about the release (inline SVG, no script).

A Content-Security-Policy forbids every external load, so a page that tried to fetch a font, a
script or an image would log an error instead of working only online; the tests render it in
headless Chromium and fail on any console message.
"""

from __future__ import annotations

from html import escape

import polars as pl

from pipeline.release import charts
from pipeline.release.stats import UNKNOWN, ReleaseStats

REPORT_NAME = "report.html"
TOP_OUTLETS = 12
TOP_SPEAKERS = 20
TOP_UNITS = 6
TOP_VALUES = 6
MAX_MONTH_COLUMNS = 24
#: Bins of the claims-per-document histogram: (label, low, high inclusive; None = open).
CLAIM_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3–4", 3, 4),
    ("5–9", 5, 9),
    ("10–19", 10, 19),
    ("20–49", 20, 49),
    ("50+", 50, None),
)
SPEAKER_TYPE_COLORS = {
    "person": charts.PALETTE[0],
    "organization": charts.PALETTE[1],
    "government": charts.PALETTE[2],
    "other": charts.PALETTE[7],
}

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem;margin-bottom:.4rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1rem}
.facts td{padding:.15rem .8rem .15rem 0}.legend span{display:inline-block;margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _figure(chart_id: str, caption: str, svg: str) -> str:
    return (
        f"<figure class='chart' id='chart-{chart_id}' data-chart='{chart_id}'>"
        f"<figcaption>{escape(caption)}</figcaption>{svg}</figure>"
    )


def claims_by_outlet_month(frames: dict[str, pl.DataFrame]) -> tuple[list, list, list]:
    """Top outlets (rest grouped) × publication month (year if the span is long)."""
    docs = frames["documents"].select(
        "doc_id",
        pl.col("outlet").fill_null(UNKNOWN),
        pl.col("published_at").dt.strftime("%Y-%m").fill_null("undated").alias("period"),
    )
    joined = frames["claims"].select("doc_id").join(docs, on="doc_id", how="left")
    if joined["period"].n_unique() > MAX_MONTH_COLUMNS:
        joined = joined.with_columns(
            pl.when(pl.col("period") == "undated")
            .then(pl.col("period"))
            .otherwise(pl.col("period").str.slice(0, 4))
        )
    top = (joined.group_by("outlet").len().sort(["len", "outlet"], descending=[True, False]))[
        "outlet"
    ].to_list()
    keep = set(top[:TOP_OUTLETS])
    other = f"other outlets ({len(top) - len(keep)})"
    joined = joined.with_columns(
        pl.when(pl.col("outlet").is_in(list(keep))).then("outlet").otherwise(pl.lit(other))
    )
    rows = [o for o in top if o in keep] + ([other] if len(top) > len(keep) else [])
    periods = sorted(joined["period"].unique().to_list(), key=lambda p: (p == "undated", p))
    cells = {(o, p): n for o, p, n in joined.group_by("outlet", "period").len().iter_rows()}
    return rows, periods, [[cells.get((o, p), 0) for p in periods] for o in rows]


def top_speakers(frames: dict[str, pl.DataFrame]) -> list[tuple[str, int, str]]:
    speakers = frames["speakers"].sort(
        ["n_claims", "canonical_name", "speaker_id"], descending=[True, False, False]
    )
    return [
        (row["canonical_name"], row["n_claims"], row["speaker_type"])
        for row in speakers.head(TOP_SPEAKERS).iter_rows(named=True)
    ]


def top_numbers_by_unit(frames: dict[str, pl.DataFrame]) -> list[tuple[str, list[tuple[str, int]]]]:
    """For the most frequent units, the values mentioned most often with that unit."""
    q = frames["quantities"].filter(pl.col("normalized_unit").is_not_null())
    units = (
        q.group_by("normalized_unit")
        .len()
        .sort(["len", "normalized_unit"], descending=[True, False])["normalized_unit"]
    )
    out = []
    for unit in units.head(TOP_UNITS).to_list():
        values = (
            q.filter(pl.col("normalized_unit") == unit)
            .group_by("value")
            .len()
            .sort(["len", "value"], descending=[True, False])
            .head(TOP_VALUES)
        )
        out.append((unit, [(f"{_number(v)} {unit}", n) for v, n in values.iter_rows()]))
    return out


def _number(value: str) -> str:
    """'1000000' -> '1,000,000' for reading; ranges and anything else stay as stored."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


def claims_per_document(frames: dict[str, pl.DataFrame]) -> list[tuple[str, int]]:
    per_doc = (
        frames["documents"]
        .select("doc_id")
        .join(frames["claims"].group_by("doc_id").len(), on="doc_id", how="left")
        .with_columns(pl.col("len").fill_null(0))["len"]
    )
    out = []
    for label, low, high in CLAIM_BINS:
        in_bin = per_doc >= low if high is None else (per_doc >= low) & (per_doc <= high)
        out.append((label, int(in_bin.sum())))
    return out


def _facts(version: str, stats: ReleaseStats) -> str:
    period = (
        f"{stats.first_date} – {stats.last_date}" if stats.first_date else "no publication dates"
    )
    rows = [
        ("release", version),
        ("documents", f"{stats.rows['documents']:,}"),
        ("claims", f"{stats.rows['claims']:,}"),
        ("speakers", f"{stats.rows['speakers']:,}"),
        ("quantities", f"{stats.rows['quantities']:,}"),
        ("outlets", f"{stats.outlets:,}"),
        ("published", f"{period} ({stats.undated_documents:,} undated documents)"),
    ]
    cells = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table class='facts'>{cells}</table>"


def render(version: str, frames: dict[str, pl.DataFrame], stats: ReleaseStats) -> str:
    outlets, periods, cells = claims_by_outlet_month(frames)
    speakers = top_speakers(frames)
    legend = "".join(
        f"<span><i class='swatch' style='background:{color}'></i>{escape(kind)}</span>"
        for kind, color in SPEAKER_TYPE_COLORS.items()
    )
    units = "".join(
        _figure(
            f"unit-{i}",
            f"most frequent values in {unit}",
            charts.hbars(items, f"most frequent values in {unit}", width=520),
        )
        for i, (unit, items) in enumerate(top_numbers_by_unit(frames))
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        f"<title>Claimbank {escape(version)}: report</title><style>{CSS}</style></head><body>",
        f"<h1>Claimbank {escape(version)}</h1>",
        "<p>Who claimed what in the news, extracted by rules and traceable to character offsets. "
        "Counts below are over this release; see README.md for what every column means.</p>",
        _facts(version, stats),
        "<h2>Claims per outlet and publication month</h2>",
        _figure(
            "outlet-month",
            "claims per outlet (rows) and month (columns); darker is more",
            charts.heatmap(outlets, periods, cells, "claims per outlet and month"),
        ),
        "<h2>Top speakers</h2>",
        f"<p class='legend'>{legend}</p>",
        _figure(
            "top-speakers",
            f"the {len(speakers)} speakers with the most claims, merged across documents",
            charts.hbars(
                [(name, n) for name, n, _ in speakers],
                "top speakers by claims",
                colors=[SPEAKER_TYPE_COLORS.get(t, charts.BAR) for _, _, t in speakers],
            ),
        ),
        "<h2>Stance and kind</h2><div class='grid'>",
        _figure(
            "stance",
            "stance of attributed claims (from the cue: 'said' neutral, 'claimed' distancing…)",
            charts.hbars(list(stats.claims_by_stance.items()), "claims by stance", width=520),
        ),
        _figure(
            "kind",
            "kind of claim: direct quote, indirect (reported), mixed, or the author's own",
            charts.hbars(list(stats.claims_by_kind.items()), "claims by kind", width=520),
        ),
        "</div>",
        "<h2>Most-cited numbers by unit</h2>",
        f"<div class='grid'>{units}</div>",
        "<h2>Claims per document</h2>",
        _figure(
            "claims-per-document",
            "documents by how many claims were extracted from them",
            charts.vbars(claims_per_document(frames), "documents by number of claims"),
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
