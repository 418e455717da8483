"""Run the claim extractor on the gold's documents and break the errors down.

`predict_documents` produces predictions in FORMAT.md's shape (plus extra keys `rule`,
`cue_lemma`, `stance`, `speaker_type` for analysis); `breakdown` shows where recall and
precision are lost, so the next person knows which rule or cue to work on.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.evaluate.attribution import (
    AttributionReport,
    load_jsonl,
    pair_attributions,
    score_attributions,
    source_correct,
)
from pipeline.evaluate.documents import read_document
from pipeline.evaluate.metrics import fmt

Span = tuple[int, int]
TOP_CUES = 25


def _title(docs_dir: Path, doc: str) -> str | None:
    """The headline from `<doc>.meta.json` if present: segment() treats a repeated title apart."""
    meta = docs_dir / (Path(doc).stem + ".meta.json")
    if not meta.is_file():
        return None
    title = json.loads(meta.read_text(encoding="utf-8")).get("title")
    return title if isinstance(title, str) else None


def _texts(spans: Sequence[Span], text: str) -> str | None:
    return " ".join(text[s:e] for s, e in spans) if spans else None


def claim_to_prediction(doc: str, text: str, claim: Any) -> dict[str, Any]:
    """One `pipeline.claims.model.Claim` as a FORMAT.md prediction line (+ analysis keys)."""
    content = [(int(s), int(e)) for s, e in claim.content_spans]
    source = [claim.source] if claim.source is not None else []
    cue = [claim.cue] if claim.cue is not None else []
    return {
        "doc": doc,
        "content_spans": [list(s) for s in content],
        "content": _texts(content, text) or "",
        "source_spans": [list(s) for s in source],
        "source": _texts(source, text),
        "cue_spans": [list(s) for s in cue],
        "cue": _texts(cue, text),
        "speaker": claim.speaker,
        "kind": str(claim.kind),
        "rule": claim.rule,
        "cue_lemma": claim.cue_lemma,
        "stance": str(claim.stance) if claim.stance is not None else None,
        "speaker_type": str(claim.speaker_type) if claim.speaker_type is not None else None,
    }


def read_gold_documents(gold: Sequence[Mapping[str, Any]], docs_dir: Path) -> dict[str, str]:
    """Text of every document the gold names, decoded like ingest (first-seen order)."""
    return {doc: read_document(docs_dir, doc) for doc in dict.fromkeys(str(g["doc"]) for g in gold)}


def predict_documents(gold: list[dict[str, Any]], docs_dir: Path) -> list[dict[str, Any]]:
    """Extract claims from exactly the gold's documents; author claims are not attributions."""
    from pipeline.claims.extract import extract_claims  # lazy: written alongside this
    from pipeline.segment import segment

    docs_dir = Path(docs_dir)
    out: list[dict[str, Any]] = []
    for doc, text in read_gold_documents(gold, docs_dir).items():
        sentences = [(s.start, s.end) for s in segment(text, title=_title(docs_dir, doc)).sentences]
        for claim in extract_claims(text, sentences):
            if str(claim.kind) != "author":
                out.append(claim_to_prediction(doc, text, claim))
    return out


@cache
def _source_words() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).parent / "lexicon" / "source_words.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


def _sentence_initial(text: str | None, start: int) -> bool:
    """Whether only quote marks/spaces lie between `start` and the sentence start before it."""
    if text is None:
        return True
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“”‘’«»„"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?…:"


def _used_lowercase(word: str, text: str | None) -> bool:
    """Whether the document also writes `word` in lower case (then it is not a name)."""
    if text is None:
        return True
    return re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text) is not None


def source_type(gold: Mapping[str, Any], text: str | None = None) -> str:
    """`none`, `pronoun`, `name` (a capitalized word not explained by sentence position) or
    `description` ("officials", "the ministry"): where recall differs most."""
    spans = gold.get("source_spans") or []
    src = (gold.get("source") or "").strip()
    if not spans or not src:
        return "none"
    words = _source_words()
    tokens = [t.strip(".,;:\"'“”‘’()") for t in src.split()]
    tokens = [t.removesuffix("'s").removesuffix("’s") for t in tokens if t]
    if not tokens:
        return "none"
    if len(tokens) == 1 and tokens[0].lower() in words["pronouns"]:
        return "pronoun"
    first = tokens[0]
    first_is_evidence = first.lower() not in words["determiners"] and (
        not _sentence_initial(text, int(spans[0][0])) or not _used_lowercase(first, text)
    )
    capitals = [t[:1].isupper() for t in tokens]
    if any(capitals[1:]) or (capitals[0] and first_is_evidence):
        return "name"
    return "description"


