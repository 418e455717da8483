"""Score predicted quantities CQE-style, as `shared/eval/FORMAT.md` (section Quantities) says.

Exchange format: one dict per sentence, `{"doc", "text", "quantities": [...]}`; each quantity
has `value`, `low`, `high`, `normalized_unit`, `change` (predictions also `unit`, `start`, `end`).
Gold and predicted sentences are aligned by (`doc`, `text`, n-th occurrence).

Matching within a sentence: a prediction and a gold quantity agree when `low` and `high` both
agree within 1e-6 relative. Each level pairs greedily one-to-one (gold in order, each taking the
first free prediction in order) over the pairs meeting that level's condition:
- value: values agree;
- value+unit: values agree and `normalized_unit` is equal (case-insensitive; null = bare number,
  equal only to null);
- value+change: values agree and `change` is equal. A gold `change` of null means "not
  annotated" (all the Recognizers-Text sets): such gold may still pair (on value alone), but the
  pair is then dropped like FORMAT's `required: false` — neither hit nor false positive — and
  the gold item is not in the recall denominator. With no change annotated anywhere in the gold,
  value+change is None (reported "n/a") rather than a meaningless 0.

Seed-style gold (one quantity a line with `start`/`end`) is turned into one "sentence" per
document whose text is the whole document; when both sides carry offsets, "in the same sentence"
is strengthened to "the spans overlap", so a value is not credited to a mention elsewhere.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.evaluate.attribution import load_jsonl
from pipeline.evaluate.documents import read_document
from pipeline.evaluate.metrics import PRF, fmt

Q = Mapping[str, Any]
Key = tuple[str, str, int]


def values_agree(gold: Q, pred: Q) -> bool:
    """low and high each equal within 1e-6 relative (exact for zero)."""
    try:
        pairs = [
            (float(gold["low"]), float(pred["low"])),
            (float(gold["high"]), float(pred["high"])),
        ]
    except (KeyError, TypeError, ValueError):
        return False
    return all(math.isclose(a, b, rel_tol=1e-6, abs_tol=0.0) for a, b in pairs)


def _same_place(gold: Q, pred: Q) -> bool:
    if gold.get("start") is None or pred.get("start") is None:
        return True
    return int(gold["start"]) < int(pred["end"]) and int(pred["start"]) < int(gold["end"])


#: The CQE sets write "-" where FORMAT.md writes null: a bare number without a unit.
_NO_UNIT = {"", "-"}


def _unit(q: Q) -> str | None:
    u = q.get("normalized_unit")
    if u is None or str(u).strip() in _NO_UNIT:
        return None
    return " ".join(str(u).split()).casefold()


def _value_ok(g: Q, p: Q) -> bool:
    return values_agree(g, p) and _same_place(g, p)


def _unit_ok(g: Q, p: Q) -> bool:
    return _value_ok(g, p) and _unit(g) == _unit(p)


def _change_ok(g: Q, p: Q) -> bool:
    return _value_ok(g, p) and (g.get("change") is None or g.get("change") == p.get("change"))


def _pair(
    gold: Sequence[Q], pred: Sequence[Q], ok: Callable[[Q, Q], bool]
) -> list[tuple[int, int]]:
    """Greedy one-to-one; gold with an annotated change goes first so a null-change gold item
    (which counts for nothing in value+change) cannot take a prediction a scored one needs."""
    used: set[int] = set()
    pairs = []
    order = sorted(range(len(gold)), key=lambda i: gold[i].get("change") is None)
    for gi in order:
        g = gold[gi]
        for pi, p in enumerate(pred):
            if pi not in used and ok(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def _keyed(sentences: Sequence[Mapping[str, Any]]) -> dict[Key, list[Q]]:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out: dict[Key, list[Q]] = {}
    for s in sentences:
        base = (str(s["doc"]), str(s.get("text", "")))
        out[(*base, seen[base])] = list(s.get("quantities") or [])
        seen[base] += 1
    return out


@dataclass(frozen=True, slots=True)
class QuantityReport:
    """Value, value+unit and value+change P/R/F1 over all sentences (micro-averaged)."""

    n_sentences: int
    n_gold: int
    n_pred: int
    unscored_predictions: int  # predictions in sentences the gold does not contain
    value: PRF
    value_unit: PRF
    value_change: PRF | None  # None: the gold annotates no change at all

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_sentences": self.n_sentences,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "unscored_predictions": self.unscored_predictions,
            "value": self.value.to_dict(),
            "value_unit": self.value_unit.to_dict(),
            "value_change": self.value_change.to_dict() if self.value_change else None,
        }

    def format_table(self) -> str:
        lines = [
            f"sentences {self.n_sentences}  gold {self.n_gold}  predicted {self.n_pred}"
            + (f"  unscored {self.unscored_predictions}" if self.unscored_predictions else ""),
            f"{'metric':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'pred':>7}{'gold':>7}",
        ]
        for name, prf in (
            ("value", self.value),
            ("value+unit", self.value_unit),
            ("value+change", self.value_change),
        ):
            if prf is None:
                lines.append(f"{name:<16}{'n/a (no gold change annotated)':>30}")
                continue
            lines.append(
                f"{name:<16}{fmt(prf.precision):>7}{fmt(prf.recall):>7}{fmt(prf.f1):>7}"
                f"{prf.tp:>7}{prf.n_pred:>7}{prf.n_gold:>7}"
            )
        return "\n".join(lines)


def score_quantities(
    gold_sentences: Sequence[Mapping[str, Any]],
    predicted_sentences: Sequence[Mapping[str, Any]],
) -> QuantityReport:
    """Score predicted sentences against gold sentences (see the module docstring for rules)."""
    gold, pred = _keyed(gold_sentences), _keyed(predicted_sentences)
    n_gold = sum(len(q) for q in gold.values())
    n_pred = sum(len(pred.get(k, [])) for k in gold)
    unscored = sum(len(q) for k, q in pred.items() if k not in gold)
    tp_v = tp_u = tp_c = dropped_c = 0
    n_gold_c = 0
    for key, gq in gold.items():
        pq = pred.get(key, [])
        tp_v += len(_pair(gq, pq, _value_ok))
        tp_u += len(_pair(gq, pq, _unit_ok))
        for gi, _ in _pair(gq, pq, _change_ok):
            if gq[gi].get("change") is None:
                dropped_c += 1
            else:
                tp_c += 1
        n_gold_c += sum(q.get("change") is not None for q in gq)
    return QuantityReport(
        n_sentences=len(gold),
        n_gold=n_gold,
        n_pred=n_pred,
        unscored_predictions=unscored,
        value=PRF(tp_v, n_pred, n_gold),
        value_unit=PRF(tp_u, n_pred, n_gold),
        value_change=PRF(tp_c, n_pred - dropped_c, n_gold_c) if n_gold_c else None,
    )


def load_quantity_gold(
    path: str | Path, docs_dir: str | Path | None = None
) -> list[dict[str, Any]]:
    """Gold as sentences, from either gold style FORMAT.md describes.

    Sentence style passes through. Seed style (one quantity a line with offsets) is grouped into
    one sentence per document, whose text is read from `docs_dir` (default: the gold's folder).
    """
    rows = load_jsonl(path)
    if all("quantities" in r for r in rows):
        return rows
    if not all("start" in r and "end" in r for r in rows):
        raise ValueError(f"{path}: neither sentence-style nor mention-style quantity gold")
    folder = Path(docs_dir) if docs_dir is not None else Path(path).parent
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_doc[str(r["doc"])].append(r)
    out = []
    for doc, quantities in by_doc.items():
        text = read_document(folder, doc)
        for q in quantities:
            if "surface" in q and text[q["start"] : q["end"]] != q["surface"]:
                raise ValueError(f"{path}: {doc} [{q['start']}:{q['end']}] != {q['surface']!r}")
        out.append({"doc": doc, "text": text, "quantities": quantities})
    return out


def predict_quantity_sentences(
    gold_sentences: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Run the pipeline's quantity finder on each gold sentence's text; same shape as the gold."""
    from pipeline.claims.quantities import find_quantities  # lazy: written alongside this

    out = []
    for s in gold_sentences:
        text = str(s["text"])
        found = [
            {
                "value": q.value,
                "low": q.low,
                "high": q.high,
                "unit": q.unit,
                "normalized_unit": q.normalized_unit,
                "change": q.change,
                "start": q.start,
                "end": q.end,
                "surface": text[q.start : q.end],
            }
            for q in find_quantities(text)
        ]
        out.append({"doc": s["doc"], "text": text, "quantities": found})
    return out
