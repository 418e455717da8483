"""Where a sourceless claim ends: its cue's clause stops at the first comma or dash after it.

Shared by the sourceless rule (to ask whether that clause is free) and by
`rules_sourceless.tighten_sourceless` (to cut the claim there), so both agree on the clause.
"""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"\w+")
_CLAUSE_BREAK: Final = re.compile(r",\s|\s[-–—―]+\s|;\s|:\s")
MIN_RIGHT: Final = 2  # words the clause keeps at least; a shorter one runs on to the sentence's end


def clause_end(text: str, start: int, end: int) -> int:
    """End of the clause that begins at `start` (at most `end`)."""
    m = _CLAUSE_BREAK.search(text, start, end)
    if m is not None and len(_WORD.findall(text, start, m.start())) >= MIN_RIGHT:
        return m.start()
    return end
