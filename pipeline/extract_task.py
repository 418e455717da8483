"""The pool task of extraction: a documents batch in, its four tables out as Arrow tables.

Why Arrow tables and not polars frames: a batch's result goes back to the run process
pickled, and a polars frame pickles as an Arrow IPC stream that the run process reads back
into polars, only to convert it to Arrow again for the Parquet writer (`PartWriter`). Arrow
tables pickle as their buffers: on 8 real 500-document batches, 2.3 ms to pickle (polars:
3.5 ms, 1.7 ms more of it `to_arrow` here), 0.5 ms to unpickle (polars: 2.1 ms, plus 1.7 ms of
`to_arrow`), 4.6 MB instead of 5.3 MB through the pipe. The run process converts to polars
only what its Pandera checks read, one chunk at a time (see benchmarks/results/NOTES.md).

A module of its own because a spawned worker imports the module of every function its task
names: this one imports only `pipeline.stage_rows` (polars, the segmenter, the extractor).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import pyarrow as pa

from pipeline.stage_rows import segment_extract


def segment_extract_tables(
    schemas: Mapping[str, pl.Schema], documents: pl.DataFrame
) -> tuple[pa.Table, ...]:
    """`segment_extract`'s four frames as the Arrow tables the staged parts are written from."""
    return tuple(frame.to_arrow() for frame in segment_extract(schemas, documents))
