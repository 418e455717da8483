"""Extractor round 2: headlines, signed quotes, asides and content boundaries (general English)."""

from __future__ import annotations

from tests.claim_text import attributed

BODY = "\n\nThe committee met on Tuesday to review the budget for next year.\n"


def test_colon_headline_names_its_source() -> None:
    text = "Senate Leader: The Budget Bill Is Dead for This Year." + BODY
    assert ("Senate Leader", ":") in [(s, c) for _, s, c in attributed(text)]
    content = next(x for x, s, _ in attributed(text) if s == "Senate Leader")
    assert content == "The Budget Bill Is Dead for This Year"


def test_label_before_a_colon_is_not_a_source() -> None:
    text = "Update: The Budget Bill Is Dead for This Year." + BODY
    assert not [a for a in attributed(text) if a[2] == ":"]


def test_title_case_cue_verb_in_a_headline() -> None:
    text = "Former Governor Endorses Longtime Rival for Senate." + BODY
    found = [(s, c) for _, s, c in attributed(text)]
    assert ("Former Governor", "Endorses") in found


def test_dash_signed_quote() -> None:
    text = (
        "Readers wrote in after the debate.\n"
        "“The plan will not work for families like mine.” ― Jane Rivera\n"
        "“We need better schools first.” ― Tom O. Baker\n"
    )
    found = {s: x for x, s, _ in attributed(text)}
    assert found["Jane Rivera"] == "The plan will not work for families like mine."
    assert found["Tom O. Baker"] == "We need better schools first."


def test_party_parenthetical_between_source_and_cue() -> None:
    text = "Rep. Jane Doe (D-N.Y.) said the law does not require a public hearing.\n"
    assert ("the law does not require a public hearing.", "Rep. Jane Doe", "said") in attributed(
        text
    )


def test_source_with_an_aside_after_a_quote() -> None:
    text = "“Order is extremely important,” the speaker, the convention chair, told delegates.\n"
    found = attributed(text)
    assert found and found[0][1] == "the speaker" and found[0][2] == "told"


def test_conjoined_verb_phrase_is_not_content() -> None:
    text = "The senator defended his mother and refused to repudiate the party leaders.\n"
    assert ("his mother", "The senator", "defended") in attributed(text)


def test_speech_participle_ends_the_content() -> None:
    text = "The mayor said the budget was balanced, adding that taxes would not rise.\n"
    contents = [x for x, _, _ in attributed(text)]
    assert "the budget was balanced" in contents


def test_gerund_after_a_preposition_takes_the_sentence_subject() -> None:
    text = "The president responded by saying the issue was manufactured by his critics.\n"
    assert ("the issue was manufactured by his critics.", "The president", "saying") in attributed(
        text
    )


def test_participle_before_a_quote_takes_the_sentence_subject() -> None:
    text = "The senator attacked the plan, saying, “It will cost jobs in every state.”\n"
    assert ("It will cost jobs in every state.", "The senator", "saying") in attributed(text)
