"""Extractor: cue classes beyond the verb lexicon (speaker turns, signed paragraphs, new verbs)."""

from __future__ import annotations

from pipeline.claims.cues import inflect
from tests.claim_text import attributed

TRANSCRIPT = (
    "The governor spoke with the host on Sunday morning.\n"
    "HOST: Can the new plan pass the state senate this year?\n"
    "GOVERNOR SMITH: We have the votes now, and we will bring it to the floor soon.\n"
    "Q: What happens to the schools if it fails?\n"
)


def test_transcript_turns_belong_to_their_speakers() -> None:
    found = {s: x for x, s, c in attributed(TRANSCRIPT) if c == ":"}
    assert found["HOST"] == "Can the new plan pass the state senate this year?"
    assert found["GOVERNOR SMITH"].startswith("We have the votes now")
    assert found["Q"] == "What happens to the schools if it fails?"


def test_a_label_or_a_list_of_names_is_not_a_turn() -> None:
    text = (
        "The campaign named its advisers in each early state.\n"
        "Note: The figures were revised after the count was finished.\n"
        "Iowa: Jane Doe, John Roe, Mary Major, Peter Minor, Anna Best.\n"
    )
    assert not [a for a in attributed(text) if a[2] == ":"]


def test_paragraph_signed_with_a_dash_despite_unpaired_marks() -> None:
    text = (
        "Readers wrote in after the debate.\n"
        "”The plan will not work for families like mine. We need better schools.” ― Jane Rivera\n"
    )
    found = {s: x for x, s, _ in attributed(text)}
    assert found["Jane Rivera"].startswith("The plan will not work")


def test_inflection_drops_forms_and_keeps_multiword_forms_whole() -> None:
    assert inflect("back", "verb", ("-back",)) == {"backs", "backed", "backing"}
    assert "back" in inflect("back", "verb")
    assert "spoke about" in inflect("speak about", "verb", ("spoke about",))
    assert "spoke about about" not in inflect("speak about", "verb", ("spoke about",))


def test_new_cue_verbs() -> None:
    text = "Many Republicans see the deal as a betrayal of their voters.\n"
    assert ("the deal as a betrayal of their voters.", "Many Republicans", "see") in attributed(
        text
    )
    text = "The mayor made clear that the budget will not grow next year.\n"
    assert [(s, c) for _, s, c in attributed(text)] == [("The mayor", "made clear")]


BODY = "\n\nThe committee met on Tuesday to review the budget for next year.\n"


def test_headline_signed_at_its_end() -> None:
    text = "New Plan Could Cut Energy Costs, Former Governor Says." + BODY
    found = {s: (x, c) for x, s, c in attributed(text)}
    assert found["Former Governor"] == ("New Plan Could Cut Energy Costs", "Says")


def test_headline_verb_after_a_label_and_its_object_only() -> None:
    text = "The Latest: Senator blasts rival over tax plan at rally." + BODY
    assert ("rival", "Senator", "blasts") in attributed(text)
    text = "Senator says rival will lose the primary in June." + BODY
    assert ("rival will lose the primary in June", "Senator", "says") in attributed(text)


def test_reportedly_is_a_claim_without_a_source() -> None:
    text = "The company reportedly closed two factories in the state last year.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "reportedly"]
    assert len(found) == 1 and found[0][1] is None
    assert found[0][0].startswith("The company closed two factories in the state")


def test_fronted_poll_and_view_frames() -> None:
    text = "In the latest state poll, the governor leads her rival by nine points.\n"
    assert ("the governor leads her rival by nine points.", "the latest state poll", "In") in (
        attributed(text)
    )
    text = "In the senator's view, the bill gives too much power to the agency.\n"
    found = [(s, c) for _, s, c in attributed(text)]
    assert found == [("the senator", "In")]


def test_poll_phrase_at_the_end_is_left_alone() -> None:
    text = "The governor leads her rival by nine points in the latest state poll.\n"
    assert [c for _, _, c in attributed(text) if c == "in"] == []


