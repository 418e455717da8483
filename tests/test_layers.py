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
