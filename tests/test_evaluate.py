"""The scorers implement shared/eval/FORMAT.md: identity scores 1.0, and each rule on a hand case.

Hand cases use real spans of the seed article; expected numbers are worked out in comments.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from pipeline.claims.model import Claim, ClaimKind, Quantity
from pipeline.evaluate.attribution import content_chars, load_jsonl, score_attributions
from pipeline.evaluate.documents import read_document
from pipeline.evaluate.quantities import (
    load_quantity_gold,
    predict_quantity_sentences,
    score_quantities,
)
from pipeline.evaluate.run import (
    breakdown,
    claim_to_prediction,
    format_breakdown,
    predict_documents,
    read_gold_documents,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed"
SEED_DOC = "kharkiv_counteroffensive.txt"
SEED_GOLD = SEED / "kharkiv_counteroffensive.gold.jsonl"
SEED_QGOLD = SEED / "kharkiv_counteroffensive.quantities.gold.jsonl"
DEV = SHARED / "eval" / "polnear" / "dev"
QSETS = sorted((SHARED / "eval" / "quantities").glob("*.jsonl"))

# Seed spans used below (checked in test_seed_spans_are_what_the_cases_assume):
QUOTE1 = (209, 302)  # For the moment, ... has been liberated,   -> trimmed (209, 301): 92 chars
QUOTE1_TAIL = (259, 302)  # around 2,000 kilometers has been liberated,  -> (259, 301): 42 chars
QUOTE2 = (372, 440)  # There is no place in Ukraine ... There never will be.
SPEAKER = (304, 322)  # Volodymir Zelensky
SURNAME = (314, 322)  # Zelensky
SAID = (323, 327)
ADDING = (363, 369)
HE = (442, 444)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_document(SEED, SEED_DOC)


def rec(content: Sequence[tuple[int, int]], **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "doc": SEED_DOC,
        "content_spans": [list(s) for s in content],
        "source_spans": [],
        "cue_spans": [],
        "speaker": None,
        "speaker_aliases": [],
        "required": True,
    }
    for key in ("source_spans", "cue_spans"):
        if key in kw:
            kw[key] = [list(s) for s in kw[key]]
    return {**base, **kw}


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return score_attributions(gold, pred, {SEED_DOC: text}).to_dict()


def test_seed_spans_are_what_the_cases_assume(seed_text: str) -> None:
    assert seed_text[slice(*QUOTE1)].startswith("For the moment")
    assert seed_text[slice(*QUOTE1)].endswith("liberated,")
    assert seed_text[slice(*QUOTE1_TAIL)].startswith("around 2,000")
    assert seed_text[slice(*SPEAKER)] == "Volodymir Zelensky"
    assert seed_text[slice(*SURNAME)] == "Zelensky"
    assert seed_text[slice(*SAID)] == "said"
    assert seed_text[slice(*ADDING)] == "adding"
    assert seed_text[slice(*HE)] == "He"


# --- identity: gold against itself --------------------------------------------------------


@pytest.mark.parametrize(
    ("gold_path", "docs_dir"), [(DEV / "gold.jsonl", DEV / "docs"), (SEED_GOLD, SEED)]
)
def test_gold_against_itself_scores_one(gold_path: Path, docs_dir: Path) -> None:
    gold = load_jsonl(gold_path)
    texts = read_gold_documents(gold, docs_dir)
    report = score_attributions(gold, gold, texts)
    for prf in [*report.content.values(), report.attribution]:
        assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)
    for acc in (report.source_accuracy, report.cue_accuracy):
        assert acc.value == 1.0
    has_speakers = any(g.get("speaker") for g in gold)
    assert report.speaker_accuracy.value == (1.0 if has_speakers else None)
    # Without document texts the span texts are cut from `content`: same numbers.
    assert score_attributions(gold, gold).to_dict() == report.to_dict()
    assert "content half" in report.format_table()


def test_polnear_dev_spans_round_trip_through_the_document_reader() -> None:
    gold = load_jsonl(DEV / "gold.jsonl")
    texts = read_gold_documents(gold, DEV / "docs")
    assert len(texts) == 84
    for g in gold:
        text = texts[g["doc"]]
        for key in ("content", "source", "cue"):
            spans = g[f"{key}_spans"]
            if spans:
                assert " ".join(text[s:e] for s, e in spans) == g[key], (g["doc"], key, spans)


# --- hand cases, one per FORMAT rule -------------------------------------------------------


def test_trimming_quotes_spaces_and_punctuation(seed_text: str) -> None:
    # The prediction includes the opening quote mark, the closing '," ' and a trailing space.
    padded = (QUOTE1[0] - 1, QUOTE1[1] + 2)
    assert seed_text[slice(*padded)] == seed_text[slice(*QUOTE1)].join(['"', '" '])
    assert content_chars(rec([padded]), seed_text) == content_chars(rec([QUOTE1]), seed_text)
    assert len(content_chars(rec([QUOTE1]), seed_text)) == 92  # trailing comma trimmed
    r = score([rec([QUOTE1])], [rec([padded])], seed_text)
    assert r["content"]["exact"]["f1"] == 1.0


def test_split_spans_jaccard_over_characters(seed_text: str) -> None:
    # gold: "For the moment" (14 chars) + "around ... liberated" (42) = 56 chars;
    # prediction: the whole quote, 92 chars, containing both: J = 56/92 = 0.61 -> half, not exact.
    gold = [rec([(209, 223), QUOTE1_TAIL])]
    r = score(gold, [rec([QUOTE1])], seed_text)
    assert r["content"]["exact"]["tp"] == 0
    assert r["content"]["half"]["tp"] == 1
    # A prediction split like the gold, with ", " and a space at the edges, matches exactly;
    # the unsplit tail alone (42 of 56 chars) is a half match.
    r = score(gold, [rec([(209, 225), (258, 302)])], seed_text)
    assert r["content"]["exact"]["f1"] == 1.0
    r = score(gold, [rec([QUOTE1_TAIL])], seed_text)
    assert [r["content"][lvl]["tp"] for lvl in ("exact", "half")] == [0, 1]


def test_levels_pair_separately(seed_text: str) -> None:
    # The tail alone: J = 42/92 = 0.457 -> no exact, no half, but an "any" match.
    r = score([rec([QUOTE1])], [rec([QUOTE1_TAIL])], seed_text)
    assert [r["content"][lvl]["tp"] for lvl in ("exact", "half", "any")] == [0, 0, 1]
    assert r["content"]["any"]["precision"] == 1.0
    assert r["content"]["half"]["precision"] == 0.0


def test_required_false_counts_for_nothing(seed_text: str) -> None:
    gold = [rec([QUOTE1], required=False), rec([QUOTE2])]
    spurious = rec([(441, 470)])  # "He did not specify ..." (no gold)
    pred = [rec([QUOTE1]), rec([QUOTE2]), spurious]
    r = score(gold, pred, seed_text)
    # Prediction on the optional item leaves precision: TP 1 of 2 counted predictions.
    half = r["content"]["half"]
    assert (half["tp"], half["n_pred"], half["n_gold"]) == (1, 2, 1)
    assert (half["precision"], half["recall"]) == (0.5, 1.0)
    assert r["n_gold_optional"] == 1


def test_greedy_one_to_one_with_two_overlapping_predictions(seed_text: str) -> None:
    # Both predictions overlap the one gold; the exact one wins, the tail is a false positive
    # even at the "any" level, because the gold is already taken.
    r = score([rec([QUOTE1])], [rec([QUOTE1_TAIL]), rec([QUOTE1])], seed_text)
    for level in ("exact", "half", "any"):
        assert (r["content"][level]["tp"], r["content"][level]["n_pred"]) == (1, 2)
    # Two overlapping golds, two overlapping predictions: the greedy order pairs each exactly.
    gold = [rec([QUOTE1]), rec([QUOTE1_TAIL])]
    r = score(gold, [rec([QUOTE1_TAIL]), rec([QUOTE1])], seed_text)
    assert r["content"]["exact"]["f1"] == 1.0


def test_source_cue_and_attribution(seed_text: str) -> None:
    gold = [
        rec([QUOTE1], source_spans=[SPEAKER], cue_spans=[SAID]),
        rec([QUOTE2], source_spans=[SPEAKER], cue_spans=[ADDING]),
    ]
    pred = [
        rec([QUOTE1], source_spans=[SURNAME], cue_spans=[SAID]),  # overlaps: right
        rec([QUOTE2], source_spans=[HE]),  # wrong source, no cue
    ]
    r = score(gold, pred, seed_text)
    assert r["source_accuracy"] == {"correct": 1, "total": 2, "value": 0.5}
    assert r["cue_accuracy"] == {"correct": 1, "total": 2, "value": 0.5}
    assert (r["attribution"]["tp"], r["attribution"]["precision"]) == (1, 0.5)
    assert r["speaker_accuracy"]["value"] is None


def test_speaker_only_gold_must_be_resolved(seed_text: str) -> None:
    # A quote continued from an earlier sentence: no source span, but a named speaker.
    gold = [rec([QUOTE2], speaker="Volodymyr Zelensky", speaker_aliases=["Zelensky"])]
    resolved = score(gold, [rec([QUOTE2], speaker="ZELENSKY")], seed_text)
    assert resolved["attribution"]["f1"] == 1.0
    assert resolved["speaker_accuracy"]["value"] == 1.0
    unresolved = score(gold, [rec([QUOTE2], source_spans=[HE])], seed_text)
    assert unresolved["attribution"]["tp"] == 0
    assert unresolved["content"]["half"]["tp"] == 1
    assert unresolved["speaker_accuracy"] == {"correct": 0, "total": 1, "value": 0.0}
    # Gold with neither source nor speaker needs nothing.
    assert score([rec([QUOTE2])], [rec([QUOTE2])], seed_text)["attribution"]["f1"] == 1.0


def test_predictions_for_other_documents_are_counted_not_scored(seed_text: str) -> None:
    other = {**rec([QUOTE1]), "doc": "other.txt"}
    r = score([rec([QUOTE1])], [rec([QUOTE1]), other], seed_text)
    assert r["unscored_predictions"] == 1
    assert r["content"]["half"]["precision"] == 1.0


def test_inconsistent_content_without_texts_is_refused() -> None:
    bad = {**rec([QUOTE1]), "content": "too short"}
    with pytest.raises(ValueError, match="does not match its spans"):
        score_attributions([bad], [bad])


# --- run: conversion, prediction over documents, breakdown ----------------------------------


def _gold_claims(text: str) -> list[Claim]:
    claims = []
    for g in load_jsonl(SEED_GOLD):
        claims.append(
            Claim(
                kind=ClaimKind(g["kind"]),
                content_spans=tuple((s, e) for s, e in g["content_spans"]),
                rule="from_gold" if g["source_spans"] else "from_gold_no_source",
                cue=tuple(g["cue_spans"][0]) if g["cue_spans"] else None,
                source=tuple(g["source_spans"][0]) if g["source_spans"] else None,
                speaker=g["speaker"],
            )
        )
    return claims


def test_predict_documents_converts_claims(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an extractor that returns the gold as Claims, evaluation must give 1.0 (minus
    the author claims, which are not attributions and are required: false in the seed)."""
    seen_sentences: list[list[tuple[int, int]]] = []

    def fake_extract(text: str, sentences: Sequence[tuple[int, int]]) -> list[Claim]:
        assert text == seed_text
        seen_sentences.append(list(sentences))
        return _gold_claims(text)

    fake = types.ModuleType("pipeline.claims.extract")
    fake.extract_claims = fake_extract  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pipeline.claims.extract", fake)
    gold = load_jsonl(SEED_GOLD)
    pred = predict_documents(gold, SEED)
    assert seen_sentences and all(s < e for s, e in seen_sentences[0])
    assert all(p["kind"] != "author" for p in pred)
    assert all(p["content"] == seed_text[slice(*p["content_spans"][0])] for p in pred)
    report = score_attributions(gold, pred, {SEED_DOC: seed_text})
    assert report.content["exact"].f1 == 1.0
    assert report.attribution.f1 == 1.0
    table = breakdown(gold, pred, {SEED_DOC: seed_text})
    assert table["recall_by_kind"]["direct"]["recall"] == 1.0
    assert table["precision_by_rule"]["from_gold"]["precision"] == 1.0
    assert "precision by rule" in format_breakdown(table)


