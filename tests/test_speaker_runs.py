"""`name_runs(multi_word=True)` keeps exactly the longer runs that the speaker scan reads, and
the possessive name-run patterns match what their backtracking originals matched."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import speakers
from pipeline.claims.speakers import name_runs
from pipeline.evaluate.documents import read_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR_DOCS = sorted((SHARED / "eval" / "polnear" / "dev" / "docs").glob("*.txt"))


def _check(text: str) -> int:
    every = name_runs(text)
    longer = name_runs(text, multi_word=True)
    assert set(longer) <= set(every)
    with_separator = [run for run in every if any(c in run[1] for c in " \t\xa0")]
    assert [run for run in longer if any(c in run[1] for c in " \t\xa0")] == with_separator
    return len(with_separator)


def test_multi_word_runs_on_news() -> None:
    assert sum(_check(read_document(p.parent, p.name)) for p in POLNEAR_DOCS) > 500


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["O'Brien", "X-Men", "Smith", "of", "de", "al-Assad", "U.S.", "Gen.", "said", " ",
             "\t", "\xa0", ".", "AT&T", "McDonald", "-", "’", "Jr.", "\n", "J.", "Ann"]
        ),
        max_size=10,
    ).map(lambda words: " ".join(words).replace("  ", " "))
)  # fmt: skip
def test_multi_word_runs_on_name_like_strings(text: str) -> None:
    _check(text)


# the name-run patterns as they were before their quantifiers became possessive
_WORD = r"[\w'’.&-]*"
_NEXT = rf"[ \t\xa0]+(?:(?:of|de|van|von)[ \t\xa0]+|al-)?[A-Z]{_WORD}"
BACKTRACKING = {
    speakers._NAME_RUN: re.compile(rf"[A-Z](?<!\w[A-Z]){_WORD}(?:{_NEXT})*"),
    speakers._LONG_NAME_RUN: re.compile(rf"[A-Z](?<!\w[A-Z]){_WORD}(?:{_NEXT})+"),
}


def _same_runs(text: str) -> int:
    found = 0
    for pattern, backtracking in BACKTRACKING.items():
        got = [m.span() for m in pattern.finditer(text)]
        assert got == [m.span() for m in backtracking.finditer(text)], text
        found += len(got)
    return found


def test_possessive_runs_are_the_backtracking_ones_on_news() -> None:
    assert sum(_same_runs(read_document(p.parent, p.name)) for p in POLNEAR_DOCS) > 1000


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["O'Brien", "X-Men", "Smith", "of", "de", "van", "al-", "al-Assad", "U.S.", "Gen.",
             "said", " ", "\t", "\xa0", ".", "AT&T", "McDonald", "-", "’", "'", "Jr.", "\n", "J.",
             "Ann", "A", "a", "_", "é", "É", "5"]
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_possessive_runs_are_the_backtracking_ones(text: str) -> None:
    _same_runs(text)
