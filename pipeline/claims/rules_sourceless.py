"""Tighter spans for sourceless claims ("X seems to …", "X is expected to …").

The sourceless rule takes the whole sentence around the cue; annotators end the claim with the
cue's clause, at the first comma or dash after it ("… to be moving behind Trump, despite
big-name holdouts"). Measured on PolNeAR train: sourceless precision 0.60 -> 0.64. Cutting the
start after a fronted phrase as well changed nothing there and is left out.
"""

from __future__ import annotations

from pipeline.claims.attribution import Attributor, trim
from pipeline.claims.sourceless_clause import clause_end


def tighten_sourceless(att: Attributor) -> None:
    """Cut each sourceless draft to the cue's clause (after `Attributor.indirect`)."""
    text = att.text
    for d in att.drafts:
        if d.rule != "sourceless" or len(d.spans) != 2:
            continue
        (la, lb), (ra, rb) = d.spans
        new = (trim(text, la, lb), trim(text, ra, clause_end(text, ra, rb)))
        if new != d.spans:
            old = (d.start, d.end)
            d.spans = new
            att._replace_bounds(old, (d.start, d.end))
