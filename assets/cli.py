"""`claimbank`: run the pipeline, query the warehouse, measure the extractor.

Dagster is imported only by `run`, so `sql` and `eval` start fast. User errors end with a
one-line message and exit code 1 (2 for bad usage), never a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from pipeline.config import DEFAULT_DAGSTER_HOME, Settings


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line."""

    def show(self, file=None) -> None:
        click.echo(f"claimbank: error: {self.message}", err=True)


def _settings(input_dir: Path | None, warehouse_dir: Path | None) -> Settings:
    try:
        env: Settings | None = Settings.from_env()
    except ValueError:  # int() of the variable below
        env = None
    if env is None or env.max_document_bytes < 1:  # as --max-document-bytes: 1 or more
        value = os.environ.get("CLAIMBANK_MAX_DOCUMENT_BYTES")
        raise UserError(f"CLAIMBANK_MAX_DOCUMENT_BYTES={value!r} is not a number of bytes >= 1")
    return Settings(
        input_dir=(input_dir or env.input_dir).resolve(),
        warehouse_dir=(warehouse_dir or env.warehouse_dir).resolve(),
        max_document_bytes=env.max_document_bytes,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimbank")
def main() -> None:
    """Claimbank: who claimed what in the news, traceable to the exact characters.

    \b
    claimbank run                 ingest data/raw, extract claims, build the warehouse
    claimbank sql "select ..."    query data/warehouse/claimbank.duckdb (read-only)
    claimbank eval --gold F --docs D   score the extractor against gold annotations
    """


@main.command()
@click.option(
    "--input",
    "input_dir",
    type=click.Path(path_type=Path),
    help="Folder of input files (default: data/raw or $CLAIMBANK_INPUT).",
)
@click.option(
    "--warehouse",
    "warehouse_dir",
    type=click.Path(path_type=Path),
    help="Output folder (default: data/warehouse or $CLAIMBANK_WAREHOUSE).",
)
@click.option(
    "--dagster-home",
    type=click.Path(path_type=Path),
    default=None,
    help="Dagster instance folder (default: .dagster in the repo or $DAGSTER_HOME).",
)
@click.option(
    "--max-document-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Reject documents above this many bytes of UTF-8 text, reason too_large "
    "(default: 5,000,000 or $CLAIMBANK_MAX_DOCUMENT_BYTES).",
)
@click.option(
    "--wait",
    is_flag=True,
    help="If another run holds the warehouse lock, wait for it instead of stopping.",
)
@click.option("--quiet", is_flag=True, help="Print only the summary.")
def run(
    input_dir: Path | None,
    warehouse_dir: Path | None,
    dagster_home: Path | None,
    max_document_bytes: int | None,
    wait: bool,
    quiet: bool,
) -> None:
    """Materialize every asset through Dagster: ingest → segment + extract → Parquet → DuckDB.

    Files already processed (same bytes, same extractor version) are skipped; the warehouse
    mirrors the input folder, so a deleted input file's rows leave it.

    One run per warehouse at a time: a run holds an exclusive lock (fcntl.flock) on
    WAREHOUSE/.claimbank.lock, and a second run stops with a one-line message (or waits,
    with --wait). `claimbank sql` keeps working during a run and reads the last finished
    warehouse.
    """
    import dataclasses
    import os

    from assets.cli_paths import run_path_problem
    from pipeline.lean_imports import (
        arrow_without_pandas,
        collector_paused,
        dagster_daemon_deferred,
        imports_kept_out_of_gc,
        pandera_without_strategies,
    )
    from pipeline.pool_warmup import start_if_work

    settings = _settings(input_dir, warehouse_dir)
    home = dagster_home or Path(os.environ.get("DAGSTER_HOME", DEFAULT_DAGSTER_HOME))
    if problem := run_path_problem(settings.input_dir, settings.warehouse_dir, home.resolve()):
        raise UserError(problem)
    small = _allocator_for_small_increment(settings)
    with imports_kept_out_of_gc("assets.runner"):
        # the extraction pool's workers start while this process imports Dagster and sets up;
        # a small increment's warm up behind it (`pipeline.warm_up_behind`)
        start_if_work(settings.input_dir, settings.staging_dir, _warm_up(small))
        dagster_daemon_deferred()  # its daemons run in `dagster dev`, not here
        from assets.runner import RunFailed, run_pipeline

    arrow_without_pandas()  # this process never converts to or from pandas
    pandera_without_strategies()  # nor asks Pandera for synthetic data

    if max_document_bytes is not None:
        settings = dataclasses.replace(settings, max_document_bytes=max_document_bytes)
    if not quiet:
        logging.basicConfig(format="  %(message)s", level=logging.WARNING, stream=sys.stderr)
        logging.getLogger("claimbank.progress").setLevel(logging.INFO)
    # paused to the end: switched back on, the collector would first scan everything the
    # run allocated, just before the process ends
    with collector_paused(small):
        try:
            summary = run_pipeline(settings, home, wait=wait)
        except RunFailed as error:
            raise UserError(str(error)) from error
        _echo_while_read(
            [f"Claimbank run finished: {settings.duckdb_path}"]
            + [f"  {line}" for line in summary.lines()]
        )
        _exit_without_teardown()


def _echo_while_read(lines: list[str]) -> None:
    """Print `lines`; if the reader has gone (`claimbank run | head -1`), stop printing only.

    The run has finished and its warehouse is written by then, so the command succeeds: Click
    would turn the broken pipe into exit status 1, which a `set -o pipefail` script reads as
    a failed run. What is left to print goes to /dev/null.
    """
    import os

    try:
        for line in lines:
            click.echo(line)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _warm_up(small: bool) -> Callable[[], object]:
    """What each early pool worker runs first: for a small increment, a warm-up that stays
    behind this process and readies a first batch (`pipeline.warm_up_behind`)."""
    from pipeline.pool_warmup import warm_up

    if not small:
        return warm_up
    from functools import partial

    from pipeline.stages import batch_schemas
    from pipeline.warm_up_behind import warm_up_behind

    return partial(warm_up_behind, batch_schemas())


def _allocator_for_small_increment(settings: Settings) -> bool:
    """Whether this run is a small increment (`pipeline.small_increment`); if so, polars' own
    memory policy, set before polars loads in this process.

    Freeing polars' memory at once (`assets/__init__.py`) flattens large runs' peaks but cost a
    one-file increment ~0.3 s of CPU in the speaker merge alone. Only when the setting is
    ours, not the user's.
    """
    import os

    import assets
    from pipeline.claims.extract import EXTRACTOR_VERSION
    from pipeline.small_increment import small_increment

    small = small_increment(settings.input_dir, settings.staging_dir, EXTRACTOR_VERSION)
    if small and assets.ALLOCATOR_IS_OURS and "polars" not in sys.modules:
        os.environ["_RJEM_MALLOC_CONF"] = assets.POLARS_DEFAULT_ALLOCATOR
    return small


def _exit_without_teardown() -> None:
    """End the `claimbank` process once its run is done, skipping the interpreter's teardown.

    Tearing down a process that imported Dagster (clearing every module and freeing ~1M
    objects) took 0.25-0.5 s after the last exit handler, ~5-10% of a one-file increment, for
    nothing: everything the run writes is closed by then. The exit handlers still run (logging,
    Dagster's SQLite connections, the pool; not the close of the idle ones that would checkpoint
    each WAL: `sqlite_sync.left_open_at_exit`), then the process ends with status 0. Only in
    the console script's own process: a caller that runs the command in-process (tests, a
    notebook) goes on as usual.
    """
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    script = Path(sys.argv[0])
    # `.venv/bin/claimbank` (a relative path, as `make run` calls it) makes `__main__.__file__`
    # absolute while argv[0] stays relative: compare the files, not the strings
    if script.name != "claimbank" or main_file is None or not _same_file(main_file, script):
        return
    import atexit
    import contextlib
    import os

    from assets.sqlite_sync import left_open_at_exit

    left_open_at_exit()  # the WAL checkpoint and fsync of closing them: not needed to end
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: `claimbank run | head`
            stream.flush()
    os._exit(0)


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


#: How long `claimbank sql` waits for a run's catalog update to release the file.
SQL_LOCK_WAIT_S = 120.0


def _connect_read_only(path: Path):  # -> duckdb.DuckDBPyConnection (duckdb imported lazily)
    """Open read-only, waiting while a run holds DuckDB's write lock (an in-place update).

    The update is one transaction of a few seconds; waiting for it gives the finished catalog.
    """
    import time

    import duckdb

    deadline = time.monotonic() + SQL_LOCK_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@main.command()
@click.argument("query")
@click.option(
    "--warehouse",
    "warehouse_dir",
    type=click.Path(path_type=Path),
    help="Warehouse folder (default: data/warehouse).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--max-rows", type=int, default=50, show_default=True, help="Rows shown in table format."
)
def sql(query: str, warehouse_dir: Path | None, fmt: str, max_rows: int) -> None:
    """Run a read-only SQL QUERY on the warehouse and print the result.

    Tables: documents, document_sources, rejected_inputs, input_files, segments, sentences,
    claims, speakers, quantities; view claims_enriched. Writes are refused: the database is
    opened read-only and with file access disabled (no COPY TO, ATTACH, EXPORT, INSTALL, LOAD
    or reading other files). During a run this reads the last finished warehouse: a run
    updates the catalog in one short transaction (this waits for it) or renames a new file
    over the old one.
    """
    import duckdb
    import polars as pl

    settings = _settings(None, warehouse_dir)
    path = settings.duckdb_path
    if not path.exists():
        raise UserError(f"no warehouse at {path}: run `claimbank run` first")
    try:
        con = _connect_read_only(path)
    except duckdb.Error as error:
        raise UserError(f"cannot open {path} read-only ({error}); is a run writing it?") from error
    try:
        # read_only refuses writes to the warehouse; this refuses every other file.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        relation = con.sql(query)
        frame = pl.DataFrame() if relation is None else pl.from_arrow(relation.to_arrow_table())
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0]
        raise UserError(first) from error
    finally:
        con.close()
    if fmt == "csv":
        click.echo(frame.write_csv(), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1))
    else:
        with pl.Config(tbl_rows=max_rows, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200):
            click.echo(frame)


