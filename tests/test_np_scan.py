"""`np_scan`'s hand-written scans give what the regexes they replace give: the end of the last
break mark in `np_before`'s window and the word tokens, at the cues' places in real articles
and on strings built from the characters where the patterns' branches meet."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims import sources
from pipeline.claims.np_scan import last_break_end, word_spans
from tests.test_claims_fast_paths import documents, sentences

PIECES = [
    "a", "Z", "9", "_", "é", "\u0130", "\u0301", "٣", "½", " ", "  ", "\n", "\u00a0", "\u2003",
    "\x1c", ",", ";", ":", "(", ")", '"', "“", "”", "«", "»", "[", "]", "—", "–", "!", "?", "'",
    "''", "'''", "’", ".", ". ", " - ", " -- ", " - - ", "- ", " -", "--", "&", "Mr. ", "U.S. ",
    "J. ", "Gov. ", "St. ", "said. ", "etc. ", "x.y", "A.", "a.",
]  # fmt: skip


def _old_last_break_end(text: str, end: int, lo: int) -> int:
    window_start = max(lo, end - 160)
    cut = -1
    for m in sources._BREAK.finditer(text[window_start:end]):
        cut = m.end()
    return window_start + cut if cut != -1 else -1


def _old_words(text: str, start: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in sources._WORD.finditer(text, start, hi)]


def _old_np_before(text: str, end: int, lo: int) -> tuple[int, int] | None:
    """`sources.np_before` as it was (f9317fc): both scans by their regexes."""
    window_start = max(lo, end - 160)
    chunk = text[window_start:end]
    cut = None
    for m in sources._BREAK.finditer(chunk):
        cut = m.end()
    base = window_start + (cut or 0)
    space = text.rfind(" ", base, max(base, end - sources._TAIL_CHARS))
    words = _old_words(text, space + 1, end) if space != -1 else []
    if not words:
        space, words = -1, _old_words(text, base, end)
    if not words or text[words[-1][1] : end].strip():
        return None
    taken, stopped = sources._np_words_back(text, words)
    if not stopped and space != -1:
        taken, _ = sources._np_words_back(text, _old_words(text, base, end))
    while taken and text[taken[-1][0] : taken[-1][1]].lower() in sources._INNER:
        taken.pop()
    if not taken:
        return None
    return sources._clean(text, taken[-1][0], taken[0][1])


def test_np_before_and_its_scans_equal_the_regexes_on_news() -> None:
    """At every space, mark and sentence end of real sentences, with the sentence start as
    the lower bound (as the rules call it)."""
    found = breaks = 0
    for text in documents()[::2]:
        for s, e in sentences(text):
            for end in range(s, e + 1):
                if end < e and text[end] not in ' ,.”"':
                    continue
                want = _old_last_break_end(text, end, s)
                assert last_break_end(text, end, s, sources._BREAK) == want
                breaks += want != -1
                a = max(s, end - 160)
                assert word_spans(text, a, end) == _old_words(text, a, end)
                np = sources.np_before(text, end, s)
                assert np == _old_np_before(text, end, s), (text[a:end], end)
                found += np is not None
    assert found > 1000 and breaks > 1000


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16), st.integers(0, 4))
def test_scans_equal_the_regexes_on_odd_strings(pieces: list[str], lo: int) -> None:
    text = "".join(pieces)
    lo = min(lo, len(text))
    for end in range(lo, len(text) + 1):
        assert last_break_end(text, end, lo, sources._BREAK) == _old_last_break_end(text, end, lo)
        assert word_spans(text, lo, end) == _old_words(text, lo, end)
        assert sources.np_before(text, end, lo) == _old_np_before(text, end, lo)
    for start in range(len(text) + 1):
        assert word_spans(text, start, len(text) + 2) == _old_words(text, start, len(text) + 2)


def test_long_windows_use_only_their_last_160_characters() -> None:
    text = "“Quote,” " + "word " * 60 + "the senator"
    end = len(text)
    assert last_break_end(text, end, 0, sources._BREAK) == _old_last_break_end(text, end, 0) == -1
    assert sources.np_before(text, end, 0) == _old_np_before(text, end, 0)
