"""Ingest on hostile inputs: every record ends as exactly one Article or one Rejection."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import random
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipeline.ingest import (
    Article,
    Rejection,
    RejectReason,
    discover_files,
    make_doc_id,
    read_file,
    read_inputs,
)
from pipeline.ingest.dates import parse_date
from pipeline.stages import ingest_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_TEXT = (SHARED / "seed" / "kharkiv_counteroffensive.txt").read_text("utf-8").strip()
SEED_LINES = [line for line in SEED_TEXT.split("\n") if line.strip()]


def records(path: Path, root: Path | None = None, **kwargs: int) -> list[Article | Rejection]:
    return list(read_file(path, root or path.parent, **kwargs))


def only(path: Path, **kwargs: int) -> Article | Rejection:
    """The single record a one-document file must produce."""
    result = records(path, **kwargs)
    assert len(result) == 1, result
    return result[0]


def reasons(found: list[Article | Rejection]) -> dict[str, str]:
    """locator -> "article" or the rejection reason."""
    return {r.locator: "article" if isinstance(r, Article) else r.reason.value for r in found}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# --- the committed sample ------------------------------------------------------------------


def test_committed_sample_with_sidecar() -> None:
    found = list(read_inputs(REPO / "data" / "raw"))
    assert len(found) == 1
    article = found[0]
    assert isinstance(article, Article)
    assert article.input_path == "kharkiv_counteroffensive.txt"
    assert article.locator == "file"
    assert article.published_at == date(2022, 9, 10)
    assert article.language == "en"
    assert article.text == SEED_TEXT
    assert article.notes == ()


# --- single-document .txt files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b"  \n\t\r\n   ", RejectReason.EMPTY),
        (random.Random(7).randbytes(4096), RejectReason.BINARY),
        (b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(500), RejectReason.BINARY),
        ("\n".join(SEED_LINES).encode("utf-16-le"), RejectReason.BINARY),  # NUL-heavy, no BOM
    ],
    ids=["empty", "whitespace", "random-bytes", "png-named-txt", "utf16-without-bom"],
)
def test_txt_rejections(tmp_path: Path, data: bytes, reason: RejectReason) -> None:
    rejection = only(write(tmp_path / "doc.txt", data))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == reason
    assert rejection.locator == "file"
    assert rejection.message


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SEED_TEXT.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + SEED_TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SEED_TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF8 + SEED_TEXT.encode("utf-8"), "utf-8-sig"),
        (SEED_TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        (SEED_TEXT.replace("\n", "\r").encode("utf-8"), "utf-8"),
        (("\n\n  " + SEED_TEXT + "  \n\n").encode("utf-8"), "utf-8"),
    ],
    ids=["cp1252", "utf16le-bom", "utf16be-bom", "utf8-bom", "crlf", "cr", "edge-whitespace"],
)
def test_txt_decodes_to_the_same_text(tmp_path: Path, data: bytes, encoding: str) -> None:
    article = only(write(tmp_path / "doc.txt", data))
    assert isinstance(article, Article)
    assert article.text == SEED_TEXT
    assert article.encoding == encoding


def test_nul_bytes_are_dropped_and_inner_whitespace_kept(tmp_path: Path) -> None:
    first, second = SEED_TEXT[:300], SEED_TEXT[300:]
    article = only(write(tmp_path / "doc.txt", f"{first}\x00{second}\x00".encode()))
    assert isinstance(article, Article)
    assert article.text == SEED_TEXT


@pytest.mark.parametrize("name", ["report.pdf", "memo.docx", "photo.png", "README", "a.tar.gz"])
def test_unsupported_types(tmp_path: Path, name: str) -> None:
    rejection = only(write(tmp_path / name, SEED_TEXT))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectReason.UNSUPPORTED_TYPE


def test_suffix_is_case_insensitive_and_gz_sidecar_is_found(tmp_path: Path) -> None:
    write(tmp_path / "story.TXT.gz", gzip.compress(SEED_TEXT.encode()))
    write(tmp_path / "story.meta.json", json.dumps({"published_at": "Sep 10, 2022", "id": 7}))
    article = only(tmp_path / "story.TXT.gz")
    assert isinstance(article, Article)
    assert article.text == SEED_TEXT
    assert article.published_at == date(2022, 9, 10)
    assert article.source_record_id == "7"


def test_bad_sidecar_is_a_note_not_a_rejection(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", SEED_TEXT)
    write(tmp_path / "story.meta.json", '{"title": "x", ')
    article = only(tmp_path / "story.txt")
    assert isinstance(article, Article)
    assert article.title is None
    assert len(article.notes) == 1 and "invalid JSON" in article.notes[0]


def test_bad_date_metadata_becomes_none_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", SEED_TEXT)
    write(tmp_path / "story.meta.json", json.dumps({"published_at": "yesterday", "title": 12}))
    article = only(tmp_path / "story.txt")
    assert isinstance(article, Article)
    assert article.published_at is None and article.title is None
    assert any(n.startswith("published_at: could not parse 'yesterday'") for n in article.notes)
    assert any(n.startswith("title: expected a string, got an int (12)") for n in article.notes)


# --- JSON Lines ------------------------------------------------------------------------------


def hostile_jsonl() -> tuple[str, dict[str, str]]:
    """A JSONL file with one problem per line and the expected outcome per locator."""
    good = json.dumps({"id": 42, "text": SEED_LINES[0], "date": "2022-09-10 15:08:00"})
    lines = [
        (good, "article"),
        ('{"text": "' + SEED_LINES[1][:60] + '" "title": "x"}', "malformed_record"),
        ("", "malformed_record"),
        ("   \t", "malformed_record"),
        ("[1, 2, 3]", "not_an_object"),
        ('"just a string"', "not_an_object"),
        (json.dumps({"title": "no text here"}), "missing_text"),
        (json.dumps({"text": None}), "null_text"),
        (json.dumps({"text": "   \n "}), "empty_text"),
        (json.dumps({"text": 42}), "non_string_text"),
        (json.dumps({"text": ["a", "b"]}), "non_string_text"),
        (json.dumps({"text": "None"}), "null_text"),
        (json.dumps({"text": SEED_LINES[2], "date": "None", "url": "null"}), "article"),
        ('{"text": "' + SEED_LINES[3][:50], "malformed_record"),  # truncated, no newline
    ]
    body = "\n".join(line for line, _ in lines)
    return body, {f"line {n}": outcome for n, (_, outcome) in enumerate(lines, start=1)}


def test_jsonl_every_line_has_exactly_one_outcome(tmp_path: Path) -> None:
    body, expected = hostile_jsonl()
    found = records(write(tmp_path / "feed.jsonl", body))
    assert len(found) == body.count("\n") + 1
    assert reasons(found) == expected
    by_locator = {r.locator: r for r in found}
    assert by_locator["line 2"].message.startswith("line 2: Expecting ',' delimiter: line 1 column")
    assert by_locator["line 3"].message == "line 3: blank line"
    assert by_locator["line 10"].message == "line 10: text is an int (42), expected a string"
    first = by_locator["line 1"]
    assert isinstance(first, Article)
    assert first.source_record_id == "42" and first.published_at == date(2022, 9, 10)
    last_good = by_locator["line 13"]
    assert isinstance(last_good, Article)
    assert last_good.published_at is None and last_good.url is None and last_good.notes == ()


def test_jsonl_final_newline_is_not_a_blank_line(tmp_path: Path) -> None:
    body = "\r\n".join(json.dumps({"text": line}) for line in SEED_LINES) + "\r\n"
    found = records(write(tmp_path / "feed.jsonl", body))
    assert len(found) == len(SEED_LINES) == body.count("\n")
    assert all(isinstance(r, Article) for r in found)
    assert [r.text for r in found if isinstance(r, Article)] == [s.strip() for s in SEED_LINES]


def test_jsonl_whitespace_only_file_is_one_empty_rejection(tmp_path: Path) -> None:
    for name, body in [("a.jsonl", ""), ("b.jsonl", "\n \n\n")]:
        rejection = only(write(tmp_path / name, body))
        assert isinstance(rejection, Rejection) and rejection.reason == RejectReason.EMPTY


def test_jsonl_in_utf16_with_bom_and_a_latin1_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": s}, ensure_ascii=False) for s in SEED_LINES[:3]]
    wide = write(
        tmp_path / "wide.jsonl", codecs.BOM_UTF16_LE + "\n".join(lines).encode("utf-16-le")
    )
    assert [type(r) for r in records(wide)] == [Article] * 3
    latin = json.dumps({"text": "Caf\xe9 owners said prices rose \xa35."}, ensure_ascii=False)
    mixed = write(tmp_path / "mixed.jsonl", (lines[0] + "\n").encode() + latin.encode("latin-1"))
    second = records(mixed)[1]
    assert isinstance(second, Article)
    assert second.text == "Café owners said prices rose £5." and second.encoding == "latin-1"


def test_too_large_document_is_rejected_and_the_file_goes_on(tmp_path: Path) -> None:
    body = "\n".join(json.dumps({"text": line}) for line in SEED_LINES[:4])
    limit = max(len(line.encode()) for line in SEED_LINES[:4]) - 1
    found = records(write(tmp_path / "feed.jsonl", body), max_document_bytes=limit)
    assert len(found) == 4
    largest = max(range(4), key=lambda i: len(SEED_LINES[i].encode()))
    assert reasons(found)[f"line {largest + 1}"] == "too_large"
    assert sum(isinstance(r, Article) for r in found) >= 1
    txt = only(write(tmp_path / "big.txt", SEED_TEXT), max_document_bytes=100)
    assert isinstance(txt, Rejection) and txt.reason == RejectReason.TOO_LARGE


def test_pretty_printed_json_array_is_one_record_per_item(tmp_path: Path) -> None:
    items = [{"text": SEED_LINES[0]}, {"text": None}, "oops"]
    found = records(write(tmp_path / "items.json", json.dumps(items, indent=2)))
    assert reasons(found) == {"item 1": "article", "item 2": "null_text", "item 3": "not_an_object"}


# --- gzip ----------------------------------------------------------------------------------


def test_truncated_jsonl_gz_keeps_complete_lines(tmp_path: Path) -> None:
    body = "\n".join(json.dumps({"text": line}) for line in SEED_LINES) + "\n"
    packed = gzip.compress(body.encode(), compresslevel=1)
    found = records(write(tmp_path / "feed.jsonl.gz", packed[: len(packed) - 12]))
    assert isinstance(found[-1], Rejection)
    assert found[-1].reason == RejectReason.CORRUPT_ARCHIVE
    articles = [r for r in found[:-1] if isinstance(r, Article)]
    assert len(articles) == len(found) - 1
    assert [a.text for a in articles] == [s.strip() for s in SEED_LINES[: len(articles)]]


@pytest.mark.parametrize("name", ["story.txt.gz", "rows.csv.gz", "page.html.gz"])
def test_broken_gzip_single_files(tmp_path: Path, name: str) -> None:
    packed = gzip.compress(SEED_TEXT.encode())
    for variant, data in [("cut", packed[:40]), ("not-gzip", SEED_TEXT.encode())]:
        rejection = only(write(tmp_path / variant / name, data))
        assert isinstance(rejection, Rejection), variant
        assert rejection.reason == RejectReason.CORRUPT_ARCHIVE, variant


# --- CSV -----------------------------------------------------------------------------------


def test_csv_rows(tmp_path: Path) -> None:
    quoted = SEED_LINES[1].replace('"', '""')
    body = (
        "id,title,text,date\r\n"
        f'1,First,"{SEED_LINES[0]}",2022-09-10\r\n'
        f"2,Short row,{SEED_LINES[2][:30]}\r\n"
        f'3,Two paragraphs,"{quoted}\r\n\r\n{quoted}",10 September 2022\r\n'
        '4,Extra,"text",2022-09-10,surplus\r\n'
        "5,Empty,,2022-09-10\r\n"
    )
    found = records(write(tmp_path / "rows.csv", body))
    assert reasons(found) == {
        "row 1": "article",
        "row 2": "malformed_record",
        "row 3": "article",
        "row 4": "malformed_record",
        "row 5": "empty_text",
    }
    multi = found[2]
    assert isinstance(multi, Article)
    assert multi.text == f"{SEED_LINES[1]}\n\n{SEED_LINES[1]}"
    assert multi.published_at == date(2022, 9, 10) and multi.source_record_id == "3"
    assert "short row" in found[1].message


def test_csv_without_text_column_is_one_rejection(tmp_path: Path) -> None:
    body = "id,body\n1,some words\n2,more words\n"
    rejection = only(write(tmp_path / "rows.csv", body))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectReason.MISSING_TEXT
    assert "id, body" in rejection.message


def test_csv_in_cp1252_with_bom_header(tmp_path: Path) -> None:
    body = 'Text,Source\n"' + SEED_LINES[0].replace('"', '""') + '",Wire\n'
    found = records(write(tmp_path / "rows.csv", body.encode("cp1252")))
    assert len(found) == 1 and isinstance(found[0], Article)
    assert found[0].text == SEED_LINES[0] and found[0].source == "Wire"


# --- Parquet and HTML ----------------------------------------------------------------------


def test_parquet_rows(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "text": [SEED_LINES[0], None, "  ", SEED_LINES[1]],
            "published_at": [date(2022, 9, 10), None, None, date(2022, 9, 11)],
            "id": [1, 2, 3, 4],
        }
    )
    frame.write_parquet(tmp_path / "rows.parquet")
    found = records(tmp_path / "rows.parquet")
    assert reasons(found) == {
        "row 1": "article",
        "row 2": "null_text",
        "row 3": "empty_text",
        "row 4": "article",
    }
    assert isinstance(found[3], Article) and found[3].published_at == date(2022, 9, 11)
    pl.DataFrame({"body": ["x"]}).write_parquet(tmp_path / "nocol.parquet")
    assert reasons(records(tmp_path / "nocol.parquet")) == {"file": "missing_text"}
    write(tmp_path / "broken.parquet", SEED_TEXT)
    assert reasons(records(tmp_path / "broken.parquet")) == {"file": "malformed_record"}


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED_LINES)
    page = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Counteroffensive update</title>'
        '<meta property="article:published_time" content="2022-09-10T18:00:00Z"></head>'
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Counteroffensive update</h1>{paragraphs}</article>"
        "<footer>Copyright notice. All rights reserved.</footer></body></html>"
    )
    article = only(write(tmp_path / "page.html", page))
    assert isinstance(article, Article)
    assert SEED_LINES[0] in article.text and SEED_LINES[-1] in article.text
    assert "All rights reserved" not in article.text
    assert article.published_at == date(2022, 9, 10) and article.language == "en"
    empty = only(write(tmp_path / "empty.htm", "<html><body><nav>Home</nav></body></html>"))
    assert isinstance(empty, Rejection) and empty.reason == RejectReason.NO_ARTICLE_TEXT


# --- discovery, identity, accounting -------------------------------------------------------


def test_discover_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b" / "two.jsonl", "{}")
    write(root / "a.txt", SEED_TEXT)
    write(root / "a.meta.json", "{}")
    write(root / ".hidden.txt", SEED_TEXT)
    write(root / ".cache" / "x.txt", SEED_TEXT)
    write(tmp_path / "outside" / "secret.txt", SEED_TEXT)
    (root / "link-out").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / "link-file-out.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (root / "link-in.txt").symlink_to(root / "a.txt")
    (root / "b" / "loop").symlink_to(root, target_is_directory=True)
    found = [p.relative_to(root).as_posix() for p in discover_files(root)]
    assert found == ["a.txt", "b/two.jsonl", "link-in.txt"]
    paths = [r.input_path for r in read_inputs(root)]
    assert paths == ["a.txt", "b/two.jsonl", "link-in.txt"]


def test_same_article_in_two_files_has_one_doc_id(tmp_path: Path) -> None:
    write(tmp_path / "one.txt", SEED_TEXT.replace("\n", "\r\n").encode("utf-16"))
    write(tmp_path / "two.jsonl", json.dumps({"text": "\n" + SEED_TEXT + "  "}) + "\n")
    articles = [r for r in read_inputs(tmp_path) if isinstance(r, Article)]
    assert len(articles) == 2
    assert articles[0].doc_id == articles[1].doc_id


def test_mixed_folder_accounts_for_every_record(tmp_path: Path) -> None:
    body, expected = hostile_jsonl()
    write(tmp_path / "feed.jsonl", body)
    write(tmp_path / "doc.txt", SEED_TEXT)
    write(tmp_path / "blank.txt", "")
    write(tmp_path / "scan.pdf", b"%PDF-1.7\n")
    write(tmp_path / "sub" / "rows.csv", "text\nfirst\nsecond\n")
    found = list(read_inputs(tmp_path))
    counts = Counter(type(r).__name__ for r in found)
    seen = len(expected) + 1 + 1 + 1 + 2
    assert counts["Article"] + counts["Rejection"] == len(found) == seen
    assert counts["Article"] == 2 + 1 + 2


def test_unreadable_file_is_one_rejection(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    rejection = only(tmp_path / "dangling.txt")
    assert isinstance(rejection, Rejection) and rejection.reason == RejectReason.UNREADABLE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-12-17 15:08:00", date(2021, 12, 17)),
        ("26-FEB-1987 15:01:01.79", date(1987, 2, 26)),
        ("Sat, 10 Sep 2022 12:00:00 GMT", date(2022, 9, 10)),
        ("September 10, 2022", date(2022, 9, 10)),
        ("2004/2005", None),
        ("09/10/2022", None),  # day-first or month-first: refused
        ("2022-02-30", None),
        ("yesterday", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_html_declared_charset_beats_guessing(tmp_path: Path) -> None:
    """Mostly-ASCII markup would otherwise be guessed as cp1252; the page says mac_roman."""
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED_LINES)
    page = (
        '<html><head><meta charset="macintosh"></head>'
        f"<body><article>{paragraphs}</article></body></html>"
    )
    article = only(write(tmp_path / "page.html", page.encode("mac_roman")))
    assert isinstance(article, Article)
    assert article.encoding == "mac-roman"
    assert SEED_LINES[1] in article.text


def test_doc_id_is_the_head_of_the_text_sha256(tmp_path: Path) -> None:
    """Ingest hashes each text once: the id and the checksum must still agree with both."""
    texts = [
        "First article.\nIt said so.",
        "Zweiter Artikel: 5 % mehr.",
        "First article.\nIt said so.",
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    ingested = ingest_file(path, tmp_path, "k", 5_000_000)
    docs = ingested.documents
    assert docs.height == 2 and ingested.document_sources.height == 3
    for row in docs.iter_rows(named=True):
        assert row["text_sha256"] == hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
        assert row["doc_id"] == make_doc_id(row["text"]) == row["text_sha256"][:16]
    assert set(ingested.document_sources["doc_id"]) == set(docs["doc_id"])
