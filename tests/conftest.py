"""Shared fixtures: where the shared data lives, and throwaway input/warehouse/Dagster folders."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from pipeline.config import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_DIR = SHARED / "seed"
SEED_TEXT = SEED_DIR / "kharkiv_counteroffensive.txt"
SAMPLE_RAW = REPO / "data" / "raw"
CLAIMBANK = str(Path(sys.executable).parent / "claimbank")


def run_command(settings: Settings, home: Path) -> list[str]:
    """The `claimbank run` command line for a workspace and a Dagster home."""
    return [
        CLAIMBANK,
        "run",
        "--input",
        str(settings.input_dir),
        "--warehouse",
        str(settings.warehouse_dir),
        "--dagster-home",
        str(home),
    ]


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"shared data expected at {SHARED}"
    return SHARED


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    """Empty input and warehouse folders under tmp_path."""
    (tmp_path / "raw").mkdir()
    return Settings(input_dir=tmp_path / "raw", warehouse_dir=tmp_path / "warehouse")


@pytest.fixture
def sample_workspace(workspace: Settings) -> Settings:
    """The committed sample article (with its sidecar) as the only input."""
    for path in SAMPLE_RAW.iterdir():
        shutil.copy(path, workspace.input_dir / path.name)
    return workspace
