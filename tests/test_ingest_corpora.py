"""Ingest over the real corpora: every line accounted for, real encodings, real HTML."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest import Article, Rejection, RejectReason, read_file

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
JSONL_CORPORA = sorted(p.name for p in CORPORA.glob("*.jsonl.gz"))
HTML_ROOT = CORPORA / "html-2019"
_WORDS = re.compile(r"\w+")


def count_lines(path: Path) -> int:
    """Lines as `zcat | wc -l` counts them (plus a final line without newline)."""
    with gzip.open(path, "rb") as stream:
        data = stream.read()
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def test_corpora_are_present() -> None:
    assert len(JSONL_CORPORA) >= 4, f"expected the shared corpora in {CORPORA}"


@pytest.mark.parametrize("name", JSONL_CORPORA)
def test_every_line_is_accounted_for(name: str) -> None:
    path = CORPORA / name
    found = list(read_file(path, CORPORA))
    articles = [r for r in found if isinstance(r, Article)]
    rejections = [r for r in found if isinstance(r, Rejection)]
    assert len(articles) + len(rejections) == count_lines(path)
    assert [r.locator for r in found] == [f"line {n}" for n in range(1, len(found) + 1)]
    assert {r.input_path for r in found} == {name}
    # Real corpora are well-formed JSON: the only acceptable rejections are about the text.
    assert {r.reason for r in rejections} <= {RejectReason.EMPTY_TEXT, RejectReason.NULL_TEXT}
    assert len(articles) > 0.9 * len(found)


def test_placeholder_metadata_and_dates() -> None:
    """news-2022 dates are `YYYY-MM-DD hh:mm:ss`; semeval has nulls; bbc has "2004/2005"."""
    news = [r for r in read_file(CORPORA / "news-2022.jsonl.gz", CORPORA) if isinstance(r, Article)]
    assert all(a.published_at is not None and a.published_at.year >= 2021 for a in news)
    reuters = read_file(CORPORA / "reuters-1987.jsonl.gz", CORPORA)
    first = next(r for r in reuters if isinstance(r, Article))
    assert first.published_at is not None and first.published_at.year == 1987
    assert first.source_record_id == "reuters-1"
    bbc = [r for r in read_file(CORPORA / "bbc-2005.jsonl.gz", CORPORA) if isinstance(r, Article)]
    assert all(a.published_at is None for a in bbc)
    assert all(any("could not parse '2004/2005'" in n for n in a.notes) for a in bbc)


def _bbc_latin1_article() -> Article:
    """The one BBC article whose original file was Latin-1 (a pound sign as byte 0xA3)."""
    found = read_file(CORPORA / "bbc-2005.jsonl.gz", CORPORA)
    return next(
        r for r in found if isinstance(r, Article) and r.source_record_id == "bbc-sport-199"
    )


def test_bbc_latin1_article_decodes(tmp_path: Path) -> None:
    article = _bbc_latin1_article()
    assert "£15.8m" in article.text
    # Its original bytes were Latin-1: written back that way, the reader recovers the same text.
    (tmp_path / "sport-199.txt").write_bytes(article.text.encode("latin-1"))
    again = list(read_file(tmp_path / "sport-199.txt", tmp_path))
    assert len(again) == 1 and isinstance(again[0], Article)
    assert again[0].encoding == "latin-1"
    assert again[0].text == article.text
    assert again[0].doc_id == article.doc_id


def test_html_extraction_matches_ground_truth() -> None:
    truth = json.loads((HTML_ROOT / "ground-truth.json").read_text("utf-8"))
    pages = sorted((HTML_ROOT / "html").glob("*.html.gz"))[::9]  # a spread sample of ~20
    assert len(pages) >= 20
    shares: list[float] = []
    for page in pages:
        found = list(read_file(page, HTML_ROOT))
        assert len(found) == 1
        record = found[0]
        expected = set(_WORDS.findall(truth[page.name.removesuffix(".html.gz")]["articleBody"]))
        if not isinstance(record, Article):
            assert record.reason == RejectReason.NO_ARTICLE_TEXT
            shares.append(0.0)
            continue
        assert record.input_path == f"html/{page.name}"
        got = set(_WORDS.findall(record.text))
        shares.append(len(got & expected) / max(1, len(expected)))
    good = sum(share >= 0.8 for share in shares)
    assert good > 0.75 * len(shares), sorted(shares)


def test_html_folder_outcomes() -> None:
    """Reading the whole html-2019 folder also meets its LICENSE and ground-truth.json."""
    outcomes = Counter(
        r.reason.value if isinstance(r, Rejection) else "article"
        for page in (HTML_ROOT / "LICENSE", HTML_ROOT / "ground-truth.json")
        for r in read_file(page, HTML_ROOT)
    )
    assert outcomes == {"unsupported_type": 1, "missing_text": 1}
