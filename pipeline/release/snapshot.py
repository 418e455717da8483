"""Write the public schema snapshot that a test compares against.

Usage: `python -m pipeline.release.snapshot`.

Run it only for a deliberate schema change, and bump `public.SCHEMA_VERSION` in the same commit.
"""

from __future__ import annotations

import json
import sys

from pipeline.config import REPO_ROOT
from pipeline.docs import write_generated
from pipeline.release.public import SCHEMA_VERSION, public_schema

SNAPSHOT_PATH = REPO_ROOT / "tests" / "snapshots" / "release_schema.json"


def render() -> str:
    data = {"schema_version": SCHEMA_VERSION, "tables": public_schema(include_text=True)}
    return json.dumps(data, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    return write_generated(render, SNAPSHOT_PATH, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
