"""Use the mypyc build of the extractor, but only when it was built from the sources on disk.

`make install` compiles the extractor's modules (`pipeline._build_compiled`) into
`pipeline/_mypyc/`, a folder of its own: an extension module beside its `.py` would shadow it
whatever the source says, so a developer who edits a rule and runs pytest would test old code.
Here the build is used only when a fingerprint of the current sources matches the one it was
built from; a stale build is refused with a warning and the plain Python modules run.
`CLAIMBANK_PURE=1` runs plain Python on purpose. The output is the same either way (tested).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

PURE_ENV = "CLAIMBANK_PURE"
PACKAGE_DIR = Path(__file__).resolve().parent
BUILD_DIR = PACKAGE_DIR / "_mypyc"
MANIFEST = "manifest.json"

#: "compiled", or why plain Python runs: "pure: no build", "pure: CLAIMBANK_PURE", "pure: stale"
status = "pure: not checked"


def source_path(root: Path, module: str) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def fingerprint(root: Path, modules: Sequence[str]) -> str:
    """Hash of every compiled module's source (the compiled set imports only itself)."""
    digest = hashlib.sha256()
    for module in sorted(modules):
        digest.update(module.encode() + b"\0")
        digest.update(source_path(root, module).read_bytes() + b"\0")
    return digest.hexdigest()


class _CompiledFinder:
    """Finds the compiled modules (and mypyc's shared library) ahead of the source files."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        where = self.paths.get(fullname)
        return None if where is None else importlib.util.spec_from_file_location(fullname, where)


def _check(build_dir: Path) -> tuple[str, dict[str, Path]]:
    """(status, module -> extension file) of the build in `build_dir`."""
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "pure: no build", {}
    suffix = manifest.get("ext_suffix")
    if suffix not in importlib.machinery.EXTENSION_SUFFIXES:
        return f"pure: stale (built for another Python: {suffix})", {}
    modules = list(manifest.get("modules", []))
    try:
        current = fingerprint(build_dir.parent.parent, modules)
    except OSError:
        current = ""
    if current != manifest.get("fingerprint"):
        return "pure: stale (sources changed since the build)", {}
    names = [*modules, manifest["shared_lib"]]
    paths = {n: build_dir.joinpath(*n.split(".")[:-1], n.split(".")[-1] + suffix) for n in names}
    if not all(p.is_file() for p in paths.values()):
        return "pure: stale (build incomplete)", {}
    return "compiled", paths


def install() -> str:
    """Put the compiled modules first on the import path if the build matches; say which runs."""
    global status
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        status = f"pure: {PURE_ENV}"
        return status
    status, paths = _check(BUILD_DIR)
    if status.startswith("pure: stale"):
        warnings.warn(
            f"{BUILD_DIR} is not used, {status[6:]}: running plain Python; "
            "`make install` rebuilds it",
            RuntimeWarning,
            stacklevel=2,
        )
    if paths and not any(isinstance(f, _CompiledFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _CompiledFinder(paths))  # type: ignore[arg-type]
    return status
