"""The benchmark's markdown table and plot, from the summary `run.py` writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

STEPS = ("ingest", "extract", "tables", "claimbank_duckdb")


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


def _rounds(side: dict[str, Any]) -> str:
    """How the side-by-side was timed: the median of fresh-process passes, and their spread."""
    if "rounds" not in side:
        return ""
    cb = sorted(side["mb"] / t for t in side["claimbank_rounds_s"])
    bl = sorted(side["mb"] / t for t in side["baseline_rounds_s"])
    return (
        f"median of {side['rounds']} passes, each in a fresh process, the systems alternating "
        f"(Claimbank {cb[0]:.3f}-{cb[-1]:.3f} MB/s, baseline {bl[0]:.4f}-{bl[-1]:.4f} MB/s); "
    )


def _collector(side: dict[str, Any]) -> str:
    """The garbage-collector regime of the passes, when the summary records one."""
    return f"garbage collector {side['collector']}; " if "collector" in side else ""


def table(s: dict[str, Any]) -> str:
    side, f1 = s["side_by_side"], s["polnear_dev"]
    lines = [
        f"# Claimbank benchmark ({s['mode']}, {s['cores']} cores)",
        "",
        f"Extraction on the same {side['documents']} real articles ({side['mb']:.2f} MB), "
        "one core each, both from raw text (Claimbank's segmentation included), both warmed up "
        "on the same untimed articles; "
        f"{_rounds(side)}"
        f"{_collector(side)}"
        f"Claimbank's extractor build: {s.get('extractor_build', 'not recorded')}:",
        "",
        "| system | MB/s | docs/s | PolNeAR dev attribution F1 | content F1 (half) |",
        "|---|---:|---:|---:|---:|",
        f"| Claimbank | {_f(side['claimbank_mb_s'], 3)} | {_f(side['claimbank_docs_s'], 1)} | "
        f"{_f(f1['claimbank']['attribution_f1'], 3)} | "
        f"{_f(f1['claimbank']['content_half_f1'], 3)} |",
        f"| spaCy baseline (en_core_web_sm, dependency rules) | {_f(side['baseline_mb_s'], 4)} | "
        f"{_f(side['baseline_docs_s'], 1)} | {_f(f1['baseline']['attribution_f1'], 3)} | "
        f"{_f(f1['baseline']['content_half_f1'], 3)} |",
        f"| ratio | **{_f(s['speedup'], 1)}×** | | | |",
        "",
        "`claimbank run` end to end (seconds per Dagster step; other = process start, imports, "
        "summary):",
        "",
        "| documents | MB | " + " | ".join(STEPS) + " | other | total s | docs/s | peak RSS MB |",
        "|---:|---:|" + "---:|" * (len(STEPS) + 5),
    ]
    for r in s["runs"].values():
        steps = " | ".join(_f(r["steps_s"][k], 1) for k in STEPS)
        lines.append(
            f"| {r['documents']:,} | {r['mb']:.0f} | {steps} | {_f(r['other_s'], 1)} | "
            f"{_f(r['wall_s'], 1)} | {_f(r['documents'] / r['wall_s'], 0)} | "
            f"{_f(r['peak_rss_mb'], 0)} |"
        )
    inc, alone = s["incremental_run"], s["extraction_alone"]
    steps = " | ".join(_f(inc["steps_s"][k], 1) for k in STEPS)
    lines.append(
        f"| +{s['incremental_documents']} (new file) | | {steps} | {_f(inc['other_s'], 1)} | "
        f"{_f(inc['wall_s'], 1)} | | {_f(inc['peak_rss_mb'], 0)} |"
    )
    lines += [
        "",
        f"Segmentation + extraction alone (the floor, in a pool of {alone['workers']}, texts in "
        f"memory, nothing written) at {s['e2e_over_extract_size']:,} documents: "
        f"{_f(alone['wall_with_segmentation_s'], 1)} s wall, {_f(alone.get('cpu_s'), 1)} s CPU; "
        f"`extract_document` calls alone {_f(alone['extract_wall_s'], 1)} s per worker "
        f"(e2e over that: {_f(s.get('e2e_over_extract_calls'))}). CPU of the "
        f"{s['e2e_over_extract_size']:,} run over the floor's CPU: "
        f"{_f(s.get('e2e_over_extract_cpu'))}.",
        *_outputs_alone(s),
        "",
        "| summary.json | value | target |",
        "|---|---:|---|",
        f"| speedup | {_f(s['speedup'], 1)} | ≥ 50 |",
        f"| e2e_over_extract | {_f(s['e2e_over_extract'])} | ≤ 1.5 |",
        f"| outputs_alone_over_extract (the same outputs, nothing else) | "
        f"{_f(s.get('outputs_alone_over_extract'))} | |",
        f"| rss_250k_over_25k ({s['rss_sizes'][1]:,} / {s['rss_sizes'][0]:,} docs) | "
        f"{_f(s['rss_250k_over_25k'])} | ≤ 1.2 |",
        f"| incremental_over_full | {_f(s['incremental_over_full'], 3)} | ≤ 0.05 |",
        "",
    ]
    return "\n".join(lines)


def _outputs_alone(s: dict[str, Any]) -> list[str]:
    """The paragraph on `benchmarks.lower_bound`'s pass, when the bench ran one."""
    bound = s.get("outputs_alone")
    if not bound:
        return []
    cpu = bound["worker_cpu_s"]
    return [
        "",
        f"The same outputs with nothing else (`benchmarks.lower_bound`: each input file read, "
        f"segmented and extracted, its rows written as zstd Parquet, then the DuckDB tables built; "
        f"no Dagster, Pandera, staging, consolidation or checks) at {s['e2e_over_extract_size']:,} "
        f"documents: {_f(bound['wall_s'], 1)} s wall, {_f(bound['cpu_s'], 1)} s CPU (workers: "
        f"ingest {_f(cpu['ingest'], 1)}, segmentation + extraction + rows "
        f"{_f(cpu['extract_and_rows'], 1)}, Parquet {_f(cpu['parquet'], 1)}; DuckDB build "
        f"{_f(bound['duckdb_cpu_s'], 1)}): {_f(s['outputs_alone_over_extract'])} times the floor's "
        f"wall, {_f(s['outputs_alone_over_extract_cpu'])} times its CPU. That is the least "
        f"e2e_over_extract these outputs allow with the pipeline's own reading, row building, "
        f"Parquet and DuckDB code on this machine; the run's ratio above it is orchestration, "
        f"validation, the staged round trip, deduplication and the speaker merge.",
    ]