def _recall_table(
    groups: Mapping[str, Sequence[int]], found: set[int], top: int | None = None
) -> dict[str, dict[str, float | int | None]]:
    items = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    out: dict[str, dict[str, float | int | None]] = {}
    for key, idx in items:
        hit = sum(i in found for i in idx)
        out[key] = {"gold": len(idx), "found": hit, "recall": hit / len(idx) if idx else None}
    return out


def breakdown(
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Half-level recall by gold cue / source type / kind / split, precision by predicted rule.

    Only `required` gold counts; a prediction paired to optional gold is left out of precision.
    """
    pairs = pair_attributions(gold, predicted, "half", texts)
    required = [i for i, g in enumerate(gold) if g.get("required", True)]
    found = {gi for gi, _, _ in pairs if gold[gi].get("required", True)}
    attributed = {
        gi for gi, pi, _ in pairs if gi in found and source_correct(gold[gi], predicted[pi])
    }

    by_cue: dict[str, list[int]] = defaultdict(list)
    by_source: dict[str, list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    by_split: dict[str, list[int]] = defaultdict(list)
    for i in required:
        g = gold[i]
        by_cue[" ".join((g.get("cue") or "(none)").lower().split())].append(i)
        text = texts.get(str(g["doc"])) if texts is not None else None
        by_source[source_type(g, text)].append(i)
        if g.get("kind"):
            by_kind[str(g["kind"])].append(i)
        by_split["split" if len(g.get("content_spans") or []) > 1 else "single"].append(i)

    pred_gold = {pi: gi for gi, pi, _ in pairs}
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    gold_docs = {str(g["doc"]) for g in gold}
    for pi, p in enumerate(predicted):
        if str(p["doc"]) not in gold_docs:
            continue
        c = rules[str(p.get("rule") or "(none)")]
        gi = pred_gold.get(pi)
        if gi is not None and not gold[gi].get("required", True):
            c["optional"] += 1
            continue
        c["pred"] += 1
        if gi is not None:
            c["tp"] += 1
            c["attributed"] += gi in attributed
    by_rule = {
        rule: {
            "pred": c["pred"],
            "tp": c["tp"],
            "optional": c["optional"],
            "precision": c["tp"] / c["pred"] if c["pred"] else None,
            "attribution_precision": c["attributed"] / c["pred"] if c["pred"] else None,
        }
        for rule, c in sorted(rules.items(), key=lambda kv: -kv[1]["pred"])
    }
    return {
        "recall_by_cue": _recall_table(by_cue, found, TOP_CUES),
        "recall_by_source_type": _recall_table(by_source, found),
        "attribution_recall_by_source_type": _recall_table(by_source, attributed),
        "recall_by_kind": _recall_table(by_kind, found),
        "recall_by_split": _recall_table(by_split, found),
        "precision_by_rule": by_rule,
    }


def format_breakdown(result: Mapping[str, Any]) -> str:
    """The breakdown as plain-text tables for the CLI."""
    lines: list[str] = []
    for name in (
        "recall_by_cue",
        "recall_by_source_type",
        "attribution_recall_by_source_type",
        "recall_by_kind",
        "recall_by_split",
    ):
        table = result.get(name) or {}
        if not table:
            continue
        lines.append(f"{name.replace('_', ' ')} (half-level)")
        lines.append(f"  {'key':<28}{'gold':>6}{'found':>7}{'recall':>8}")
        for key, row in table.items():
            lines.append(
                f"  {key[:28]:<28}{row['gold']:>6}{row['found']:>7}{fmt(row['recall']):>8}"
            )
    rules = result.get("precision_by_rule") or {}
    if rules:
        lines.append("precision by rule (half-level; attr = source right too)")
        lines.append(f"  {'rule':<28}{'pred':>6}{'tp':>6}{'P':>8}{'attr P':>8}{'opt':>5}")
        for rule, row in rules.items():
            lines.append(
                f"  {rule[:28]:<28}{row['pred']:>6}{row['tp']:>6}{fmt(row['precision']):>8}"
                f"{fmt(row['attribution_precision']):>8}{row['optional']:>5}"
            )
    return "\n".join(lines)


def evaluate_attributions(
    gold_path: str | Path, docs_dir: str | Path
) -> tuple[AttributionReport, dict[str, Any], list[dict[str, Any]]]:
    """Gold file + documents folder -> (report, breakdown, predictions): one call for the CLI."""
    gold = load_jsonl(gold_path)
    docs = Path(docs_dir)
    texts = read_gold_documents(gold, docs)
    predicted = predict_documents(gold, docs)
    return score_attributions(gold, predicted, texts), breakdown(gold, predicted, texts), predicted
