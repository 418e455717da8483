"""Speaker resolution within a document: names, pronouns, titles, organizations, metonyms."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from pipeline.claims import speakers
from pipeline.claims.extract import extract_claims
from pipeline.claims.model import Claim, ClaimKind, SpeakerType
from pipeline.claims.sources import word_list
from pipeline.claims.speakers import SpeakerResolver, analyze, ends_sentence, name_runs
from pipeline.segment import segment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "kharkiv_counteroffensive.txt"


def run(text: str) -> list[Claim]:
    return extract_claims(text, [(s.start, s.end) for s in segment(text).sentences])


def speaker_of(claims: list[Claim], text: str, fragment: str) -> tuple[str | None, str, object]:
    pos = text.index(fragment)
    c = next(c for c in claims if c.kind != ClaimKind.AUTHOR and c.start <= pos < c.end)
    src = text[c.source[0] : c.source[1]] if c.source else ""
    return c.speaker, src, c.speaker_type


def test_seed_pronouns_titles_orgs_resolve() -> None:
    text = SEED.read_text(encoding="utf-8")
    claims = run(text)
    assert speaker_of(claims, text, "the country's army has reclaimed") == (
        "Volodymir Zelensky",
        "Ukraine's president",
        SpeakerType.PERSON,
    )
    assert speaker_of(claims, text, "Now, thank God")[:2] == ("Dmytro Kuleba", "he")
    assert speaker_of(claims, text, "And so I reiterate")[:2] == (
        "Dmytro Kuleba",
        "The Ukrainian foreign minister",
    )
    assert speaker_of(claims, text, "number of distracting")[:2] == (
        "Russian Defense Ministry",
        "it",
    )
    assert speaker_of(claims, text, "The troops stationed")[:2] == (
        "Russian Defense Ministry",
        "the ministry",
    )
    assert speaker_of(claims, text, "the operation was aimed at") == (
        "Russia",
        "Moscow",
        SpeakerType.GOVERNMENT,
    )
    assert speaker_of(claims, text, "scoring")[:2] == ("Ukrainian army", "Kiev's forces")


def test_surname_resolves_to_longest_earlier_name() -> None:
    text = (
        "Senator Maria Lopez Garcia said the bill would pass.\n"
        "Garcia added that the vote would come on Monday.\n"
    )
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    assert [c.speaker for c in claims] == ["Maria Lopez Garcia", "Maria Lopez Garcia"]


def test_she_prefers_recent_speaker_over_later_named_person() -> None:
    text = (
        "Governor Ann Miller said the budget was balanced, citing a report by John Park.\n"
        '"We have done the work," she said.\n'
    )
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    assert claims[-1].speaker == "Ann Miller"


def test_role_before_name_binds_forward() -> None:
    text = (
        "The country's prime minister says the talks have failed.\n"
        '"There is nothing left to discuss," Prime Minister Karl Jensen said on Friday.\n'
    )
    claims = [c for c in run(text) if c.kind != ClaimKind.AUTHOR]
    assert claims[0].speaker == "Karl Jensen"


def test_analyze_splits_country_title_and_name() -> None:
    m = analyze("Ukraine's Foreign Minister Dmytro Kuleba")
    assert (m.country, m.title, m.name) == ("Ukraine", "foreign minister", "Dmytro Kuleba")
    m = analyze("the Russian Defense Ministry")
    assert m.name is None and m.head == "ministry" and m.army and m.country == "Russia"
    assert analyze("Washington").metonym


def test_resolver_they_goes_to_last_organization() -> None:
    text = "The Interior Ministry said it had no comment. They later said more."
    r = SpeakerResolver.for_document(text, [(0, 45), (46, len(text))])
    assert r.resolve((0, 22)) == ("Interior Ministry", SpeakerType.GOVERNMENT)
    pos = text.index("They")
    assert r.resolve((pos, pos + 4)) == ("Interior Ministry", SpeakerType.GOVERNMENT)


# --- names as researchers read them: real news from ../shared -------------------------------

DEV_DOCS = SHARED / "eval" / "polnear" / "dev" / "docs"
NEWS = SHARED / "corpora" / "news-2022.jsonl.gz"


def dev_doc(name: str) -> str:
    return (DEV_DOCS / name).read_text(encoding="utf-8")


@cache
def news_doc(fragment: str) -> str:
    """The first news-2022 article whose text contains `fragment`."""
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text")
            if isinstance(text, str) and fragment in text:
                return text
    raise LookupError(fragment)


@cache
def dev_claims() -> list[tuple[str, list[Claim]]]:
    """Every PolNeAR dev article with its claims (computed once for the tests below)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV_DOCS.glob("*.txt"))]
    return [(t, run(t)) for t in texts]


