"""Session fixtures for the release tests: a warehouse of 1,000 real articles and its release.

A plugin module (loaded with `pytest_plugins`), so test_release*.py and test_queries.py share
one build per session instead of each building its own (~15 s on two cores).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.release import ReleaseResult, build_release
from tests.conftest import SHARED
from tests.test_warehouse import build

CORPUS = SHARED / "corpora" / "news-2022.jsonl.gz"
N_ARTICLES = 1_000
VERSION = "0.1.0"


@dataclass(frozen=True)
class CorpusRelease:
    settings: Settings
    release: ReleaseResult

    @property
    def path(self) -> Path:
        return self.release.path


@pytest.fixture(scope="session")
def corpus_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The pipeline (no Dagster) over the first 1,000 lines of news-2022 as one JSONL input."""
    root = tmp_path_factory.mktemp("corpus")
    settings = Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse")
    settings.input_dir.mkdir()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as source:
        lines = list(islice(source, N_ARTICLES))
    assert len(lines) == N_ARTICLES
    (settings.input_dir / "news-2022-first-1000.jsonl").write_text("".join(lines), "utf-8")
    build(settings)
    return settings


@pytest.fixture(scope="session")
def corpus_release(
    corpus_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory
) -> CorpusRelease:
    out = tmp_path_factory.mktemp("release")
    result = build_release(corpus_warehouse.parquet_dir, VERSION, out)
    return CorpusRelease(corpus_warehouse, result)
