"""The segmenter on real news text: the seed article, PolNeAR documents and corpus records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import Segmentation, segment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "kharkiv_counteroffensive.txt"
POLNEAR = SHARED / "eval" / "polnear"
CORPORA = SHARED / "corpora"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _polnear(split: str, name: str) -> str:
    return _read(POLNEAR / split / "docs" / f"{name}.txt")


def _polnear_title(split: str, name: str) -> str:
    meta = json.loads(_read(POLNEAR / split / "docs" / f"{name}.meta.json"))
    return meta["title"]


def _sentence_texts(text: str, seg: Segmentation) -> list[str]:
    return [text[s.start : s.end] for s in seg.sentences]


def _sentence_at(text: str, seg: Segmentation, phrase: str) -> str:
    """The sentence in which `phrase` begins (the phrase must occur in the text)."""
    at = text.index(phrase)
    for s in seg.sentences:
        if s.start <= at < s.end:
            return text[s.start : s.end]
    raise AssertionError(f"no sentence covers {phrase!r}")


def _first_record(corpus: str, contains: str) -> dict[str, str]:
    """The first record of a corpus whose text contains `contains`."""
    with gzip.open(CORPORA / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if contains in (record.get("text") or ""):
                return record
    raise AssertionError(f"{contains!r} not in {corpus}")


def _assert_invariants(text: str, seg: Segmentation) -> None:
    """Spans inside the text, non-empty, sorted, non-overlapping, trimmed; sentences in segments."""
    prev = 0
    for i, s in enumerate(seg.segments):
        assert s.index == i
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        prev = s.end
    prev = 0
    covered = set()
    for i, s in enumerate(seg.sentences):
        assert s.index == i
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        parent = seg.segments[s.segment_index]
        assert parent.start <= s.start and s.end <= parent.end
        covered.add(s.segment_index)
        prev = s.end
    assert covered == set(range(len(seg.segments)))  # every segment has a sentence


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, Segmentation]:
    text = _read(SEED)
    return text, segment(text)


def test_seed_headings_are_headings_and_one_sentence_each(seed: tuple[str, Segmentation]) -> None:
    text, seg = seed
    headings = [text[s.start : s.end] for s in seg.segments if s.kind == "heading"]
    assert headings == [
        "Ukraine demands more weapons",
        "Russian military explains partial withdrawal",
    ]
    for s in seg.segments:
        if s.kind == "heading":
            inside = [x for x in seg.sentences if x.segment_index == s.index]
            assert [(x.start, x.end) for x in inside] == [(s.start, s.end)]
    _assert_invariants(text, seg)


def test_seed_first_line_is_a_sentence_not_a_title(seed: tuple[str, Segmentation]) -> None:
    text, seg = seed
    first = seg.segments[0]
    assert first.kind == "paragraph"
    assert text[first.start : first.end].endswith("northeastern region.")
    assert all(s.kind != "title" for s in seg.segments)
    # Every line of the seed is its own segment: single "\n" separates paragraphs.
    assert len(seg.segments) == len([ln for ln in text.splitlines() if ln.strip()])


def test_ellipsis_glued_to_next_word_is_no_break(seed: tuple[str, Segmentation]) -> None:
    text, seg = seed
    sentence = _sentence_at(text, seg, "After all, it's a good choice")
    assert "flee...There is no place in Ukraine for the occupiers." in sentence
    sentence = _sentence_at(text, seg, "Now, thank God")
    assert "argument...we have demonstrated" in sentence


def test_two_sentences_inside_one_quotation_stay_together(seed: tuple[str, Segmentation]) -> None:
    # "occupiers. There" is a boundary candidate, but it lies inside a quotation that only
    # closes after "be.", so no break: the whole quoted pair stays in the sentence around it.
    text, seg = seed
    sentence = _sentence_at(text, seg, '"For the moment')
    assert sentence.startswith('"For the moment, since the beginning of September')
    assert sentence.endswith(
        '"There is no place in Ukraine for the occupiers. There never will be."'
    )
    # Where the first quotation has closed ('back,"'), 'added. "After' is outside any quote:
    # a period, a space, an opening quote -> a boundary.
    texts = _sentence_texts(text, seg)
    added = '"These last days, the Russian army has shown us its best (side) -- its back,"'
    assert f"{added} Zelensky added." in texts
    after = _sentence_at(text, seg, '"After all')
    assert after.startswith('"After all') and after.endswith('There never will be."')


def test_quote_closing_with_period_then_capital_is_a_boundary() -> None:
    name = "huff-post_2016-09-27_hillary-clinton-goes-after-donal"
    text = _polnear("dev", name)
    seg = segment(text)
    texts = _sentence_texts(text, seg)
    before = _sentence_at(text, seg, "“Mitt Romney was a worthy")
    assert before.startswith("“Mitt Romney was a worthy")
    previous = texts[texts.index(before) - 1]
    assert previous.endswith("Sen. Claire McCaskill (D-Mo.) said.")


@pytest.mark.parametrize(
    ("split", "doc", "sentence_end"),
    [
        (
            "dev",
            "huff-post_2016-09-20_elizabeth-warren-hammers-wells-f",
            "regulate?” Vitter demanded.",
        ),
        ("dev", "huff-post_2016-09-22_trump-the-dealmaker-could-addres", "is?” Graham asked."),
    ],
)
def test_quote_ending_in_question_stays_with_its_speaker(
    split: str, doc: str, sentence_end: str
) -> None:
    """'"...?" Graham asked.' is one sentence: the speaker is not cut off its quotation."""
    text = _polnear(split, doc)
    seg = segment(text)
    assert _sentence_at(text, seg, sentence_end).endswith(sentence_end)


def test_name_and_verb_that_open_the_next_quotation_start_a_sentence() -> None:
    """'...idea?” He answered, “I ...': the answer is the next sentence, not the question's."""
    text = _polnear("train", "breitbart_2016-05-11_sidney-blumenthal-no-idea-if-i-w")
    seg = segment(text)
    assert _sentence_at(text, seg, "He answered, “I").startswith("He answered, “I")