def by_source(text: str) -> dict[str, set[tuple[str | None, object]]]:
    """Source mention as written → the (speaker, type) pairs it resolved to in the document."""
    out: dict[str, set[tuple[str | None, object]]] = {}
    for c in run(text):
        if c.source is not None:
            src = text[c.source[0] : c.source[1]]
            out.setdefault(src, set()).add((c.speaker, c.speaker_type))
    return out


def test_name_runs_stop_at_sentence_ends_and_line_breaks() -> None:
    text = dev_doc("nyt_2016-10-02_a-curious-plan-to-fight-climate-.txt")
    runs = [run for _, run in name_runs(text[:400])]
    assert "Tom Clarke" in runs and not any("Coal" in r and "Clarke" in r for r in runs)
    assert by_source(text)["Mr. Clarke"] == {("Tom Clarke", SpeakerType.PERSON)}
    # a byline line is not glued to the name on the next line
    news = news_doc("By Michael M. Grynbaum\n")
    names = {s for pairs in by_source(news).values() for s, _ in pairs if s}
    assert not any(
        n.startswith("By ") or ("Grynbaum" in n and " " in n.split("Grynbaum")[1]) for n in names
    )


def test_party_and_rank_words_are_not_part_of_the_name() -> None:
    text = dev_doc("breitbart_2016-09-30_the-latest-trump-urges-supporter.txt")
    assert "Rival Hillary Clinton" in text
    resolved = by_source(text)
    assert resolved["Clinton"] == {("Hillary Clinton", SpeakerType.PERSON)}
    names = {s for pairs in resolved.values() for s, _ in pairs if s}
    firsts = {n.split()[0].lower() for n in names}
    assert not firsts & {"rival", "republican", "democrat", "democratic"}


def test_title_word_used_as_a_surname() -> None:
    text = dev_doc("nyt_2016-09-19_old-hands-help-russia-navigate-u.txt")
    assert by_source(text)["Mr. King"] == {("Larry King", SpeakerType.PERSON)}


def test_relative_pronoun_speaks_for_its_antecedent() -> None:
    text = dev_doc("nyt_2016-09-16_clinton-plan-for-taxes-is-expans.txt")
    assert ("David Kamin", SpeakerType.PERSON) in by_source(text)["who"]
    text = dev_doc("breitbart_2016-09-29_politifact-donald-trump-is-right.txt")
    assert by_source(text)["which"] == {("Chicago Police Department", SpeakerType.GOVERNMENT)}


def test_the_company_is_the_business_named_just_before() -> None:
    text = news_doc("significantly increase G.M.")
    pos = text.index("significantly increase G.M.")
    c = next(c for c in run(text) if c.source and c.start <= pos < c.end)
    assert text[c.source[0] : c.source[1]] == "the company"
    assert (c.speaker, c.speaker_type) == ("General Motors", SpeakerType.ORGANIZATION)


def test_generic_descriptions_get_no_canonical_name() -> None:
    """'the company' with no business named before, 'analysts', 'you': the source span stays,
    the speaker is None, so no two documents merge on a common noun."""
    text = news_doc("as the company announced it expects to post a profit")
    pos = text.index("it expects to post a profit")
    c = next(c for c in run(text) if c.source and c.start <= pos < c.end)
    assert (c.speaker, c.speaker_type) == (None, SpeakerType.ORGANIZATION)
    seen: dict[str, set[tuple[str | None, object]]] = {}
    for text, claims in dev_claims():
        for c in claims:
            if c.source is not None:
                src = text[c.source[0] : c.source[1]].lower()
                seen.setdefault(src, set()).add((c.speaker, c.speaker_type))
    for generic in ("experts", "who", "you", "officials", "critics"):
        assert generic in seen
    for generic in ("experts", "officials", "critics"):
        assert {s for s, _ in seen[generic]} == {None}
    assert seen["you"] == {(None, None)}


