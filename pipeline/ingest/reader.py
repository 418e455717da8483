"""Dispatch a file to its format's reader and guarantee the contract: never raise.

Every file yields at least one record; a problem that ends a file early becomes one
Rejection, so `articles + rejections` always accounts for everything that was read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.config import DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_FILE_BYTES
from pipeline.ingest.csv_reader import read_csv
from pipeline.ingest.discover import discover_files
from pipeline.ingest.html_reader import read_html
from pipeline.ingest.json_reader import read_json
from pipeline.ingest.jsonl_reader import read_jsonl
from pipeline.ingest.parquet_reader import read_parquet
from pipeline.ingest.records import Article, Rejection, RejectReason
from pipeline.ingest.source import InputFile, ReadProblem
from pipeline.ingest.text_reader import read_text_file

Reader = Callable[[InputFile, int], Iterator[Article | Rejection]]

#: Format (suffix without dot and `.gz`, lower-case) to reader.
READERS: dict[str, Reader] = {
    "txt": read_text_file,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "parquet": read_parquet,
    "html": read_html,
    "htm": read_html,
}

_log = logging.getLogger(__name__)


def read_file(
    path: Path, root: Path, *, max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Iterator[Article | Rejection]:
    """Articles and Rejections from one file; bad input never raises."""
    src = InputFile.at(path, root)
    reader = READERS.get(src.kind)
    if reader is None:
        what = f"`.{src.kind}` files are" if src.kind else "files without a suffix are"
        yield Rejection(
            src.input_path,
            "file",
            RejectReason.UNSUPPORTED_TYPE,
            f"{what} not read (supported: {', '.join(sorted(READERS))})",
        )
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Rejection(src.input_path, "file", RejectReason.UNREADABLE, _os_message(exc))
        return
    if size > DEFAULT_MAX_FILE_BYTES:
        yield Rejection(
            src.input_path,
            "file",
            RejectReason.TOO_LARGE,
            f"file is {size:,} bytes, above the limit of {DEFAULT_MAX_FILE_BYTES:,}",
            size,
        )
        return
    try:
        yield from reader(src, max_document_bytes)
    except ReadProblem as problem:
        yield Rejection(src.input_path, "file", problem.reason, problem.message, size)
    except OSError as exc:
        yield Rejection(src.input_path, "file", RejectReason.UNREADABLE, _os_message(exc), size)
    except Exception as exc:  # the contract: one bad file must not stop a 250k-document run
        _log.exception("unexpected error reading %s", src.input_path)
        yield Rejection(
            src.input_path,
            "file",
            RejectReason.UNREADABLE,
            f"unexpected {type(exc).__name__} while reading: {exc}",
            size,
        )


def read_inputs(
    root: Path, *, max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Iterator[Article | Rejection]:
    """Articles and Rejections from every input file under `root`, in file order."""
    for path in discover_files(root):
        yield from read_file(path, root, max_document_bytes=max_document_bytes)


def _os_message(exc: OSError) -> str:
    return f"cannot read the file: {exc.strerror or exc}"
