"""What a run produced, read back from the Parquet tables: the numbers a user wants at the end."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.warehouse import count_rows, scan_table


@dataclass(frozen=True, slots=True)
class RunSummary:
    input_files: int
    documents: int
    document_sources: int
    rejected_by_reason: dict[str, int]
    claims_by_kind: dict[str, int]
    claims_by_stance: dict[str, int]
    speakers: int
    quantities: int
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(self.rejected_by_reason.values())

    def lines(self) -> list[str]:
        def counts(d: dict[str, int]) -> str:
            return (
                ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))
                or "none"
            )

        return [
            f"input files      {self.input_files}",
            f"documents        {self.documents} (from {self.document_sources} records)",
            f"rejected         {self.rejected} ({counts(self.rejected_by_reason)})",
            f"claims           {sum(self.claims_by_kind.values())}"
            f" by kind: {counts(self.claims_by_kind)}",
            f"                 by stance: {counts(self.claims_by_stance)}",
            f"speakers         {self.speakers}",
            f"quantities       {self.quantities}",
            f"time             {self.seconds:.1f} s",
            *[f"{k:<16} {v}" for k, v in self.extra.items()],
        ]


def _counts(frame: pl.LazyFrame, column: str) -> dict[str, int]:
    grouped = frame.group_by(pl.col(column).fill_null("none")).len().collect()
    return {str(k): int(v) for k, v in grouped.iter_rows()}


def summarize(parquet_dir: Path, seconds: float = 0.0) -> RunSummary:
    """Counts from the Parquet footers and two small columns of claims: no texts are read."""
    claims = scan_table(parquet_dir, "claims").select("kind", "stance")
    return RunSummary(
        input_files=count_rows(parquet_dir, "input_files"),
        documents=count_rows(parquet_dir, "documents"),
        document_sources=count_rows(parquet_dir, "document_sources"),
        rejected_by_reason=_counts(scan_table(parquet_dir, "rejected_inputs"), "reason"),
        claims_by_kind=_counts(claims, "kind"),
        claims_by_stance=_counts(claims.filter(pl.col("kind") != "author"), "stance"),
        speakers=count_rows(parquet_dir, "speakers"),
        quantities=count_rows(parquet_dir, "quantities"),
        seconds=seconds,
    )


#: Summaries a run asked for (`wanted`), by Parquet folder: started by the DuckDB step
#: (`start`), collected by the run once it has succeeded (`collect`).
_wanted: dict[Path, Future[RunSummary] | None] = {}
_lock = threading.Lock()


def wanted(parquet_dir: Path) -> None:
    """This process will collect the summary of `parquet_dir` after its run (`collect`)."""
    with _lock:
        _wanted[parquet_dir.resolve()] = None


def start(parquet_dir: Path) -> None:
    """Summarize `parquet_dir` in a thread now, if this process's run asked for it.

    For the DuckDB step, once the tables are final: the summary's reads (~35-50 ms at 100k
    documents) then overlap the DuckDB update, which keeps about one core busy, instead of
    following the run. A step run elsewhere (the UI, another executor) starts nothing.
    """
    key = parquet_dir.resolve()
    with _lock:
        if key not in _wanted or _wanted[key] is not None:
            return
        done: Future[RunSummary] = Future()
        _wanted[key] = done

    def work() -> None:
        try:
            done.set_result(summarize(parquet_dir))
        except BaseException as error:  # raised where it is collected
            done.set_exception(error)

    threading.Thread(target=work, name="claimbank-summary", daemon=True).start()


def collect(parquet_dir: Path, seconds: float) -> RunSummary:
    """The summary `start` made for `parquet_dir` (or made now), with the run's `seconds`."""
    with _lock:
        done = _wanted.pop(parquet_dir.resolve(), None)
    if done is None:
        return summarize(parquet_dir, seconds)
    return dataclasses.replace(done.result(), seconds=seconds)


def discard(parquet_dir: Path) -> None:
    """The run failed: no summary to collect (one started finishes on its own)."""
    with _lock:
        _wanted.pop(parquet_dir.resolve(), None)