# --- abbreviations in real PolNeAR sentences ---------------------------------------------------

ABBREVIATION_PHRASES = [
    ("huff-post_2016-09-27_hillary-clinton-goes-after-donal", "Sen. David Perdue (R-Ga.) said he"),
    (
        "wash-post_2016-09-29_the-real-trump-showed-up-at-deba",
        "Sen. Marco Rubio (Fla.) or Sen. Ted",
    ),
    ("wash-post_2016-09-25_phone-video-is-first-public-look", "Gov. Pat McCrory (R) said it would"),
    ("wash-post_2016-09-08_virginian-could-make-history-aga", "Lt. Gov. Ralph Northam (D), who"),
    (
        "huff-post_2016-09-16_black-lawmakers-rip-donald-trump",
        "Rep. G.K. Butterfield (D-N.C.), head",
    ),
    (
        "breitbart_2016-09-12_stealth-over-health-hillary-clin",
        "during the Sept. 11 memorial ceremony",
    ),
    ("politico_2016-09-12_former-dnc-chairman-calls-for-cl", "Sunday’s Sept. 11 memorial service"),
    (
        "wash-post_2016-09-25_federal-court-rules-against-ohio",
        "the U.S. Court of Appeals for the Sixth Circuit overruled a U.S. district court",
    ),
    ("usa-today_2016-09-16_hold-melania-trump-to-her-husban", "The U.S. became a home"),
    ("wash-post_2016-09-25_phone-video-is-first-public-look", "until nearly 2 a.m. Friday in"),
    ("breitbart_2016-09-28_mary-j-blige-sings-to-hillary-cl", "LOS ANGELES, Sept. 28 (UPI) — In a"),
]


@pytest.mark.parametrize(("doc", "phrase"), ABBREVIATION_PHRASES)
def test_abbreviations_do_not_split(doc: str, phrase: str) -> None:
    text = _polnear("dev", doc)
    seg = segment(text)
    assert phrase in _sentence_at(text, seg, phrase)


@pytest.mark.parametrize(
    ("doc", "ends", "starts"),
    [
        (
            "breitbart_2015-12-07_clinton-camp-trump-s-islamaphobi",
            "trying to enter the U.S.",
            "The proposal has drawn",
        ),
        (
            "breitbart_2016-01-05_the-latest-cruz-to-give-away-eng",
            "terrorist attacks in the U.S.",
            "He says Americans",
        ),
    ],
)
def test_sentence_may_end_on_us_before_a_sentence_starter(doc: str, ends: str, starts: str) -> None:
    text = _polnear("train", doc)
    seg = segment(text)
    texts = _sentence_texts(text, seg)
    first = _sentence_at(text, seg, ends)
    assert first.endswith(ends)
    assert texts[texts.index(first) + 1].startswith(starts)


