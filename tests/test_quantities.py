"""Quantity finder on real text: the seed gold, sentences from the CQE sets, PolNeAR news."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.quantities import find_quantities

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_TEXT = SHARED / "seed" / "kharkiv_counteroffensive.txt"
SEED_GOLD = SHARED / "seed" / "kharkiv_counteroffensive.quantities.gold.jsonl"
SETS = SHARED / "eval" / "quantities"
POLNEAR_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _sentence(doc: str) -> dict:
    """One gold sentence of the CQE sets by its id (e.g. "age-model-0015")."""
    name = doc.split("-model-")[0]
    for line in (SETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["doc"] == doc:
            return row
    raise AssertionError(f"{doc} not in {name}.jsonl")


def _key(low: float, high: float, unit: str | None) -> tuple[float, float, str | None]:
    return (round(low, 6), round(high, 6), unit)


def test_seed_gold_found_exactly() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    found = {(q.start, q.end): q for q in find_quantities(text)}
    gold = [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(gold) == 9
    for g in gold:
        q = found.get((g["start"], g["end"]))
        assert q is not None, f"missing {g['surface']!r}"
        assert text[q.start : q.end] == g["surface"]
        assert math.isclose(q.low, g["low"]) and math.isclose(q.high, g["high"])
        assert q.value == g["value"]
        assert q.normalized_unit == g["normalized_unit"]
        assert q.change == g["change"]


@pytest.mark.parametrize(
    "doc",
    [
        "age-model-0015",  # range + age: "about 40 - 50 years old"
        "age-model-0003",  # written number: "ninety five years of age"
        "age-model-0014",  # "90 day old"
        "temperature-model-0031",  # negative with a space: "- 20 degrees fahrenheit"
        "temperature-model-0003",  # "6 deg c"
        "temperature-model-0015",  # "85°"
        "dimension-model-0003",  # "about ten miles", "fourteen people", "dozens of homes"
        "dimension-model-0004",  # mixed fraction "10 1/2 miles", counted "23 computers"
        "dimension-model-0010",  # range "eight to 10 feet"
        "dimension-model-0027",  # rate "188 miles an hour"
        "dimension-model-0020",  # area "190,000 square meters"
        "dimension-model-0000",  # glued "200lbs"
        "currency-model-0004",  # "c $ 16.4 million"
        "currency-model-0060",  # "c $ 1.34 a share"
        "currency-model-0001",  # "420 million finnish markka"
        "currency-model-0078",  # "€ 2 million"
        "currency-model-0137",  # "half million usd"
        "currency-model-0096",  # "thirteen dollars and forty-five cents"
        "currency-model-0035",  # "6.2 %" and "$ 1.45 billion"
    ],
)
def test_cqe_sentences(doc: str) -> None:
    row = _sentence(doc)
    got = sorted(_key(q.low, q.high, q.normalized_unit) for q in find_quantities(row["text"]))
    want = sorted(_key(g["low"], g["high"], g["normalized_unit"]) for g in row["quantities"])
    assert got == want


@pytest.mark.parametrize(
    ("doc", "surface", "change"),
    [
        ("age-model-0004", "more than 500 years old", ">"),
        ("dimension-model-0031", "some 325 kilometer", "~"),
        ("dimension-model-0014", "over two pounds", ">"),
        ("currency-model-0008", "more than $ 247 million", ">"),
        ("currency-model-0010", "27 %", "down"),  # "sank 27 %": the verb sets change, not span
        ("currency-model-0037", "down 34 cents", "down"),
        ("dimension-model-0042", "up 14.8 %", "up"),
        ("age-model-0011", "younger than three months old", "<"),
    ],
)
def test_change_words(doc: str, surface: str, change: str) -> None:
    text = _sentence(doc)["text"]
    by_surface = {text[q.start : q.end]: q for q in find_quantities(text)}
    assert surface in by_surface, sorted(by_surface)
    assert by_surface[surface].change == change


@pytest.mark.parametrize(
    "doc",
    ["age-model-0017", "dimension-model-0051", "dimension-model-0079", "temperature-model-0033"],
)
def test_cqe_sentences_without_quantities(doc: str) -> None:
    """ "Yo dude!", "2:00 pm", "scp-173m", "SCP-173C": no quantity."""
    assert find_quantities(_sentence(doc)["text"]) == []


def test_seed_dates_and_years_not_extracted() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    for pattern in (r"February 24", r"\b2014\b"):
        m = re.search(pattern, text)
        assert m is not None
        assert not any(q.start < m.end() and m.start() < q.end for q in find_quantities(text))


_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b(?:, \d{4})?"
    r"|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\b(?:in|since|until|of) (?:19|20)\d\d\b(?![,.]?\d)"
)


def test_polnear_dates_times_years_not_extracted() -> None:
    checked = 0
    for path in POLNEAR_DOCS[:60]:
        text = path.read_text(encoding="utf-8")
        spans = [(q.start, q.end) for q in find_quantities(text)]
        for m in _DATE.finditer(text):
            checked += 1
            hits = [text[s:e] for s, e in spans if s < m.end() and m.start() < e]
            assert not hits, f"{path.name}: {m.group()!r} inside {hits}"
    assert checked > 20


def test_polnear_finds_money_and_percent() -> None:
    """Real news: every "$N million" and "N percent" in the docs comes out with its unit."""
    money = re.compile(
        r"\$\d+(?:[,.]\d+)*(?: (?:million|billion))?(?![\w$])|\b\d+(?:\.\d+)? percent\b"
    )
    checked = 0
    for path in POLNEAR_DOCS[:60]:
        text = path.read_text(encoding="utf-8")
        found = {(q.start, q.end): q for q in find_quantities(text)}
        for m in money.finditer(text):
            hit = [q for (s, e), q in found.items() if s <= m.start() and m.end() <= e]
            assert hit, f"{path.name}: {m.group()!r} not found"
            assert hit[0].normalized_unit in ("dollar", "percentage") or "per" in str(
                hit[0].normalized_unit
            )
            checked += 1
    assert checked > 50


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_is_safe(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["12", "1,000", "-", " ", "$", "€", "c $", "to", "and", "between", "3/4", "½",
             "million", "km", "years", "old", "a", "share", "over", "five", "dozens", "of",
             "people", ".", ":", "2014", "pm", "%", "deg", "USD", "m2", "(", "—"]
        ),
        max_size=12,
    ).map(" ".join)
)  # fmt: skip
def test_number_like_strings_are_safe(text: str) -> None:
    _check_invariants(text)


def _check_invariants(text: str) -> None:
    found = find_quantities(text)
    prev_end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= prev_end
        assert q.low <= q.high
        prev_end = q.end
