"""`name_runs(multi_word=True)` keeps exactly the longer runs that the speaker scan reads."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

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
