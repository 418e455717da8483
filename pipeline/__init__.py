"""Claimbank's plain-Python core: ingest, segment, extract, validate, store, release.

Nothing in this package imports Dagster, so every stage is testable on its own.
"""

__version__ = "0.2.0"
