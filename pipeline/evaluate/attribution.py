"""Score predicted attributions against gold, exactly as `shared/eval/FORMAT.md` defines it.

Pairing (per document): every (gold, prediction) pair gets the Jaccard overlap of their content
*characters* — the set of offsets covered by the content spans after trimming whitespace, quote
marks and punctuation at each span's edges. Pairs are sorted by Jaccard descending (ties: gold
order, then prediction order) and taken greedily while both sides are still free.

Levels are paired separately: level L (exact J = 1, half J >= 0.5, any J > 0) pairs greedily over
only the candidate pairs meeting L's threshold. Because the greedy pass visits pairs in descending
J, this is the same as one greedy pass over all pairs with J > 0 whose pairs are then filtered by
the threshold; we still pair per level so the code reads like the definition.

`required: false` gold items take part in the pairing, then their pairs are dropped: such a
prediction is neither a true positive nor a false positive, so it leaves the precision
denominator; the gold item never enters the recall denominator.

Source, cue, speaker accuracy and attribution P/R/F1 are computed over the half-level pairs.
Span overlap for sources and cues means sharing at least one character (raw spans, no trimming).

Predictions for documents the gold does not name are not scored (an evaluation runs on exactly
the gold's documents); they are counted in `unscored_predictions` so the mismatch is visible.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.evaluate.metrics import PRF, Accuracy, fmt

Span = tuple[int, int]
Pair = tuple[int, int, float]  # (gold index, prediction index, Jaccard), indices into the inputs

LEVELS: dict[str, float] = {"exact": 1.0, "half": 0.5, "any": 0.0}
_EXTRA_TRIM = frozenset("`´")  # quote-like symbols that are not Unicode punctuation (Sk)


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """One JSON object per non-blank line; a line that is not an object is an error, not skipped."""
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object")
            rows.append(obj)
    return rows


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P") or ch in _EXTRA_TRIM


def trim_span(start: int, end: int, span_text: str) -> Span:
    """Shrink a span past whitespace, quote marks and punctuation at both edges."""
    lo, hi = 0, len(span_text)
    while lo < hi and _is_trimmable(span_text[lo]):
        lo += 1
    while hi > lo and _is_trimmable(span_text[hi - 1]):
        hi -= 1
    return start + lo, start + hi


def _spans(record: Mapping[str, Any], key: str) -> list[Span]:
    return [(int(s), int(e)) for s, e in record.get(key) or []]


def _span_texts(record: Mapping[str, Any], text: str | None) -> list[str]:
    """Texts of the content spans: from the document if given, else cut out of `content`.

    `content` is the span texts joined by one space, so it can be cut back exactly when the
    lengths add up; if they do not, the record is inconsistent and we refuse to guess.
    """
    spans = _spans(record, "content_spans")
    if text is not None:
        return [text[s:e] for s, e in spans]
    content = record.get("content")
    lengths = [e - s for s, e in spans]
    if not isinstance(content, str) or len(content) != sum(lengths) + max(len(spans) - 1, 0):
        raise ValueError(
            f"content of {record.get('doc')!r} {spans} does not match its spans; "
            "pass the document texts to score_attributions(texts=...)"
        )
    parts, pos = [], 0
    for n in lengths:
        parts.append(content[pos : pos + n])
        pos += n + 1
    return parts


def content_chars(record: Mapping[str, Any], text: str | None = None) -> frozenset[int]:
    """Offsets of a record's trimmed content characters (the unit of the Jaccard overlap)."""
    chars: set[int] = set()
    spans = _spans(record, "content_spans")
    for (s, e), piece in zip(spans, _span_texts(record, text), strict=True):
        ts, te = trim_span(s, e, piece)
        chars.update(range(ts, te))
    return frozenset(chars)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def spans_overlap(a: Sequence[Span], b: Sequence[Span]) -> bool:
    """True when any span of `a` shares at least one character with any span of `b`."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _norm_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def speaker_matches(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Predicted speaker equals gold speaker or one of its aliases, case-insensitively."""
    predicted = pred.get("speaker")
    if not gold.get("speaker") or not predicted:
        return False
    names = [gold["speaker"], *(gold.get("speaker_aliases") or [])]
    return _norm_name(predicted) in {_norm_name(n) for n in names}


