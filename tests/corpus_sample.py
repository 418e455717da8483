"""Real articles from `../shared/corpora`, written as a few input files in a tmp folder.

Several files (not one) so that a run has several partitions and a kill can land between
them; few, because each partition costs Dagster events (SQLite commits) in every run.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import SHARED

CORPUS = SHARED / "corpora" / "bbc-2005.jsonl.gz"


def real_articles(n: int, corpus: Path = CORPUS) -> list[dict]:
    """The first `n` rows of a corpus, as parsed JSON objects."""
    rows: list[dict] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if len(rows) == n:
                break
    return rows


def write_sample(
    root: Path, n_articles: int, per_file: int = 20, n_txt: int = 2, offset: int = 0
) -> list[Path]:
    """The first `n_txt` articles as .txt files, the rest as JSON Lines of `per_file` rows."""
    root.mkdir(parents=True, exist_ok=True)
    rows = real_articles(n_articles + offset)[offset:]
    written: list[Path] = []
    for j, row in enumerate(rows[:n_txt]):
        path = root / "txt" / f"a{j:03d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(row["text"], encoding="utf-8")
        written.append(path)
    rest = rows[n_txt:]
    for i in range(0, len(rest), per_file):
        path = root / f"part{i // per_file:03d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rest[i : i + per_file]), "utf-8")
        written.append(path)
    return written
