"""Folder arguments a run cannot use, told in one line before anything starts.

Without this a warehouse or Dagster home that is a file (or lies under one) ended
`claimbank run` with a traceback from the first `mkdir`, and an input that is a file said the
input folder "does not exist". A few `stat` calls; imports nothing.
"""

from __future__ import annotations

from pathlib import Path


def _blocking_file(folder: Path) -> Path | None:
    """The file that stops `folder` from being a folder (itself or an ancestor), if any."""
    for path in (folder, *folder.parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def run_path_problem(input_dir: Path, warehouse_dir: Path, dagster_home: Path) -> str | None:
    """What is wrong with a run's folders, as the message to show, or None."""
    if not input_dir.exists():
        return f"input folder {input_dir} does not exist"
    if not input_dir.is_dir():
        return f"input {input_dir} is a file, not a folder: give the folder that holds it"
    for what, folder in (("warehouse", warehouse_dir), ("Dagster home", dagster_home)):
        if problem := folder_problem(what, folder):
            return problem
    return None


def folder_problem(what: str, folder: Path) -> str | None:
    """Why `folder` cannot be used or created as a folder (a file is in the way), or None."""
    blocker = _blocking_file(folder)
    if blocker == folder:
        return f"{what} {folder} is a file, not a folder"
    if blocker is not None:
        return f"{what} {folder} cannot be created: {blocker} is a file"
    return None


def os_error_message(error: OSError) -> str:
    """'Not a directory: /a/b' rather than "[Errno 20] Not a directory: '/a/b'"."""
    if error.strerror and error.filename is not None:
        return f"{error.strerror}: {error.filename}"
    return str(error)