def source_correct(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """FORMAT's rule: overlapping source span or resolved speaker; no gold source needs none."""
    gold_src = _spans(gold, "source_spans")
    if gold_src and spans_overlap(gold_src, _spans(pred, "source_spans")):
        return True
    if gold.get("speaker"):
        return speaker_matches(gold, pred)
    return not gold_src


def _candidates(gold_chars: list[frozenset[int]], pred_chars: list[frozenset[int]]) -> list[Pair]:
    out = []
    for gi, g in enumerate(gold_chars):
        for pi, p in enumerate(pred_chars):
            j = jaccard(g, p)
            if j > 0:
                out.append((gi, pi, j))
    out.sort(key=lambda c: (-c[2], c[0], c[1]))
    return out


def greedy_pairs(candidates: Iterable[Pair], threshold: float) -> list[Pair]:
    """One-to-one pairs from candidates sorted by Jaccard descending; J >= threshold (> 0)."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for gi, pi, j in candidates:
        if j <= 0 or j < threshold or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, j))
    return pairs


def _group(records: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_doc[str(r["doc"])].append(i)
    return by_doc


def pair_attributions(
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    level: str = "half",
    texts: Mapping[str, str] | None = None,
) -> list[Pair]:
    """All pairs at one level (including those to `required: false` gold), global indices."""
    threshold = LEVELS[level]
    gold_by_doc, pred_by_doc = _group(gold), _group(predicted)
    pairs: list[Pair] = []
    for doc, g_idx in gold_by_doc.items():
        p_idx = pred_by_doc.get(doc, [])
        text = texts.get(doc) if texts is not None else None
        g_chars = [content_chars(gold[i], text) for i in g_idx]
        p_chars = [content_chars(predicted[i], text) for i in p_idx]
        for gi, pi, j in greedy_pairs(_candidates(g_chars, p_chars), threshold):
            pairs.append((g_idx[gi], p_idx[pi], j))
    return pairs


@dataclass(frozen=True, slots=True)
class AttributionReport:
    """Every number FORMAT.md asks for, with the counts behind it."""

    n_docs: int
    n_gold_required: int
    n_gold_optional: int
    n_pred: int
    unscored_predictions: int
    content: dict[str, PRF]  # by level: exact, half, any
    attribution: PRF
    source_accuracy: Accuracy
    cue_accuracy: Accuracy
    speaker_accuracy: Accuracy

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_docs": self.n_docs,
            "n_gold_required": self.n_gold_required,
            "n_gold_optional": self.n_gold_optional,
            "n_pred": self.n_pred,
            "unscored_predictions": self.unscored_predictions,
            "content": {lvl: prf.to_dict() for lvl, prf in self.content.items()},
            "attribution": self.attribution.to_dict(),
            "source_accuracy": self.source_accuracy.to_dict(),
            "cue_accuracy": self.cue_accuracy.to_dict(),
            "speaker_accuracy": self.speaker_accuracy.to_dict(),
        }

    def format_table(self) -> str:
        """Plain-text table for the CLI (fixed width, no colour codes)."""
        lines = [
            f"docs {self.n_docs}  gold {self.n_gold_required} (+{self.n_gold_optional} optional)"
            f"  predicted {self.n_pred}"
            + (f"  unscored {self.unscored_predictions}" if self.unscored_predictions else ""),
            f"{'metric':<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'pred':>7}{'gold':>7}",
        ]
        rows = [(f"content {lvl}", prf) for lvl, prf in self.content.items()]
        rows.append(("attribution (half)", self.attribution))
        for name, prf in rows:
            lines.append(
                f"{name:<22}{fmt(prf.precision):>7}{fmt(prf.recall):>7}{fmt(prf.f1):>7}"
                f"{prf.tp:>7}{prf.n_pred:>7}{prf.n_gold:>7}"
            )
        for name, acc in (
            ("source accuracy", self.source_accuracy),
            ("cue accuracy", self.cue_accuracy),
            ("speaker accuracy", self.speaker_accuracy),
        ):
            lines.append(f"{name:<22}{fmt(acc.value):>7}   ({acc.correct}/{acc.total})")
        return "\n".join(lines)


def _required(record: Mapping[str, Any]) -> bool:
    return bool(record.get("required", True))


def score_attributions(
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str] | None = None,
) -> AttributionReport:
    """Score predictions against gold (both in FORMAT.md's JSONL shape), micro-averaged over docs.

    `texts` maps `doc` to the document text for trimming span edges; without it, span texts are
    cut from each record's `content` (which FORMAT defines as the span texts joined by a space).
    """
    gold_docs = {str(g["doc"]) for g in gold}
    scored = [i for i, p in enumerate(predicted) if str(p["doc"]) in gold_docs]
    n_pred = len(scored)
    n_req = sum(_required(g) for g in gold)

    content: dict[str, PRF] = {}
    half_pairs: list[Pair] = []
    for level in LEVELS:
        pairs = pair_attributions(gold, predicted, level, texts)
        kept = [p for p in pairs if _required(gold[p[0]])]
        dropped = len(pairs) - len(kept)
        content[level] = PRF(tp=len(kept), n_pred=n_pred - dropped, n_gold=n_req)
        if level == "half":
            half_pairs = kept

    src = cue = spk = attr = 0
    src_n = cue_n = spk_n = 0
    for gi, pi, _ in half_pairs:
        g, p = gold[gi], predicted[pi]
        if _spans(g, "source_spans"):
            src_n += 1
            src += spans_overlap(_spans(g, "source_spans"), _spans(p, "source_spans"))
        if _spans(g, "cue_spans"):
            cue_n += 1
            cue += spans_overlap(_spans(g, "cue_spans"), _spans(p, "cue_spans"))
        if g.get("speaker"):
            spk_n += 1
            spk += speaker_matches(g, p)
        attr += source_correct(g, p)

    return AttributionReport(
        n_docs=len(gold_docs),
        n_gold_required=n_req,
        n_gold_optional=len(gold) - n_req,
        n_pred=n_pred,
        unscored_predictions=len(predicted) - n_pred,
        content=content,
        attribution=PRF(tp=attr, n_pred=content["half"].n_pred, n_gold=n_req),
        source_accuracy=Accuracy(src, src_n),
        cue_accuracy=Accuracy(cue, cue_n),
        speaker_accuracy=Accuracy(spk, spk_n),
    )
