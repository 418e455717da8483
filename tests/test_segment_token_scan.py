"""`segment._token_before` (a backward scan) gives what the regex it replaced finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import _TOKEN_BEFORE, _token_before
from tests.corpus_sample import real_articles


def _by_regex(text: str, lo: int, hi: int) -> str | None:
    m = _TOKEN_BEFORE.search(text, lo, hi)
    return None if m is None else m.group()


def test_same_token_at_every_position_of_real_articles() -> None:
    texts = [row["text"] for row in real_articles(40)]
    checked = 0
    for text in texts:
        for hi in range(len(text) + 1):
            lo = max(0, hi - 24)
            assert _token_before(text, lo, hi) == _by_regex(text, lo, hi), (text[lo:hi], hi)
            checked += 1
    assert checked > 50_000


# letters, dots, digits of several kinds, "_", newlines, spaces, numerals that are not digits
ALPHABET = "aZé.._1٣²½Ⅻ \n\t,ß'’-"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30), st.data())
def test_same_token_on_odd_strings(text: str, data: st.DataObject) -> None:
    hi = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, hi))
    assert _token_before(text, lo, hi) == _by_regex(text, lo, hi)