def test_breakdown_shows_where_recall_is_lost(seed_text: str) -> None:
    gold = load_jsonl(SEED_GOLD)
    texts = {SEED_DOC: seed_text}
    pred = [claim_to_prediction(SEED_DOC, seed_text, c) for c in _gold_claims(seed_text)]
    pred = [p for p in pred if p["cue"] != "said"]  # lose every "said" attribution
    table = breakdown(gold, pred, texts)
    said = table["recall_by_cue"]["said"]
    assert said["gold"] >= 5 and said["found"] == 0
    assert table["recall_by_cue"]["added"]["recall"] == 1.0
    assert set(table["recall_by_source_type"]) <= {"name", "pronoun", "description", "none"}
    assert table["recall_by_source_type"]["pronoun"]["gold"] >= 1  # "he" in the seed


# --- quantities ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*QSETS, SEED_QGOLD], ids=lambda p: p.stem)
def test_quantity_gold_against_itself(path: Path) -> None:
    gold = load_quantity_gold(path)
    report = score_quantities(gold, gold)
    assert report.n_gold > 0
    assert (report.value.f1, report.value_unit.f1) == (1.0, 1.0)
    annotated = any(q.get("change") for s in gold for q in s["quantities"])
    assert (report.value_change is not None) == annotated
    if report.value_change is not None:
        assert report.value_change.f1 == 1.0
    assert "value+unit" in report.format_table()