def test_nominal_cue_with_a_prepositional_complement() -> None:
    text = "His attacks on the trade deal have cost him support in the industrial states.\n"
    assert ("the trade deal", "His", "attacks") in attributed(text)
    text = "The senator remained firm despite her pledge to cut the state budget next year.\n"
    assert ("to cut the state budget next year.", "The senator", "pledge") in attributed(text)


def test_nominal_cue_as_a_verbs_object_is_left_to_the_verb() -> None:
    text = "The governor repeated his promise to cut taxes for small firms.\n"
    assert [c for _, _, c in attributed(text) if c == "promise"] == []


def test_stance_verbs_need_a_real_subject() -> None:
    text = "Most delegates who backed the governor in March now support the senator.\n"
    found = {(s, c): x for x, s, c in attributed(text)}
    assert found[("who", "backed")] == "the governor"
    text = "The senator drew strong support from young voters in the state.\n"
    assert [c for _, _, c in attributed(text) if c == "support"] == []
    text = "Back in January the senator was far behind in the state.\n"
    assert attributed(text) == []


def test_paragraph_introduced_by_source_and_cue_with_a_colon() -> None:
    text = (
        "The hearing ran late into the evening.\n"
        "The governor added:\n"
        "It is typical of this committee. It never reads the reports before it votes.\n"
    )
    found = {(s, c): x for x, s, c in attributed(text)}
    assert found[("The governor", "added")].startswith("It is typical of this committee.")


def test_as_the_source_put_it() -> None:
    text = "As one senior aide put it, the campaign has no money left for ads.\n"
    assert ("the campaign has no money left for ads.", "one senior aide", "put it") in (
        attributed(text)
    )
    text = "The bill is a gift to the banks, as the union leader put it.\n"
    assert ("The bill is a gift to the banks", "the union leader", "put it") in attributed(text)


def test_more_cue_verbs_attack_liken_speak_of() -> None:
    text = "The mayor attacked the council for its vote on the new budget.\n"
    assert ("The mayor", "attacked") in [(s, c) for _, s, c in attributed(text)]
    text = "The terror attacks in the capital shocked the nation.\n"
    assert [c for _, _, c in attributed(text) if c and c.startswith("attack")] == []
    text = "The judge spoke of a long fight for justice in the state courts.\n"
    assert ("The judge", "spoke of") in [(s, c) for _, s, c in attributed(text)]


def test_headline_after_a_fronted_phrase_or_a_colon_aside() -> None:
    text = "Railing Against Rival, Senator Vows To Cut Taxes For Families." + BODY
    assert ("Cut Taxes For Families", "Senator") in [(x, s) for x, s, _ in attributed(text)]
    text = "At last, a deal: Governor rebukes the council over the budget vote." + BODY
    assert ("the council", "Governor", "rebukes") in attributed(text)


def test_passive_attribution_without_an_agent_has_no_source() -> None:
    text = "The agency has been widely criticized for its slow response to the floods.\n"
    found = [(x, s) for x, s, c in attributed(text) if c and "criticized" in c]
    assert len(found) == 1 and found[0][1] is None
    assert found[0][0].startswith("The agency for its slow response")
    text = "The agency was criticized by the governor for its slow response.\n"
    assert [c for _, _, c in attributed(text) if c and "criticized" in c and "been" in c] == []


def test_headline_variants_plural_subject_group_source_and_any_final_cue() -> None:
    text = "Republicans blast governor after veto of school bill." + BODY
    assert ("governor", "Republicans", "blast") in attributed(text)
    text = "Clinton camp: the new tax plan would hurt working families." + BODY
    assert ("Clinton camp", ":") in [(s, c) for _, s, c in attributed(text)]
    text = "Editor’s note: the story was updated with the final count." + BODY
    assert [c for _, _, c in attributed(text) if c == ":"] == []
    text = "The Senator Is Eligible To Run, Election Board Finds." + BODY
    assert ("The Senator Is Eligible To Run", "Election Board", "Finds") in attributed(text)


