"""A folder of hostile inputs, generated on the fly, with the outcome every record must have.

Used by the end-to-end hostile-input, idempotency and concurrency tests. Nothing large is
committed: the 10 MB article and the 1 MB line are built here from a seed.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import zlib
from pathlib import Path

import polars as pl

from tests.conftest import SEED_TEXT

DOC = "doc"  # the record must become a document source row

ARTICLE = SEED_TEXT.read_text("utf-8").strip()
SHORT = (
    "The minister said on Monday that 2,000 troops had been moved. "
    '"We will not retreat," she told reporters.'
)
UNICODE = (
    "Zero\u200bwidth\u200d joiners, \u202eRTL override\u202c and \u05e9\u05dc\u05d5\u05dd "
    "\u0645\u0631\u062d\u0628\u0627 \U0001f600\U0001f44d\U0001f3fd \U0001f1fa\U0001f1e6 "
    'appear here. "Emoji \U0001f4a5 everywhere," an official said.'
)


def _write(root: Path, name: str, data: bytes | str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _jsonl(rows: list[object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def build_hostile_folder(root: Path, seed: int = 7) -> dict[str, dict[str, str]]:
    """Write every hostile case under `root`; return input_path -> {locator: reason or DOC}."""
    rng = random.Random(seed)
    expected: dict[str, dict[str, str]] = {}

    def case(name: str, data: bytes | str, outcome: dict[str, str]) -> None:
        _write(root, name, data)
        expected[name] = outcome

    case("empty.txt", b"", {"file": "empty"})
    case("whitespace.txt", " \n\t\r\n  \n", {"file": "empty"})
    case("random.txt", bytes(rng.randrange(256) for _ in range(4096)), {"file": "binary"})
    case("latin1.txt", "Le ministre a déclaré: «Ça suffit», à Genève.".encode("latin-1"), {})
    expected["latin1.txt"] = {"file": DOC}
    case("utf16.txt", codecs.BOM_UTF16_LE + SHORT.encode("utf-16-le"), {"file": DOC})
    case("bom.txt", codecs.BOM_UTF8 + ("Bom " + SHORT).encode("utf-8"), {"file": DOC})
    case("crlf.txt", ("Crlf " + SHORT).replace(". ", ".\r\n\r\n"), {"file": DOC})
    case("nul.txt", ("Nul " + SHORT).replace(" ", " \x00", 3), {"file": DOC})
    quotes = 'He said "this never closes. And „this „nests“ twice“ while «that» » « ends'
    case("quotes.txt", quotes + ' "\n\n' + "' ” “ ‘ ’ \" said she.", {"file": DOC})
    words = ["alpha", "beta", "gamma", "delta", "said", "the", "minister"]
    long_line = " ".join(rng.choice(words) for _ in range(200_000))[:1_000_000]
    case("long_line.txt", long_line, {"file": DOC})
    big = (ARTICLE + "\n\n") * (10_000_000 // len(ARTICLE) + 1)
    case("big.txt", big[:10_000_000], {"file": "too_large"})
    case("unicode.txt", UNICODE, {"file": DOC})
    case("copy_a.txt", ARTICLE, {"file": DOC})
    case("sub/copy_b.txt", ARTICLE, {"file": DOC})  # same article under a second name
    case("report.pdf", b"%PDF-1.4\n%binary", {"file": "unsupported_type"})
    case("report.docx", b"PK\x03\x04docx", {"file": "unsupported_type"})
    case("no_suffix", SHORT, {"file": "unsupported_type"})
    lines = [
        json.dumps({"text": "JSONL one. " + SHORT, "id": "../../../escape", "url": "/etc/x"}),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps("a string"),
        json.dumps({"title": "no text"}),
        json.dumps({"text": None}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
        json.dumps({"text": "JSONL two. " + SHORT, "published_at": 12, "title": ["x"]}),
        '{"text": "truncated mid-str',
    ]
    case(
        "records.jsonl",
        "\n".join(lines),
        {
            "line 1": DOC,
            "line 2": "malformed_record",
            "line 3": "malformed_record",
            "line 4": "not_an_object",
            "line 5": "not_an_object",
            "line 6": "missing_text",
            "line 7": "null_text",
            "line 8": "empty_text",
            "line 9": "non_string_text",
            "line 10": DOC,
            "line 11": "malformed_record",
        },
    )
    csv_text = (
        "id,title,text\n"
        '1,Ok,"CSV one, with\nan embedded newline. ' + SHORT.replace('"', '""') + '"\n'
        "2,short row\n"
        '3,Ok,"CSV two. ' + SHORT.replace('"', '""') + '"\n'
        '4,Extra,"text",surplus\n'
    )
    case(
        "rows.csv",
        csv_text,
        {"row 1": DOC, "row 2": "malformed_record", "row 3": DOC, "row 4": "malformed_record"},
    )
    case("wrong_header.csv", "headline,body\nA,B\n", {"file": "missing_text"})
    complete = _jsonl([{"text": f"Gz {rng.random()}. " + SHORT} for i in range(200)]).encode()
    packed = gzip.compress(complete)
    truncated = packed[: len(packed) // 2]
    case("truncated.jsonl.gz", truncated, {})
    expected["truncated.jsonl.gz"] = _truncated_outcome(truncated)
    small = gzip.compress(_jsonl([{"text": f"Small {i}. " + SHORT} for i in range(3)]).encode())
    case("small_truncated.jsonl.gz", small[:-10], {})  # gzip.open used to lose all 3 lines
    expected["small_truncated.jsonl.gz"] = _truncated_outcome(small[:-10])
    case("broken.txt.gz", gzip.compress(SHORT.encode())[:25], {"file": "corrupt_archive"})
    case("meta.txt", "Meta " + SHORT, {"file": DOC})
    _write(root, "meta.meta.json", json.dumps({"title": 5, "published_at": "someday"}))
    buffer = io.BytesIO()
    pl.DataFrame({"text": ["Parquet one. " + SHORT, None, ""], "id": [1, 2, 3]}).write_parquet(
        buffer
    )
    case(
        "table.parquet",
        buffer.getvalue(),
        {"row 1": DOC, "row 2": "null_text", "row 3": "empty_text"},
    )
    page = (
        '<html lang="en"><head><title>Remote</title>'
        '<link rel="stylesheet" href="http://192.0.2.1/style.css">'
        '<script src="http://192.0.2.1/x.js"></script></head><body>'
        '<img src="http://192.0.2.1/pixel.png"><iframe src="http://192.0.2.1/frame"></iframe>'
        f"<article><h1>Remote</h1><p>{SHORT}</p><p>{SHORT} Again, for length.</p></article>"
        "</body></html>"
    )
    case("page.html", page, {"file": DOC})
    return expected


def _truncated_outcome(data: bytes) -> dict[str, str]:
    """Every complete line before the break is a record; the break itself is one rejection."""
    recoverable = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    n = recoverable.count(b"\n")
    assert n > 0, "the truncated archive must still hold complete lines"
    outcome = {f"line {i}": DOC for i in range(1, n + 1)}
    outcome[f"line {n + 1}"] = "corrupt_archive"
    return outcome
