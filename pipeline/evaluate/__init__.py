"""Evaluation against the annotated sets in `shared/eval` (metrics exactly as its FORMAT.md says).

`attribution` scores claims (content, source, cue, speaker); `quantities` scores numbers CQE-style;
`run` produces predictions from the pipeline and breaks errors down for analysis.
"""

from pipeline.evaluate.attribution import AttributionReport, load_jsonl, score_attributions
from pipeline.evaluate.quantities import QuantityReport, load_quantity_gold, score_quantities

__all__ = [
    "AttributionReport",
    "QuantityReport",
    "load_jsonl",
    "load_quantity_gold",
    "score_attributions",
    "score_quantities",
]
