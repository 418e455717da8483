"""Ingest: an input folder becomes a stream of `Article | Rejection`, one per record.

Readers per format (txt with sidecar, JSON Lines, CSV, Parquet, HTML; each optionally
gzipped), one decoding policy, and one rule: nothing read goes unaccounted for.
"""

from pipeline.ingest.discover import discover_files
from pipeline.ingest.reader import read_file, read_inputs
from pipeline.ingest.records import Article, Rejection, RejectReason, make_doc_id

__all__ = [
    "Article",
    "RejectReason",
    "Rejection",
    "discover_files",
    "make_doc_id",
    "read_file",
    "read_inputs",
]