# --- titles --------------------------------------------------------------------------------------


def test_known_title_on_first_line_is_the_title_modulo_trailing_period() -> None:
    name = "breitbart_2016-09-12_stealth-over-health-hillary-clin"
    text, title = _polnear("dev", name), _polnear_title("dev", name)
    assert not title.endswith(".")
    first_line = text.splitlines()[0]
    assert first_line == title + "."
    seg = segment(text, title=title)
    assert seg.segments[0].kind == "title"
    assert text[seg.segments[0].start : seg.segments[0].end] == first_line
    assert seg.sentences[0].segment_index == 0
    assert (seg.sentences[0].start, seg.sentences[0].end) == (0, len(first_line))
    # Without the title, a first line ending in "." is an ordinary paragraph.
    assert segment(text).segments[0].kind == "paragraph"
    _assert_invariants(text, seg)


def test_known_title_wrapped_over_two_lines() -> None:
    name = "usa-today_2016-09-08_candidates-vie-for-vets-support-"
    text, title = _polnear("dev", name), _polnear_title("dev", name)
    seg = segment(text, title=title)
    first = seg.segments[0]
    assert first.kind == "title"
    assert " ".join(text[first.start : first.end].split()) == title + "."
    assert seg.segments[1].kind == "paragraph"


def test_headline_without_given_title_is_detected() -> None:
    record = _first_record("bbc-2005", "ONGC chairman")
    document = f"{record['title']}\n\n{record['text']}"
    seg = segment(document)
    assert seg.segments[0].kind == "title"
    assert document[seg.segments[0].start : seg.segments[0].end] == record["title"]
    # The body alone starts with a sentence, not a headline.
    assert segment(record["text"]).segments[0].kind == "paragraph"
    _assert_invariants(document, seg)


def test_given_title_that_is_not_the_first_line_is_not_used() -> None:
    record = _first_record("reuters-1987", "Bahia cocoa zone")
    seg = segment(record["text"], title=record["title"])
    assert all(s.kind != "title" for s in seg.segments)


# --- hard line breaks ----------------------------------------------------------------------------


def test_reuters_hard_wrapped_lines_form_one_paragraph() -> None:
    record = _first_record("reuters-1987", "Bahia cocoa zone")
    text = record["text"]
    seg = segment(text, title=record["title"])
    first = seg.segments[0]
    assert first.kind == "paragraph"
    paragraph = text[first.start : first.end]
    assert paragraph.startswith("Showers continued throughout the week in\nthe Bahia")
    assert paragraph.endswith("Comissaria Smith said in its weekly review.")
    assert next(x for x in seg.sentences if x.segment_index == 0).end == first.end
    # "...last year. Again it seems\nthat cocoa..." is one paragraph with two sentences.
    s = _sentence_at(text, seg, "Again it seems")
    assert s.startswith("Again it seems") and s.endswith("arrivals figures.")
    _assert_invariants(text, seg)


def test_lower_case_continuation_line_joins_the_paragraph() -> None:
    record = _first_record("semeval-2023-t3", "at the same time? The\nsheriff")
    text = record["text"]
    seg = segment(text)
    sentence = _sentence_at(text, seg, "The\nsheriff")
    assert sentence.startswith("The\nsheriff")
    assert _sentence_at(text, seg, "at the same time? The").endswith("same time?")
    _assert_invariants(text, seg)


# --- totality ------------------------------------------------------------------------------------

_PIECES = [
    *"aAbBtT zZ.?!…,;:\"“”'’()-\n\r\t\u00a0\u2028\x1c",
    *["U.S.", "Mr.", "Sept.", " The ", "...", "\n\n", "    ", '."', "J. ", "\r\n"],
]
# Strings built from the characters and pieces the splitter reacts to, to hit its branches.
_NEWSY = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), _NEWSY), title=st.none() | st.text(max_size=30))
def test_any_text_gives_valid_spans(text: str, title: str | None) -> None:
    seg = segment(text, title=title)
    _assert_invariants(text, seg)
    if text.strip():
        assert seg.segments  # non-blank text always yields something
    else:
        assert seg.segments == [] and seg.sentences == []


@settings(max_examples=100, deadline=None)
@given(rest=_NEWSY)
def test_title_from_first_line_is_recognised(rest: str) -> None:
    text = "Headline " + rest  # a first line with words in it, whatever follows
    seg = segment(text, title=text.splitlines()[0])
    assert seg.segments[0].kind == "title"
    _assert_invariants(text, seg)
