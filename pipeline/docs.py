"""Generate docs/tables.md, the data dictionary, from the Pandera models (never written by hand).

Run `python -m pipeline.docs` after changing a model; a test fails while the file is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.config import REPO_ROOT
from pipeline.schemas import SORT_KEYS, TABLES, column_docs, table_description

DOC_PATH = REPO_ROOT / "docs" / "tables.md"


def render() -> str:
    lines = [
        "# Claimbank tables",
        "",
        "Generated from `pipeline/schemas.py` by `python -m pipeline.docs`; do not edit by hand.",
        "Offsets are Python `str` indices (code points) into `documents.text`, end exclusive.",
        "",
    ]
    for table in TABLES:
        lines += [
            f"## `{table}`",
            "",
            table_description(table),
            "",
            f"Sorted by: {', '.join(f'`{k}`' for k in SORT_KEYS[table])}.",
            "",
            "| column | type | nullable | description |",
            "|---|---|---|---|",
        ]
        for name, dtype, nullable, description in column_docs(table):
            desc = description.replace("|", "\\|")
            lines.append(f"| `{name}` | {dtype} | {'yes' if nullable else 'no'} | {desc} |")
        lines.append("")
    return "\n".join(lines)


def write_generated(render_fn: Callable[[], str], default: Path, argv: list[str] | None) -> int:
    """Write a generated file (to `argv[0]` if given): the CLI of every `python -m` generator."""
    target = Path(argv[0]) if argv else default
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_fn(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return write_generated(render, DOC_PATH, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
