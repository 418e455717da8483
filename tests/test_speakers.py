"""Speaker resolution within a document: names, pronouns, titles, organizations, metonyms."""

from __future__ import annotations

from pathlib import Path

from pipeline.claims.extract import extract_claims
from pipeline.claims.model import Claim, ClaimKind, SpeakerType
from pipeline.claims.speakers import SpeakerResolver, analyze
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
