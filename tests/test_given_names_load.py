"""The given-name list read from bytes holds exactly the lines text mode would give."""

from __future__ import annotations

from importlib.resources import files

from pipeline.claims.given_names import given_names


def test_bytes_read_gives_the_text_mode_lines() -> None:
    path = files("gender_guesser").joinpath("data", "nam_dict.txt")
    text_mode = path.read_text(encoding="utf-8").splitlines()
    assert path.read_bytes().decode("utf-8").splitlines() == text_mode
    names = given_names()
    assert len(names) > 40_000
    for line in text_mode[::997]:  # every name of a sample of the lines is in the set
        parts = line.split(maxsplit=2)
        if line[:1] not in ("#", "=", "") and len(parts) >= 2 and "+" not in parts[1]:
            assert parts[1].lower() in names
