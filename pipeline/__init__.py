"""Claimbank's plain-Python core: ingest, segment, extract, validate, store, release.

Nothing in this package imports Dagster, so every stage is testable on its own.
"""

__version__ = "0.2.0"

from pipeline import _compiled

_compiled.install()  # the extractor's mypyc build, if `make install` built it from these sources