def plot(s: dict[str, Any], path: Path) -> None:
    """Time by step and peak RSS against corpus size, and the throughput ratio."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = list(s["runs"].values())
    sizes = [r["documents"] for r in runs]
    labels = [f"{n // 1000}k" if n >= 1000 else str(n) for n in sizes]
    fig, (ax_t, ax_m, ax_x) = plt.subplots(1, 3, figsize=(15, 4.5))
    bottom = [0.0] * len(runs)
    for step in (*STEPS, "other"):
        values = [r["other_s"] if step == "other" else r["steps_s"][step] for r in runs]
        ax_t.bar(labels, values, bottom=bottom, label=step)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax_t.set(title="claimbank run: seconds by step", xlabel="documents", ylabel="s")
    ax_t.legend(fontsize=8)
    ax_m.plot(sizes, [r["peak_rss_mb"] for r in runs], marker="o")
    ax_m.set(title="peak RSS of the run", xlabel="documents", ylabel="MB", ylim=(0, None))
    side = s["side_by_side"]
    ax_x.bar(["Claimbank", "spaCy baseline"], [side["claimbank_mb_s"], side["baseline_mb_s"]])
    ax_x.set_yscale("log")
    ax_x.set(title=f"extraction MB/s per core ({s['speedup']:.0f}×)", ylabel="MB/s (log)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
