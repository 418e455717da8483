"""General frames for cues in no lexicon (rules_generic.py): the frame is the evidence."""

from __future__ import annotations

from tests.claim_text import attributed_with_rules

BODY = "\n\nThe committee met on Tuesday to review the budget for next year.\n"


def attributed(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(content, source, cue, rule) of every non-author claim, after a neutral body."""
    return attributed_with_rules(text + BODY)


def test_unknown_verb_before_a_that_clause_is_a_cue() -> None:
    found = attributed("The Labor Department computes that 4 million workers will gain pay.")
    assert found == [
        (
            "that 4 million workers will gain pay.",
            "The Labor Department",
            "computes",
            "generic_that",
        )
    ]


def test_relative_that_after_a_plural_noun_is_no_claim() -> None:
    assert attributed("Voters gave small donations that more than matched the rival.") == []


def test_determiner_that_is_no_complement() -> None:
    assert attributed("She brought that debt down to $42,000 in five years.") == []


def test_progressive_lexicon_cue_keeps_its_source() -> None:
    found = attributed("Donald Trump is insisting that he has expanded the party.")
    assert [(s, c, r) for _, s, c, r in found] == [
        ("Donald Trump", "is insisting", "generic_progressive")
    ]
    assert found[0][0].startswith("that he has expanded the party")


def test_participle_after_a_comma_inside_a_closing_quote() -> None:
    text = (
        "The senator mocked the mayor for calling himself the “king of debt,” noting that "
        "the tax cuts would raise the debt."
    )
    found = attributed(text)
    assert ("that the tax cuts would raise the debt.", "The senator", "noting") in [
        (c, s, q) for c, s, q, _ in found
    ]


def test_possessed_speech_noun_with_a_clause() -> None:
    found = attributed("The governor was not alone in his contention that the war had failed.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("that the war had failed.", "The governor", "contention")
    ]


def test_possessed_noun_naming_no_words_is_no_cue() -> None:
    assert attributed("It was the first time in his presidency that Congress had voted.") == []


def test_manner_adverb_between_source_and_cue() -> None:
    found = attributed("The senator has sharply criticized the long-standing trade deals.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("the long-standing trade deals.", "The senator", "sharply criticized")
    ]


def test_progressive_multiword_cue() -> None:
    found = attributed("The governor is calling for some of his rivals to drop out.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("some of his rivals to drop out.", "The governor", "is calling for")
    ]


def test_participle_after_a_comma_and_an_adverb() -> None:
    text = "The nominee complained about his microphone, even suggesting he had been sabotaged."
    found = attributed(text)
    assert ("he had been sabotaged.", "The nominee", "suggesting") in [
        (c, s, q) for c, s, q, _ in found
    ]


def test_lexicon_noun_clause_takes_the_clause_subject() -> None:
    text = "The governor bristled at the suggestion that he had caused the budget crisis."
    found = attributed(text)
    assert ("that he had caused the budget crisis.", "The governor", "suggestion") in [
        (c, s, q) for c, s, q, _ in found
    ]


def test_catenative_phrase_joins_the_cue() -> None:
    found = attributed("The senator went on to say that the deals had failed.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("that the deals had failed.", "The senator", "went on to say")
    ]


def test_possessed_noun_then_is_that() -> None:
    found = attributed("The senator's argument was that the deals had failed.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("that the deals had failed.", "The senator's", "argument")
    ]


def test_as_clause_after_the_content() -> None:
    found = attributed("The deals were bad for workers, as the senator noted on Tuesday.")
    assert [(c, s, q) for c, s, q, _ in found] == [
        ("The deals were bad for workers", "the senator", "noted")
    ]