def test_quote_signed_by_a_name_and_colon() -> None:
    text = (
        "Two pollsters weighed in on the early results.\n"
        "Turnout was high - Jane Rivera: “The early states were never going to be close.”\n"
    )
    found = {s: (x, c) for x, s, c in attributed(text)}
    assert found["Jane Rivera"] == ("The early states were never going to be close.", ":")


def test_stance_verb_with_a_quoted_object() -> None:
    text = "In a speech, the mayor attacked “the reckless spending of the last council.”\n"
    found = {(s, c): x for x, s, c in attributed(text)}
    assert found[("the mayor", "attacked")].startswith("“the reckless spending")


def test_headline_only_verbs_and_adverbs_left_out_of_the_source() -> None:
    text = "Former Governor Backs Senate Rival In Primary Race." + BODY
    assert ("Senate Rival", "Former Governor", "Backs") in attributed(text)
    text = "Senate Leader Just Revealed His Plan For The Budget." + BODY
    assert ("Senate Leader", "Revealed") in [(s, c) for _, s, c in attributed(text)]
    text = BODY + "The storm also hits the coast after a long week of rain in the state.\n"
    assert [c for _, _, c in attributed(text) if c == "hits"] == []


def test_paragraph_ending_in_a_cue_phrase_and_colon() -> None:
    text = (
        "The governor spoke after the vote on Friday.\n"
        "Late on Friday, the governor added in a statement:\n"
        "We will keep working until every family in the state has clean water.\n"
    )
    found = {(s, c): x for x, s, c in attributed(text)}
    assert found[("the governor", "added")].startswith("We will keep working")


def test_generic_you_is_no_stance_source() -> None:
    text = "The survey asked voters a simple question.\nIf you support the governor, press one.\n"
    assert [c for _, _, c in attributed(text) if c == "support"] == []


def test_seek_with_a_noun_object() -> None:
    text = "The union now seeks the removal of the board chairman and two directors.\n"
    found = {(s, c): x for x, s, c in attributed(text)}
    assert found[("The union", "seeks")].startswith("the removal of the board chairman")


def test_see_is_a_view_not_an_outcome() -> None:
    text = BODY + "The company saw strong growth in its cloud business last quarter.\n"
    assert [c for _, _, c in attributed(text) if c == "saw"] == []
    text = BODY + "Democrats see the governor as the strongest candidate for the seat.\n"
    assert ("Democrats", "see") in [(s, c) for _, s, c in attributed(text)]


def test_contraction_is_no_possessor() -> None:
    text = BODY + "It’s concern about the debt that drives the vote in the committee.\n"
    assert [s for _, s, c in attributed(text) if c == "concern"] == []


def test_two_word_cue_and_bare_verb_after_a_plural_in_a_headline() -> None:
    text = "Federal Court Rules Against State Voting Law." + BODY
    assert ("Federal Court", "Rules Against") in [(s, c) for _, s, c in attributed(text)]
    text = "Black Lawmakers Rip Governor Over Budget Cuts." + BODY
    assert ("Governor", "Black Lawmakers", "Rip") in attributed(text)


def test_sourceless_claim_ends_with_the_cues_clause() -> None:
    text = BODY + "Voters seem to be moving behind the mayor, despite the scandal at city hall.\n"
    found = [x for x, _, c in attributed(text) if c == "seem"]
    assert found == ["Voters to be moving behind the mayor"]


def test_quote_signed_on_the_next_line_and_embedded_post_signature() -> None:
    text = (
        "Here is what the candidates said this week.\n"
        '"We will fix the roads before we build anything new."\n'
        "- Jane Rivera, Springfield.\n"
        '<post id="1">The council vote was a disgrace for this city. '
        "— Tom Baker (@tombaker) May 1, 2016</post>\n"
    )
    found = {s: (x, c) for x, s, c in attributed(text)}
    assert found["Jane Rivera"][0] == "We will fix the roads before we build anything new."
    assert found["Tom Baker"][0] == "The council vote was a disgrace for this city."
