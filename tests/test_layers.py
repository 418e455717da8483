"""`pipeline/` must stay plain Python: importing all of it never loads Dagster."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_pipeline_never_imports_dagster() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in (REPO / "pipeline").rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('dagster' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert len(modules) > 10
    assert out.stdout.strip() == "False"


def test_the_cli_sets_the_allocator_policy_before_polars_loads() -> None:
    """jemalloc reads `_RJEM_MALLOC_CONF` once, when polars loads; set later, it does nothing."""
    code = (
        "import os, assets.cli, assets, polars\n"
        "print(assets.ALLOCATOR_SET_BEFORE_POLARS, os.environ['_RJEM_MALLOC_CONF'])\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "_RJEM_MALLOC_CONF"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, env=env
    )
    before_polars, conf = out.stdout.split()
    assert before_polars == "True"
    # polars puts its own defaults (500 ms / 1000 ms) first; jemalloc lets the last one win
    assert conf.endswith(",dirty_decay_ms:0,muzzy_decay_ms:0"), conf


def test_polars_defaults_inherited_from_a_parent_are_not_a_user_choice() -> None:
    """A parent that imported polars exports polars' 500/1000 ms decay; runs still return pages."""
    import os

    code = "import os, assets, polars\nprint(os.environ['_RJEM_MALLOC_CONF'])\n"
    cases = {
        "dirty_decay_ms:500,muzzy_decay_ms:1000": ",dirty_decay_ms:0,muzzy_decay_ms:0",
        "dirty_decay_ms:250": ",dirty_decay_ms:250",  # the user's own value is kept
    }
    for inherited, last_setting in cases.items():
        env = {**os.environ, "_RJEM_MALLOC_CONF": inherited}
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        assert out.stdout.strip().endswith(last_setting), (inherited, out.stdout)
