"""Claim extraction on the seed article, real PolNeAR sentences and random text."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.extract import EXTRACTOR_VERSION, extract_claims
from pipeline.claims.model import Claim, ClaimKind, Stance
from pipeline.evaluate.attribution import score_attributions
from pipeline.segment import segment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "kharkiv_counteroffensive.txt"
SEED_GOLD = SHARED / "seed" / "kharkiv_counteroffensive.gold.jsonl"
POLNEAR = SHARED / "eval" / "polnear"


def run(text: str) -> list[Claim]:
    return extract_claims(text, [(s.start, s.end) for s in segment(text).sentences])


@cache
def seed() -> tuple[str, tuple[Claim, ...], tuple[dict, ...]]:
    text = SEED.read_text(encoding="utf-8")
    gold = tuple(json.loads(line) for line in SEED_GOLD.read_text().splitlines() if line.strip())
    return text, tuple(run(text)), gold


def as_record(doc: str, text: str, c: Claim) -> dict:
    return {
        "doc": doc,
        "content_spans": [list(s) for s in c.content_spans],
        "content": " ".join(text[a:b] for a, b in c.content_spans),
        "source_spans": [list(c.source)] if c.source else [],
        "cue_spans": [list(c.cue)] if c.cue else [],
        "speaker": c.speaker,
    }


def claim_at(claims: list[Claim] | tuple[Claim, ...], text: str, fragment: str) -> Claim:
    pos = text.index(fragment)
    hits = [c for c in claims if c.kind != ClaimKind.AUTHOR and c.start <= pos < c.end]
    assert hits, f"no attributed claim covers {fragment!r}"
    return hits[0]


def polnear_sentence(fragment: str) -> tuple[str, str]:
    """The real PolNeAR document containing `fragment` (train), and the document text."""
    for path in sorted((POLNEAR / "train" / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if fragment in text:
            return path.name, text
    raise AssertionError(f"fragment not in PolNeAR train: {fragment!r}")


def test_version_is_set() -> None:
    assert EXTRACTOR_VERSION.count(".") == 2


def test_seed_every_required_claim_found_with_kind_and_speaker() -> None:
    _text, claims, gold = seed()
    for g in (g for g in gold if g["required"] and g["kind"] != "author"):
        a, b = g["content_spans"][0]
        mid = (a + b) // 2
        hits = [c for c in claims if c.kind != ClaimKind.AUTHOR and c.start <= mid < c.end]
        assert hits, g["content"]
        c = hits[0]
        assert c.kind == g["kind"], (g["content"], c.kind)
        names = {g["speaker"].lower(), *(x.lower() for x in g["speaker_aliases"])}
        assert (c.speaker or "").lower() in names, (g["content"], c.speaker)


def test_seed_scores_with_official_scorer() -> None:
    text, claims, gold = seed()
    doc = SEED.name
    preds = [as_record(doc, text, c) for c in claims if c.kind != ClaimKind.AUTHOR]
    report = score_attributions(list(gold), preds, {doc: text})
    assert report.attribution.f1 >= 0.9
    assert report.speaker_accuracy.value >= 0.9


def test_baerbock_is_never_a_speaker() -> None:
    text, claims, _ = seed()
    assert all("Baerbock" not in (c.speaker or "") for c in claims)
    c = claim_at(claims, text, "some allies had initially been hesitant")
    assert c.speaker == "Dmytro Kuleba"
    assert text[c.source[0] : c.source[1]] == "Kuleba"  # type: ignore[index]


def test_split_quote_is_one_claim_with_two_spans() -> None:
    text = '"We will not retreat," the general said, "and we will not surrender."\n'
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    assert len(claims) == 1
    c = claims[0]
    assert c.kind == ClaimKind.DIRECT and len(c.content_spans) == 2
    assert [text[a:b] for a, b in c.content_spans] == [
        "We will not retreat,",
        "and we will not surrender.",
    ]
    assert c.cue_lemma == "say"


def test_scare_quotes_are_not_claims() -> None:
    text, claims, _ = seed()
    pos = text.index("special military operation")
    assert not [c for c in claims if c.kind != ClaimKind.AUTHOR and c.start <= pos < c.end]


def test_mixed_claim_keeps_quoted_words() -> None:
    text, claims, _ = seed()
    c = claim_at(claims, text, "the operation was aimed at")
    assert c.kind == ClaimKind.MIXED and c.speaker == "Russia" and c.cue_lemma == "say"


def test_continued_quote_joins_the_claim_it_continues() -> None:
    text, claims, _ = seed()
    c = claim_at(claims, text, "After all, it's a good choice")
    assert c.speaker == "Volodymir Zelensky" and len(c.content_spans) == 2
    assert text[c.content_spans[0][0] :].startswith("These last days")


def test_twin_apostrophe_marks_quote_and_continue() -> None:
    """NYT-style ''…'' marks, with the next sentence's quote continuing the attribution."""
    _doc, text = polnear_sentence("''There's no question Obama could name someone")
    c = claim_at(run(text), text, "There's no question Obama could name someone")
    assert c.kind == ClaimKind.DIRECT and text[c.source[0] : c.source[1]] == "Ms. Epstein"
    assert text[c.content_spans[0][0] - 2 : c.content_spans[0][0]] == "''"
    assert [text[a:b] for a, b in c.content_spans][1].startswith("The question is how far")