@main.command(name="eval")
@click.option(
    "--gold",
    "gold_paths",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    required=True,
    multiple=True,
    help="Gold JSONL (format: ../shared/eval/FORMAT.md). With --quantities it may be repeated: "
    "each file is scored, then all together.",
)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Folder with the documents the gold names (attribution mode).",
)
@click.option(
    "--predictions-out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write predictions in the gold format here.",
)
@click.option(
    "--quantities",
    "quantity_mode",
    is_flag=True,
    help="Score quantities (gold: one sentence a line, or seed style with offsets).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--breakdown/--no-breakdown",
    default=True,
    show_default=True,
    help="Show the error breakdown by cue, source type and rule.",
)
def eval_(
    gold_paths: tuple[Path, ...],
    docs_dir: Path | None,
    predictions_out: Path | None,
    quantity_mode: bool,
    as_json: bool,
    breakdown: bool,
) -> None:
    """Run the extractor on the documents the gold names and print precision/recall/F1."""
    from assets.cli_paths import folder_problem, os_error_message
    from pipeline.evaluate.report import run_attribution_eval, run_quantity_eval

    if predictions_out is not None and (
        problem := folder_problem("--predictions-out folder", predictions_out.parent)
    ):
        raise UserError(problem)
    try:
        if quantity_mode:
            text = run_quantity_eval(list(gold_paths), docs_dir, predictions_out, as_json)
        else:
            if docs_dir is None:
                raise UserError("--docs is required to score attributions")
            if len(gold_paths) != 1:
                raise UserError("give exactly one --gold file to score attributions")
            text = run_attribution_eval(
                gold_paths[0], docs_dir, predictions_out, as_json, breakdown
            )
    except (ValueError, KeyError, FileNotFoundError) as error:
        raise UserError(str(error)) from error
    except OSError as error:  # --predictions-out unwritable
        raise UserError(os_error_message(error)) from error
    click.echo(text)


