"""Benchmark corpora built from the real articles in `../shared/corpora`.

Size N takes the corpora as they are, then again and again as numbered copies until N
documents: a copy's text ends with a line naming its copy number, so every document has its
own `doc_id` (the id is a hash of the text) and nothing is deduplicated away.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

CORPORA = ("news-2022", "bbc-2005", "reuters-1987", "semeval-2023-t3")


def real_articles(corpora_dir: Path) -> list[dict]:
    """Every record with a non-empty text, in a fixed order (corpus by corpus, line by line)."""
    out: list[dict] = []
    for name in CORPORA:
        with gzip.open(corpora_dir / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record.get("text")
                if isinstance(text, str) and text.strip():
                    record["_corpus"] = name
                    out.append(record)
    return out


def copies(articles: list[dict], n_docs: int, first_copy: int = 0) -> Iterator[tuple[int, dict]]:
    """(copy number, record) for `n_docs` records; copy 0 is the article unchanged."""
    produced = 0
    copy = first_copy
    while produced < n_docs:
        for record in articles:
            if produced >= n_docs:
                return
            out = dict(record)
            if copy:
                out["text"] = f"{record['text'].rstrip()}\n\n(Benchmark copy {copy}.)"
                out["id"] = f"{record.get('id', produced)}-copy{copy}"
            yield copy, out
            produced += 1
        copy += 1


def write_corpus(articles: list[dict], n_docs: int, out_dir: Path, first_copy: int = 0) -> int:
    """One JSONL file per copy and source corpus (a realistic mix of file sizes); total bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handles: dict[str, object] = {}
    total = 0
    try:
        for copy, record in copies(articles, n_docs, first_copy):
            name = f"{record.pop('_corpus')}-copy{copy:03d}.jsonl"
            handle = handles.get(name)
            if handle is None:
                handle = handles[name] = (out_dir / name).open("w", encoding="utf-8")
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)  # type: ignore[attr-defined]
            total += len(record["text"].encode("utf-8"))
    finally:
        for handle in handles.values():
            handle.close()  # type: ignore[attr-defined]
    return total