def _sentence(doc: str, quantities: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return {"doc": doc, "text": text, "quantities": quantities}


def _q(low: float, unit: str | None, change: str | None = "=", high: float | None = None) -> dict:
    return {
        "value": str(low),
        "low": low,
        "high": low if high is None else high,
        "normalized_unit": unit,
        "change": change,
    }


def test_quantity_value_and_unit() -> None:
    (row,) = [r for r in load_jsonl(QSETS[2]) if r["text"] == "You weight 200lbs."]
    gold = [row]
    # 200 pound-mass right; 200 kilogram is a value-level match only once (gold taken): FP.
    pred = [
        _sentence(row["doc"], [_q(200, "kilogram"), _q(200.0000001, "pound-mass")], row["text"])
    ]
    r = score_quantities(gold, pred)
    assert (r.value.tp, r.value.precision, r.value.recall) == (1, 0.5, 1.0)
    assert (r.value_unit.tp, r.value_unit.precision) == (1, 0.5)
    r = score_quantities(gold, [_sentence(row["doc"], [_q(200, "kilogram")], row["text"])])
    assert (r.value.f1, r.value_unit.tp) == (1.0, 0)
    r = score_quantities(gold, [_sentence(row["doc"], [_q(2000, "pound-mass")], row["text"])])
    assert r.value.tp == 0  # 2000 != 200
    # A range matches only on both ends.
    r = score_quantities(gold, [_sentence(row["doc"], [_q(200, "pound-mass", high=250)], "x")])
    assert r.unscored_predictions == 1 and r.value.tp == 0


def test_quantity_change_null_is_not_annotated() -> None:
    text = "more than 2,000 fighters and 2,000 tanks"
    gold = [_sentence("d", [_q(2000, "tank", change=None), _q(2000, "fighter", change=">")], text)]
    # One prediction of 2000 with ">": pairs with the annotated gold (scored ones go first).
    r = score_quantities(gold, [_sentence("d", [_q(2000, "fighter", change=">")], text)])
    assert r.value_change is not None
    assert (r.value_change.tp, r.value_change.n_pred, r.value_change.n_gold) == (1, 1, 1)
    # A second 2000 (any change) pairs with the unannotated gold: neither hit nor false positive.
    pred = [_sentence("d", [_q(2000, "fighter", change=">"), _q(2000, "tank", change="=")], text)]
    r = score_quantities(gold, pred)
    assert r.value_change is not None
    assert (r.value_change.tp, r.value_change.n_pred, r.value_change.precision) == (1, 1, 1.0)
    assert r.value.f1 == 1.0
    # Wrong change on the annotated one: a value hit, a value+change miss.
    r = score_quantities(gold, [_sentence("d", [_q(2000, "fighter", change="~")], text)])
    assert r.value_change is not None and r.value_change.tp == 0
    # Gold that annotates no change at all: value+change is undefined, not 0.
    (row,) = load_jsonl(QSETS[0])[:1]
    assert score_quantities([row], [row]).value_change is None


def test_seed_quantities_match_by_place() -> None:
    gold = load_quantity_gold(SEED_QGOLD)
    (doc,) = gold
    first = doc["quantities"][0]  # "around 2,000 kilometers" at 58; the same value recurs
    pred = [{**doc, "quantities": [dict(first)]}]
    r = score_quantities(gold, pred)
    assert (r.value.tp, r.value.precision) == (1, 1.0)
    assert r.value.recall == pytest.approx(1 / len(doc["quantities"]))
    moved = {**first, "start": 0, "end": 5}  # same value, wrong place in the document
    assert score_quantities(gold, [{**doc, "quantities": [moved]}]).value.tp == 0


def test_predict_quantity_sentences_converts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The finder's Quantity records come back in the gold's shape with surfaces that match."""
    rows = [r for r in load_jsonl(QSETS[2]) if any(ch.isdigit() for ch in r["text"])][:5]

    def fake_find(text: str) -> list[Quantity]:
        i = next(k for k, ch in enumerate(text) if ch.isdigit())
        j = i
        while j < len(text) and text[j].isdigit():
            j += 1
        n = float(text[i:j])
        return [Quantity(i, j, text[i:j], n, n, None, None, "=")]

    fake = types.ModuleType("pipeline.claims.quantities")
    fake.find_quantities = fake_find  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pipeline.claims.quantities", fake)
    pred = predict_quantity_sentences(rows)
    assert [p["text"] for p in pred] == [r["text"] for r in rows]
    for p in pred:
        (q,) = p["quantities"]
        assert p["text"][q["start"] : q["end"]] == q["surface"] == q["value"]
    report = score_quantities(rows, pred)
    assert report.n_pred == 5 and report.value.tp >= 1


def test_dash_unit_in_cqe_gold_means_no_unit() -> None:
    from pipeline.evaluate.quantities import score_quantities

    gold = [
        {"doc": "d", "text": "t", "quantities": [{"low": 3.0, "high": 3.0, "normalized_unit": "-"}]}
    ]
    pred = [
        {
            "doc": "d",
            "text": "t",
            "quantities": [{"low": 3.0, "high": 3.0, "normalized_unit": None}],
        }
    ]
    assert score_quantities(gold, pred).value_unit.tp == 1
