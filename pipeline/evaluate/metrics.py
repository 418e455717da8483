"""Small counting records shared by the attribution and quantity scorers.

Kept apart so both scorers report precision/recall/F1 and accuracies the same way, with the raw
counts alongside, so a reader can always recompute a number by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True, slots=True)
class PRF:
    """True positives and the two denominators; rates are None when a denominator is zero."""

    tp: int
    n_pred: int  # predictions that count (excludes those paired to items that count for nothing)
    n_gold: int  # gold items that count

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.n_gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class Accuracy:
    """A share of hits; `value` is None when nothing was eligible (e.g. no gold speakers)."""

    correct: int
    total: int

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, float | int | None]:
        return {"correct": self.correct, "total": self.total, "value": self.value}


def fmt(x: float | None) -> str:
    """A rate for a table: three decimals, or 'n/a' when undefined."""
    return "n/a" if x is None else f"{x:.3f}"
