"""`FirstCharAlternation.match` (the units after a number, the currencies before one) gives
the match of the whole alternation it stands for, after any run of spaces of any kind."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.quantity_lexicon import post_units, pre_currencies
from tests.corpus_sample import real_articles

TABLES = (post_units().regex, pre_currencies().regex)
# spaces `str.isspace` and `\s` both know, beyond " \t\n": form feed, the file/group/record
# separators, NEL, no-break, ideographic and line separators; a zero-width space is neither
SPACES = " \t\n\x0c\x1c\x1d\x85\xa0\u3000\u2028\u200b"


def _same(text: str, pos: int, endpos: int) -> None:
    for table in TABLES:
        whole = re.compile(table.pattern)
        got, want = table.match(text, pos, endpos), whole.match(text, pos, endpos)
        assert (got and got.span()) == (want and want.span()), (text[pos:endpos], pos)


def test_same_match_after_every_number_of_real_articles() -> None:
    checked = 0
    for row in real_articles(30):
        text = row["text"]
        for m in re.finditer(r"\d+", text):
            _same(text, m.end(), len(text))
            _same(text, max(0, m.start() - 12), m.start())
            checked += 1
    assert checked > 200


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from([*SPACES, "km", "$", "US$", "miles", "€", "per cent", "x"])),
    st.data(),
)
def test_same_match_after_odd_spaces(parts: list[str], data: st.DataObject) -> None:
    text = "".join(parts)
    endpos = data.draw(st.integers(0, len(text)))
    pos = data.draw(st.integers(0, endpos))
    _same(text, pos, endpos)