def test_continued_quote_over_paragraphs() -> None:
    _doc, text = polnear_sentence("“This is the United States of America, this is the greatest")
    c = claim_at(run(text), text, "He started out by insulting Hispanics")
    assert text[c.source[0] : c.source[1]] == "Barkley" and len(c.content_spans) == 3


def test_distancing_stance_for_allege() -> None:
    text, claims, _ = seed()
    c = claim_at(claims, text, "scoring")
    assert c.stance == Stance.DISTANCING and c.cue_lemma == "allege"


def test_author_statements_cover_unattributed_sentences_only() -> None:
    text, claims, _ = seed()
    authors = [c for c in claims if c.kind == ClaimKind.AUTHOR]
    pos = text.index("Back in 2014")
    assert [c for c in authors if c.start <= pos < c.end]
    assert all(c.rule == "author_statement" and c.source is None for c in authors)
    heading = text.index("Ukraine demands more weapons")
    assert not [c for c in claims if c.start <= heading < c.end]
    others = [c for c in claims if c.kind != ClaimKind.AUTHOR]
    assert not [a for a in authors for o in others if a.start < o.end and o.start < a.end]


def test_polnear_according_to_front() -> None:
    frag = "According to a recent poll of Indiana voters, Trump garnered 30%"
    _, text = polnear_sentence(frag)
    c = claim_at(run(text), text, "garnered 30%")
    assert c.cue_lemma == "according to"
    assert text[c.source[0] : c.source[1]] == "a recent poll of Indiana voters"  # type: ignore[index]


def test_polnear_belief_and_intention() -> None:
    frag = "told the Times that Carter believes his use of personal email"
    _, text = polnear_sentence(frag)
    claims = run(text)
    c = claim_at(claims, text, "Carter believes his use")
    assert c.cue_lemma == "tell"
    frag = "says despite being a Stanford alumna, she plans to root for Iowa"
    _, text = polnear_sentence(frag)
    c = claim_at(run(text), text, "despite being a Stanford alumna")
    assert c.cue_lemma == "say" and c.speaker is not None


def test_polnear_nominal_cue() -> None:
    text = "Amid the army's allegations of a pullout from the city, officials stayed silent.\n"
    c = claim_at(run(text), text, "a pullout from the city")
    assert c.cue_lemma == "allegation" and c.stance == Stance.DISTANCING
    assert text[c.source[0] : c.source[1]] == "the army's"  # type: ignore[index]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_never_raises_spans_inside_deterministic(text: str) -> None:
    sentences = [(s.start, s.end) for s in segment(text).sentences]
    first = extract_claims(text, sentences)
    assert first == extract_claims(text, sentences)
    assert [c.start for c in first] == sorted(c.start for c in first)
    for c in first:
        for a, b in (*c.content_spans, *(x for x in (c.cue, c.source) if x)):
            assert 0 <= a < b <= len(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "“",
                "”",
                "‘",
                "’",
                "«",
                "»",
                " said ",
                "he",
                "according to",
                ",",
                ".",
                "\n",
                "X",
                " ",
            ]
        ),
        max_size=60,
    )
)
def test_quote_heavy_input_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    claims = extract_claims(text, [(0, len(text))])
    for c in claims:
        assert all(0 <= a < b <= len(text) for a, b in c.content_spans)


def test_relative_pronoun_is_the_source() -> None:
    text = "But there are some national security law experts who think the case is clear.\n"
    c = claim_at(run(text), text, "the case is clear")
    assert text[c.source[0] : c.source[1]] == "who" and c.cue_lemma == "think"


def test_quote_then_new_sentence_cue_is_not_its_attribution() -> None:
    """`“…soft.” He says X.`: the cue governs its own clause, not the quote before it."""
    text = "“The game has become soft.” He says referees throw flags far too often.\n"
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    c = claim_at(claims, text, "referees throw flags")
    assert c.kind == ClaimKind.INDIRECT and text[c.source[0] : c.source[1]] == "He"


def test_noun_after_determiner_is_not_a_cue() -> None:
    text = "Clinton won several states on Tuesday, and the state where he campaigned voted early.\n"
    assert not [c for c in run(text) if c.kind != ClaimKind.AUTHOR]


def test_seems_and_expected_claims_have_no_source() -> None:
    text = "The two rivals seemed to be well known in town. The bill is expected to pass soon.\n"
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    assert len(claims) == 2 and all(c.source is None and c.stance == Stance.HEDGED for c in claims)


def test_hard_wrapped_reuters_sentences_keep_their_attributions() -> None:
    """Reuters 1987 wraps paragraphs at ~70 columns: a line break inside a sentence is no
    paragraph end, so 'X said …' across lines is still an attribution, not a heading."""
    import gzip

    path = SHARED / "corpora" / "reuters-1987.jsonl.gz"
    crossing = attributed = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for _, line in zip(range(150), handle, strict=False):
            text = json.loads(line)["text"]
            sentences = [(s.start, s.end) for s in segment(text).sentences]
            claims = [c for c in extract_claims(text, sentences) if c.kind != ClaimKind.AUTHOR]
            for a, b in sentences:
                if "\n" in text[a:b].strip() and " said " in text[a:b]:
                    crossing += 1
                    attributed += any(c.start < b and c.end > a for c in claims)
    assert crossing > 100
    assert attributed / crossing > 0.8, (attributed, crossing)
