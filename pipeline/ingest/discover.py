"""Which files under an input folder are inputs.

Symlinks are followed only while they stay inside the root: an input folder must not
pull in arbitrary files from elsewhere on the machine, and symlink loops must end.
"""

from __future__ import annotations

import os
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def _is_input_name(name: str) -> bool:
    return not name.startswith(".") and not name.lower().endswith(SIDECAR_SUFFIX)


def discover_files(root: Path) -> list[Path]:
    """Every input file under `root`, recursively, sorted by relative POSIX path.

    Skips hidden files and folders, `*.meta.json` sidecars (read with their `.txt`), and
    anything reached through a symlink that resolves outside `root`.
    """
    real_root = root.resolve()
    if not real_root.is_dir():
        return []
    found: dict[str, Path] = {}
    visited: set[Path] = set()
    stack: list[tuple[Path, Path]] = [(root, real_root)]
    while stack:
        folder, real_folder = stack.pop()
        if real_folder in visited:
            continue
        visited.add(real_folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # an unreadable folder has no files we can name
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                if entry.is_symlink():  # only links need resolving (a realpath per file is slow)
                    real = path.resolve()
                    if not _inside(real, real_root):
                        continue
                    is_dir = real.is_dir()
                else:
                    real = real_folder / entry.name
                    is_dir = entry.is_dir(follow_symlinks=False)
            except (OSError, RuntimeError):  # vanished, unreadable or a symlink loop: skip
                continue
            if is_dir:
                stack.append((path, real))
            elif _is_input_name(entry.name):
                found[path.relative_to(root).as_posix()] = path
    return [found[key] for key in sorted(found)]
