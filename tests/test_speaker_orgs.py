"""Two-word organization names are not persons; people with rare given names still are.

Passages are verbatim from the news-2022 corpus. A name of two words or more is a person's
when it opens with a given name (the gender-guesser list) or the text gives evidence (a title,
a role in an apposition, "he"/"she"); otherwise it is an organization, or a named thing.
"""

from __future__ import annotations

from pipeline.claims.extract import extract_claims
from pipeline.claims.given_names import is_given_name
from pipeline.claims.model import Claim, ClaimKind, SpeakerType
from pipeline.claims.speakers import analyze
from pipeline.segment import segment


def run(text: str) -> list[Claim]:
    return extract_claims(text, [(s.start, s.end) for s in segment(text).sentences])


def speaker(text: str, fragment: str) -> tuple[str | None, SpeakerType | None]:
    pos = text.index(fragment)
    claims = run(text)
    c = next(c for c in claims if c.kind != ClaimKind.AUTHOR and c.start <= pos < c.end)
    return c.speaker, c.speaker_type


def test_given_names_from_the_shipped_list() -> None:
    assert all(map(is_given_name, ["Dmytro", "Hillary", "Jean-Pierre", "Volodymyr", "Joe's"]))
    assert not any(map(is_given_name, ["Fitch", "Goldman", "Stitch", "Lockheed", "Human"]))
    assert is_given_name("BRET") and not is_given_name("UK")  # a two-letter acronym is no name


def test_organizations_named_by_two_words_or_more() -> None:
    hrw = (
        "In Burkina Faso and its Sahel neighbors Mali and Niger, armed Islamist groups have "
        "killed more than 800 civilians in attacks during 2021 alone, according to Human "
        "Rights Watch."
    )
    assert speaker(hrw, "armed Islamist") == ("Human Rights Watch", SpeakerType.ORGANIZATION)
    fitch = (
        "Green hydrogen is seen as a game-changing solution to emissions in the heaviest of "
        "industries, but it has a long way to go -- less than 1% of the world's hydrogen today "
        "is green, according to Fitch Ratings. The rest comes from fossil fuels."
    )
    assert speaker(fitch, "less than 1%") == ("Fitch Ratings", SpeakerType.ORGANIZATION)
    lockheed = (
        '"This deployment marks the first time in U.S. naval aviation history that a stealth '
        'strike fighter has been deployed operationally on an aircraft carrier," Lockheed '
        "Martin said."
    )
    assert speaker(lockheed, "This deployment") == ("Lockheed Martin", SpeakerType.ORGANIZATION)
    goldman = (
        "Goldman Sachs said a few days ago that it expects the balance sheet reduction to start "
        "in June at a pace of $100 billion a month, about double the pace of the previous move "
        "of a runoff several years ago."
    )
    assert speaker(goldman, "it expects") == ("Goldman Sachs", SpeakerType.ORGANIZATION)


def test_named_thing_is_not_a_person() -> None:
    text = (
        "Container freight rates have soared 130% globally year over year, according to the "
        "Freightos Baltic Index."
    )
    assert speaker(text, "Container freight") == ("Freightos Baltic Index", SpeakerType.OTHER)


def test_people_with_rare_given_names_stay_persons() -> None:
    butler = (
        "“If interest rates rise more sharply, that then puts extra strain on vulnerable "
        "developing countries which have most of their debt in dollars,” said Creon Butler, "
        "research director at Chatham House, a London research organization."
    )
    assert speaker(butler, "If interest") == ("Creon Butler", SpeakerType.PERSON)
    sharp = (
        "In June, one anchor, Pearson Sharp, told viewers: “The fallout from the coronavirus "
        "vaccine continues to grow, and the toll on human life is now worse than anyone could "
        "have imagined.”"
    )
    assert speaker(sharp, "The fallout") == ("Pearson Sharp", SpeakerType.PERSON)


def test_person_of_an_organization_speaks() -> None:
    text = (
        'The figures for November seem "like old news now", according to Bethany Beckett of '
        "Capital Economics."
    )
    assert speaker(text, "like old news") == ("Bethany Beckett", SpeakerType.PERSON)
    gardiner = (
        "But Richard Gardiner of Global Witness said the legislation had the potential to become "
        "“a watershed moment for human rights and the climate crisis,” if the European Union "
        "resisted efforts to water down the proposed measures."
    )
    assert speaker(gardiner, "the legislation") == ("Richard Gardiner", SpeakerType.PERSON)
    # an institution named "X Y of Z" is no person, even when X is a given name
    assert analyze("NYU's Stern School of Business").name is None