def test_outlets_are_organizations_not_people() -> None:
    text = dev_doc("breitbart_2016-10-03_the-latest-trump-s-leaked-taxes-.txt")
    assert by_source(text)["The New York Times"] == {("New York Times", SpeakerType.ORGANIZATION)}
    assert analyze("The Associated Press").name is None
    assert analyze("the FBI").head == "fbi"
    assert analyze("the U.S.").country == "United States"
    assert analyze("the White House").metonym  # the lexicon's metonym, not a person


def test_speaker_names_on_real_news_look_like_names() -> None:
    """Every name the resolver emits on PolNeAR dev: capitalized, one sentence, not a common
    noun, pronoun or descriptor."""
    common = (
        word_list("group_sources.txt")
        | word_list("org_heads.txt")
        | word_list("company_nouns.txt")
        | {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that"}
    )
    names = {(c.speaker, c.speaker_type) for _, claims in dev_claims() for c in claims if c.speaker}
    assert len(names) > 300
    for n, kind in names:
        words = n.split()
        assert not n[0].islower(), n
        assert n.lower() not in common, n
        assert not any(ends_sentence(w) for w in words[:-1]), n
        if kind == SpeakerType.PERSON:
            assert words[0].lower() not in word_list("name_descriptors.txt"), n


def test_lone_capitalized_word_is_a_person_only_with_evidence() -> None:
    """A surname the document titles ("President Obama") is a person; a lone name with no
    person evidence and "its" after it is a company."""
    text = dev_doc("nyt_2016-09-25_obama-says-african-american-muse.txt")
    assert by_source(text)["Obama"] == {("Obama", SpeakerType.PERSON)}
    news = news_doc("By Nicole Sperling\n\nNetflix")
    assert by_source(news)["Netflix"] == {("Netflix", SpeakerType.ORGANIZATION)}


def test_two_people_with_one_surname_stay_apart() -> None:
    """A candidate named early and a secretary named later share a surname: the secretary's
    claims are his, and the bare surname right after him means him."""
    text = dev_doc("breitbart_2016-09-30_the-latest-trump-urges-supporter.txt")
    assert "candidate Gary Johnson" in text
    resolved = by_source(text)
    assert resolved["Homeland Security Secretary Jeh Johnson"] == {
        ("Jeh Johnson", SpeakerType.PERSON)
    }
    assert resolved["Johnson"] == {("Jeh Johnson", SpeakerType.PERSON)}


def test_a_letter_speaks_for_its_author() -> None:
    text = news_doc("Larry Fink’s latest annual letter")
    assert by_source(text)["Larry Fink’s latest annual letter"] == {
        ("Larry Fink", SpeakerType.PERSON)
    }


def test_a_common_noun_before_a_name_is_not_part_of_it() -> None:
    """'the Chinese social media company Tencent': the organization is its name."""
    text = news_doc("the Chinese social media company Tencent")
    assert by_source(text)["the Chinese social media company Tencent"] == {
        ("Tencent", SpeakerType.ORGANIZATION)
    }


def test_analyze_memo_stays_bounded_and_answers_the_same() -> None:
    """`analyze` remembers what it read (the same record again) in a memo that never holds more
    than ANALYZE_CACHE strings; one read after the memo was emptied equals the first."""
    first = analyze("President Joe Biden")
    assert analyze("President Joe Biden") is first
    for i in range(speakers.ANALYZE_CACHE + 10):
        analyze(f"Minister Jane Doe{i}")
        assert len(speakers._ANALYZED) <= speakers.ANALYZE_CACHE
    again = analyze("President Joe Biden")
    assert again == first and (again.name, again.title) == ("Joe Biden", "president")
