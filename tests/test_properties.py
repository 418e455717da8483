"""Property tests: the segmenter and the extractor are total functions over any Unicode string.

Every offset downstream is trusted by the warehouse's round-trip check, so these functions must
never raise, never return a span outside the text, and give the same answer twice.
"""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extraction import extract_document
from pipeline.segment import segment
from pipeline.stages import extract_documents, segment_documents

# Characters that stress the rules: every quote mark, sentence ends, line breaks of every kind,
# zero-width and direction marks, emoji (outside the BMP), combining marks, and plain words.
QUOTES = "\"'“”„‟‘’‚‛«»‹›「」『』〝〞＂＇"
HOSTILE = (
    QUOTES
    + ".!?…;:,—–-()[]{}"
    + "\n\r\t\v\f\x85\u2028\u2029\x1c\x1d\x1e"
    + "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    + "😀👍🏽🇺🇦\U0001f9d1\u200d\U0001f4bb"
    + "\u0301\u0308é ßİı"
    + "ا ل ع ر ب ي ة ש ל ו ם"
)
WORDS = [
    "said",
    "told",
    "according to",
    "he",
    "she",
    "the ministry",
    "President",
    "Smith",
    "U.S.",
    "Mr.",
    "Dr.",
    "claimed",
    "denied",
    "$",
    "5",
    "1,000",
    "percent",
    "million",
    "troops",
    "Monday",
    "more than",
    "about",
    "\n\n",
    " ",
]

hostile_chars = st.text(alphabet=st.sampled_from(HOSTILE), max_size=60)
any_text = st.text(max_size=300)
newsy = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(list(HOSTILE)), st.text(max_size=5)),
    max_size=80,
).map(" ".join)
texts = st.one_of(any_text, newsy, hostile_chars)

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    for start, end in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))


@PROFILE
@given(text=texts, title=st.one_of(st.none(), st.text(max_size=40)))
def test_segment_is_total_and_spans_lie_in_the_text(text: str, title: str | None) -> None:
    seg = segment(text, title=title)
    _check_spans(text, [(s.start, s.end) for s in seg.segments])
    _check_spans(text, [(s.start, s.end) for s in seg.sentences])
    assert [s.index for s in seg.segments] == list(range(len(seg.segments)))
    assert [s.index for s in seg.sentences] == list(range(len(seg.sentences)))
    for sentence in seg.sentences:
        parent = seg.segments[sentence.segment_index]
        assert parent.start <= sentence.start < sentence.end <= parent.end
        assert text[sentence.start : sentence.end].strip()
    assert segment(text, title=title) == seg  # deterministic


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segment(text).sentences]


def _assert_extraction_is_sound(text: str) -> None:
    sentences = _sentences(text)
    result = extract_document(text, sentences)
    for claim in result.claims:
        assert claim.content_spans, claim
        _check_spans(text, list(claim.content_spans))
        assert list(claim.content_spans) == sorted(claim.content_spans)
        for span in (claim.cue, claim.source):
            if span is not None:
                _check_spans(text, [span])
    for quantity in result.quantities:
        _check_spans(text, [(quantity.start, quantity.end)])
        assert quantity.low <= quantity.high
    assert extract_document(text, sentences) == result


@PROFILE
@given(text=texts)
def test_extract_document_is_total_and_deterministic(text: str) -> None:
    _assert_extraction_is_sound(text)


@PROFILE
@given(
    parts=st.lists(
        st.one_of(st.sampled_from(list(QUOTES)), st.sampled_from(WORDS)), min_size=1, max_size=60
    ),
    joiner=st.sampled_from([" ", "", "\n", ". "]),
)
def test_random_quote_pairing_never_breaks_extraction(parts: list[str], joiner: str) -> None:
    text = joiner.join(parts)
    _assert_extraction_is_sound(text)


@PROFILE
@given(text=texts, sentences=st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400))))
def test_extractor_survives_sentence_offsets_it_did_not_make(
    text: str, sentences: list[tuple[int, int]]
) -> None:
    result = extract_document(text, sentences)
    for claim in result.claims:
        _check_spans(text, list(claim.content_spans))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts.filter(lambda t: t.strip()))
def test_table_rows_round_trip_offsets(text: str) -> None:
    """The rows the warehouse stores: `text[start:end]` equals every stored span text."""
    text = text.strip()
    documents = pl.DataFrame(
        {"doc_id": ["d"], "text": [text], "title": [None]},
        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String},
    )
    segments, sentences = segment_documents(documents)
    for frame in (segments, sentences):
        for start, end, stored in frame.select("start", "end", "text").iter_rows():
            assert text[start:end] == stored
    claims, quantities = extract_documents(documents, sentences)
    for spans, content in claims.select("content_spans", "content").iter_rows():
        assert " ".join(text[s["start"] : s["end"]] for s in spans) == content
    for start, end, surface in quantities.select("start", "end", "surface").iter_rows():
        assert text[start:end] == surface


@PROFILE
@given(
    low=st.one_of(
        st.integers(0, 10**7), st.floats(0, 1e4, allow_nan=False).map(lambda f: f"{f:.2f}")
    ),
    high=st.one_of(st.integers(0, 10**7), st.sampled_from(["1.41", "two", "ten", "0.5"])),
    scale=st.sampled_from(["", " million", " billion", " thousand", "bn", "m"]),
    form=st.sampled_from(
        ["rose {a} to {b}{s}", "between {a} and {b}{s}", "{a}-{b}{s}", "from ${a} to {b}{s}"]
    ),
)
def test_quantity_ranges_never_have_low_above_high(
    low: object, high: object, scale: str, form: str
) -> None:
    """A failed range reading must not leave a scaled low behind (it failed whole runs)."""
    a = f"{low:,}" if isinstance(low, int) else str(low)
    text = "Jobs " + form.format(a=a, b=high, s=scale) + " in the last three months."
    for quantity in extract_document(text, _sentences(text)).quantities:
        assert quantity.low <= quantity.high, (text, quantity)