@main.command()
@click.option("--version", "version", required=True, help="Release version, e.g. 0.1.0.")
@click.option(
    "--out",
    "out_root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder that receives <version>/ (default: data/release).",
)
@click.option(
    "--include-text", is_flag=True, help="Add article texts (only if you hold the rights)."
)
@click.option(
    "--warehouse",
    "warehouse_dir",
    type=click.Path(path_type=Path),
    help="Warehouse folder to release (default: data/warehouse or $CLAIMBANK_WAREHOUSE).",
)
@click.option(
    "--eval-json",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    multiple=True,
    help="`claimbank eval --json` output for the card's accuracy section (repeatable).",
)
@click.option(
    "--date",
    "released",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Release date for CITATION.cff and Croissant (default: none, so rebuilds are identical).",
)
@click.option("--url", help="Where the release will be served (for the card and Croissant).")
def release(
    version: str,
    out_root: Path | None,
    include_text: bool,
    warehouse_dir: Path | None,
    eval_json: tuple[Path, ...],
    released,
    url: str | None,
) -> None:
    """Write the released dataset to data/release/<VERSION>/: Parquet, card, Croissant, catalog.

    Without --eval-json, the card's accuracy comes from scoring the seed gold in ../shared/seed
    now, when it is there; otherwise it says "not measured".
    """
    from assets.cli_paths import folder_problem, os_error_message
    from pipeline.release import DEFAULT_RELEASE_ROOT, ReleaseError, build_release

    settings = _settings(None, warehouse_dir)
    out_root = (out_root or DEFAULT_RELEASE_ROOT).resolve()
    if problem := folder_problem("release folder", out_root):
        raise UserError(problem)
    try:
        result = build_release(
            settings.parquet_dir,
            version,
            out_root,
            include_text=include_text,
            eval_json=eval_json,
            released=released.date() if released else None,
            url=url,
        )
    except (ReleaseError, ValueError) as error:
        raise UserError(str(error)) from error
    except OSError as error:  # --out unwritable, disk full
        raise UserError(os_error_message(error)) from error
    click.echo(f"Claimbank release {version}: {result.path} ({result.bytes:,} bytes)")
    for table in result.tables:
        click.echo(f"  {table.table:<17}{table.rows:>10,} rows  {table.path}")
