"""A folder argument that is a file (or lies under one): one line, exit 1, nothing written.

These ended in a traceback from the first `mkdir` (`claimbank run` with such a warehouse or
Dagster home, `claimbank release --out`, `claimbank eval --predictions-out`), and an input that
is a file said the input folder did not exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_RAW, SEED_DIR
from tests.test_cli import claimbank


def one_line_error(out) -> str:
    assert out.returncode == 1, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("claimbank: error: ")
    return line.removeprefix("claimbank: error: ")


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n")
    return path


@pytest.mark.parametrize(
    ("warehouse", "home", "expected"),
    [
        ("FILE", "home", "warehouse {file} is a file, not a folder"),
        (
            "FILE/warehouse",
            "home",
            "warehouse {file}/warehouse cannot be created: {file} is a file",
        ),
        ("warehouse", "FILE", "Dagster home {file} is a file, not a folder"),
        ("warehouse", "FILE/home", "Dagster home {file}/home cannot be created: {file} is a file"),
    ],
)
def test_run_with_a_file_where_a_folder_goes(
    tmp_path: Path, a_file: Path, warehouse: str, home: str, expected: str
) -> None:
    def place(name: str) -> str:
        return name.replace("FILE", str(a_file)) if "FILE" in name else str(tmp_path / name)

    out = claimbank(
        "run",
        *("--input", str(SAMPLE_RAW)),
        *("--warehouse", place(warehouse), "--dagster-home", place(home)),
    )
    assert one_line_error(out) == expected.format(file=a_file)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing was created
    assert a_file.read_text() == "not a folder\n"


def test_run_with_an_input_file_names_the_folder_to_give(tmp_path: Path) -> None:
    article = next(SAMPLE_RAW.glob("*.txt"))
    out = claimbank(
        "run",
        *("--input", str(article), "--warehouse", str(tmp_path / "w")),
        *("--dagster-home", str(tmp_path / "dh")),
    )
    message = one_line_error(out)
    assert message == f"input {article} is a file, not a folder: give the folder that holds it"
    assert list(tmp_path.iterdir()) == []


def test_release_under_a_file(tmp_path: Path, a_file: Path) -> None:
    out = claimbank(
        "release",
        *("--version", "0.1.0", "--out", str(a_file / "releases")),
        *("--warehouse", str(tmp_path / "w")),
    )
    expected = f"release folder {a_file}/releases cannot be created: {a_file} is a file"
    assert one_line_error(out) == expected


def test_eval_predictions_under_a_file(a_file: Path) -> None:
    out = claimbank(
        "eval",
        *("--gold", str(SEED_DIR / "kharkiv_counteroffensive.gold.jsonl")),
        *("--docs", str(SEED_DIR), "--predictions-out", str(a_file / "predictions.jsonl")),
    )
    assert one_line_error(out) == f"--predictions-out folder {a_file} is a file, not a folder"


@pytest.mark.parametrize("value", ["abc", "12.5", "0", "-3"])
def test_a_bad_max_document_bytes_variable_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """`int()` of it raised a traceback in every command; 0 or less rejected every document."""
    monkeypatch.setenv("CLAIMBANK_MAX_DOCUMENT_BYTES", value)
    out = claimbank(
        "run",
        *("--input", str(SAMPLE_RAW), "--warehouse", str(tmp_path / "w")),
        *("--dagster-home", str(tmp_path / "dh")),
    )
    assert (
        one_line_error(out)
        == f"CLAIMBANK_MAX_DOCUMENT_BYTES={value!r} is not a number of bytes >= 1"
    )
    assert list(tmp_path.iterdir()) == []
