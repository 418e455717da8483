"""Known cues in sentence shapes the extractor used to miss (general English, not gold text)."""

from __future__ import annotations

from tests.claim_text import attributed


def test_sentence_final_attribution_wins_over_an_earlier_verb() -> None:
    text = "Many parents did not believe the new schedule would work, the principal said.\n"
    found = attributed(text)
    assert [(s, c) for _, s, c in found] == [("the principal", "said")]
    assert found[0][0] == "Many parents did not believe the new schedule would work"


def test_participle_with_an_object_frame_takes_the_subject() -> None:
    text = "The governor attacked the bill on Monday, calling it a gift to landlords.\n"
    assert ("it a gift to landlords.", "The governor", "calling") in attributed(text)


def test_intention_participle_is_left_to_the_writer() -> None:
    text = "The two towns split from the county, refusing to pay the new road tax.\n"
    assert not [a for a in attributed(text) if a[2] == "refusing"]


def test_conditional_clause_after_said() -> None:
    text = "The coach said if the rain stops, the final will be played tonight.\n"
    found = attributed(text)
    assert found and found[0][1:] == ("The coach", "said")
    assert found[0][0].startswith("if the rain stops")


def test_adverbial_aside_between_source_and_cue() -> None:
    text = "Local farmers, on the other hand, argued that the dam would ruin the river.\n"
    assert ("that the dam would ruin the river.", "Local farmers", "argued") in attributed(text)
    text = "Several economists in particular noted the rising cost of housing.\n"
    assert [s for _, s, c in attributed(text) if c == "noted"] == ["Several economists"]


def test_relative_clause_before_the_cue_is_not_the_source() -> None:
    text = "Teachers who spoke with the local paper said the strike would continue.\n"
    assert [s for _, s, c in attributed(text) if c == "said"] == ["Teachers"]


def test_poll_shares_are_sources() -> None:
    text = (
        "The survey asked parents about the new schedule. One in three said the school day was"
        " too long, while nearly half say they would keep it.\n"
    )
    found = {s: x for x, s, c in attributed(text)}
    assert found["One in three"] == "the school day was too long"
    assert "nearly half" in found
    assert not attributed("In 2014 said the plan would pass.\n")


def test_dash_aside_between_source_and_cue() -> None:
    text = "Ann Lee — a nurse from the valley — says she will vote for the new council.\n"
    assert ("she will vote for the new council.", "Ann Lee", "says") in attributed(text)


def test_age_aside_is_not_the_source() -> None:
    text = "Tom Reyes, 21, a student from the city, said he came to support the union.\n"
    assert [s for _, s, c in attributed(text) if c == "said"] == ["Tom Reyes"]


def test_non_restrictive_relative_clause_ends_at_its_comma() -> None:
    text = "The mayor, who said last week that the judge was unfair, issued a new statement.\n"
    assert ("that the judge was unfair", "who", "said") in attributed(text)


def test_fronted_phrase_before_a_conjoined_cue() -> None:
    text = "In a brief interview, Mayor Lee denied the report and said that no deal was made.\n"
    found = [(s, c) for _, s, c in attributed(text)]
    assert ("Mayor Lee", "said") in found


def test_according_to_in_mid_sentence_keeps_both_halves() -> None:
    text = "Since last spring, according to the union, the factory has cut 400 jobs.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "according to"]
    assert found == [("Since last spring the factory has cut 400 jobs.", "the union")]


def test_fronted_according_to_takes_the_whole_source() -> None:
    text = "According to a city survey out Thursday, most residents support the new park.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "According to"]
    assert found == [("most residents support the new park.", "a city survey out Thursday")]


def test_quote_then_source_with_a_relative_aside() -> None:
    text = (
        "“We will not close the clinic,” Dr. Ann B. Cole, who has run it since May, told"
        " reporters in the city.\n"
    )
    found = [(x, s, c) for x, s, c in attributed(text) if c == "told"]
    assert found == [("We will not close the clinic,", "Dr. Ann B. Cole", "told")]


def test_told_with_only_a_place_after_the_object_has_no_content() -> None:
    text = "The mayor told reporters on a visit to the harbor.\n"
    assert not [a for a in attributed(text) if a[2] == "told"]


def test_asked_question_at_the_end_of_a_sentence() -> None:
    text = "“It was a long night,” the coach said when asked how the team felt.\n"
    assert ("how the team felt.", None, "asked") in attributed(text)


def test_relative_clause_inside_the_content_does_not_end_it() -> None:
    text = "The minister said the talks, which began in May, remain the best chance for peace.\n"
    found = [x for x, s, c in attributed(text) if c == "said"]
    assert found == ["the talks, which began in May, remain the best chance for peace."]


def test_paired_dashes_inside_the_content_do_not_end_it() -> None:
    text = "The chief admitted that a rift — mostly among young officers — divides the force.\n"
    found = [x for x, s, c in attributed(text) if c == "admitted"]
    assert found == ["that a rift — mostly among young officers — divides the force."]


def test_subject_with_a_determiner_for_a_participle_cue() -> None:
    text = "The city council delayed the vote again, saying that the budget was not ready.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "saying"]
    assert found == [("that the budget was not ready.", "The city council")]


def test_sourceless_expectation_without_the_writers_framing() -> None:
    text = "After a week of talks, the council is expected to approve the plan on Monday.\n"
    found = [x for x, s, c in attributed(text) if c == "is expected"]
    assert found == ["the council to approve the plan"]
    text = "While the bill is not expected to pass this year, its backers keep pressing.\n"
    found = [x for x, s, c in attributed(text) if c and c.endswith("expected")]
    assert found == ["the bill to pass this year"]


def test_participle_after_a_quote_ends_the_content() -> None:
    text = "The aide called the plan a “ridiculous idea,” adding that the vote would fail.\n"
    found = {c: x for x, s, c in attributed(text)}
    assert found["called"] == "the plan a “ridiculous idea,”"


def test_one_word_answers_are_contents() -> None:
    text = "Asked if the plan was fair, 46 percent of voters said yes, up from 23 percent.\n"
    assert ("yes", "46 percent of voters", "said") in attributed(text)
    text = "The mayor said no to the new stadium.\n"
    assert ("no to the new stadium.", "The mayor", "said") in attributed(text)


def test_when_and_where_the_words_were_said_is_not_content() -> None:
    text = "The senator said the bill was dead on Wednesday at a rally.\n"
    assert ("the bill was dead", "The senator", "said") in attributed(text)


def test_short_fronted_phrase_before_a_parenthetical_attribution() -> None:
    text = "In any case, the analyst said, the market was already crowded with courses.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "said"]
    assert found == [("In any case the market was already crowded with courses.", "the analyst")]


def test_fronted_adverbial_and_participle_phrases_before_the_subject() -> None:
    text = "Shortly after the vote, the founders' families mobilized, warning that it would fail.\n"
    found = [s for _, s, c in attributed(text) if c == "warning"]
    assert found == ["the founders' families"]
    text = "But the report on Friday for the first time cited a memo by the inspector general.\n"
    assert [s for _, s, c in attributed(text) if c == "cited"] == ["the report"]


def test_quote_after_a_colon_is_not_a_paraphrase_of_the_sentence() -> None:
    text = "Gray listed the rules the family lived by: ''Good manners were assumed,'' he said.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "said"]
    assert found == [("Good manners were assumed,", "he")]


def test_no_inversion_when_a_clause_follows_the_cue() -> None:
    text = (
        "Gov. Ann Lee of Ohio, a Republican who has refused to endorse him, said the plan failed.\n"
    )
    found = {c: (x, s) for x, s, c in attributed(text)}
    assert found["said"] == ("the plan failed.", "Gov. Ann Lee of Ohio")
    assert found["refused"] == ("to endorse him", "who")


def test_cue_inside_a_fronted_subordinate_clause_ends_at_its_comma() -> None:
    text = "Although he admitted that the launch was late, he insisted that the product works.\n"
    found = {c: x for x, s, c in attributed(text)}
    assert found["admitted"] == "that the launch was late"
    assert found["insisted"] == "that the product works."


def test_cue_inside_a_mid_sentence_subordinate_clause_ends_at_its_comma() -> None:
    text = "The crowd cheered, when the mayor said the park would stay open, and then left.\n"
    found = {c: x for x, s, c in attributed(text)}
    assert found["said"] == "the park would stay open"


def test_a_quote_ending_in_a_period_closes_its_sentence() -> None:
    text = (
        "The campaign said in a statement that ''the senator will not be bullied.''"
        " A spokesman for Mr. Lee declined to comment.\n"
    )
    found = {c: (x, s) for x, s, c in attributed(text)}
    assert found["declined"] == ("to comment.", "A spokesman for Mr. Lee")


def test_time_and_place_phrase_before_the_content_ends_on_a_word() -> None:
    text = "The senator said in an interview with CNN on Sunday that the bill was dead.\n"
    assert ("that the bill was dead.", "The senator", "said") in attributed(text)
    text = "The senator said in a statement to reporters that the bill was dead.\n"
    assert ("that the bill was dead.", "The senator", "said") in attributed(text)


def test_only_speech_verbs_are_inverted_after_a_quote() -> None:
    text = "Ann Lee, star of the show “Brooklyn,” thanked the mayor for the new park.\n"
    assert not [a for a in attributed(text) if a[1] == "the mayor"]
    text = "“We will win,” said the mayor.\n"
    assert ("We will win,", "the mayor", "said") in attributed(text)


def test_postcue_with_the_rest_of_a_skipped_phrase_after_the_cue() -> None:
    text = "The plan will work, she said in a video message to the convention.\n"
    assert ("The plan will work", "she", "said") in attributed(text)


def test_passive_asked_with_a_time_phrase_or_an_agent() -> None:
    text = "Asked by a reporter whether the plant would close, the mayor shook her head.\n"
    assert ("whether the plant would close", "a reporter", "Asked") in attributed(text)
    text = "Asked on Monday whether he would run, the senator smiled.\n"
    assert ("whether he would run", None, "Asked") in attributed(text)


def test_conjoined_cue_after_a_dateline_or_a_fronted_phrase() -> None:
    text = "PORTLAND, Maine (AP) - Mayor Ann Lee toured the harbor and said the port would grow.\n"
    found = [s for _, s, c in attributed(text) if c == "said"]
    assert len(found) == 1 and found[0].startswith("Mayor Ann Lee")
    text = (
        "Beyond the video, the report cited interviews with staff and said that the guard left.\n"
    )
    assert [s for _, s, c in attributed(text) if c == "said"] == ["the report"]


def test_content_before_told_and_its_object() -> None:
    text = "The union will likely sit out the election, its director told reporters on Monday.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "told"]
    assert found == [("The union will likely sit out the election", "its director")]


def test_singular_determiner_subjects_and_a_number_inside_the_clause() -> None:
    text = (
        "While one survey says there are 2,400 stores in the state, another says there are 1,800.\n"
    )
    found = {s: x for x, s, c in attributed(text)}
    assert found["one survey"] == "there are 2,400 stores in the state"
    assert found["another"] == "there are 1,800."


def test_postcue_before_a_semicolon() -> None:
    text = "The party needs 40 percent of the vote, analysts say; in 2012 it won 27 percent.\n"
    found = [(x, s) for x, s, c in attributed(text) if c == "say"]
    assert found == [("The party needs 40 percent of the vote", "analysts")]


def test_bare_weekday_between_source_and_cue() -> None:
    text = "The senator Thursday said the bill was dead.\n"
    assert ("the bill was dead.", "The senator", "said") in attributed(text)


def test_split_quote_around_an_attribution_with_a_participle_aside() -> None:
    text = "“Every time you say that,” the senator said, pointing at him, “you help our rivals.”\n"
    found = [x for x, s, c in attributed(text) if c == "said"]
    assert found == ["Every time you say that, you help our rivals."]


def test_object_pronoun_after_told() -> None:
    text = "Border officials told him that his visa had expired long ago.\n"
    assert ("that his visa had expired long ago.", "Border officials", "told") in attributed(text)


def test_irregular_past_verb_ends_the_subject() -> None:
    text = "The senator stood firm and said the plant would close in June.\n"
    assert [s for _, s, c in attributed(text) if c == "said"] == ["The senator"]


def test_with_absolute_participle_takes_its_own_subject() -> None:
    text = "Turnout was high, with about three in 10 saying they were very liberal.\n"
    assert ("they were very liberal.", "about three in 10", "saying") in attributed(text)


def test_participle_after_a_dash_takes_the_subject() -> None:
    text = "The chair dismissed the charge — saying the union chose not to accept the offer.\n"
    found = [(c, s) for c, s, q in attributed(text) if q == "saying"]
    assert found == [("the union chose not to accept the offer.", "The chair")]


def test_apposition_with_a_number_falls_back_to_the_opening_name() -> None:
    text = "Jane Doe, the city's mayor from 2007 to 2013, said the bridge must be rebuilt.\n"
    assert ("the bridge must be rebuilt.", "Jane Doe", "said") in attributed(text)


def test_place_adverb_between_source_and_cue() -> None:
    text = "Farmers there say the new dam will ruin the river.\n"
    assert ("the new dam will ruin the river.", "Farmers", "say") in attributed(text)


def test_second_subject_and_speech_verb_end_the_first_content() -> None:
    text = "Many said the plan was too costly and one in four said it was outright harmful.\n"
    found = attributed(text)
    assert ("the plan was too costly", "Many", "said") in found
    assert ("it was outright harmful.", "one in four", "said") in found


def test_a_name_or_pronoun_is_a_whole_object() -> None:
    found = attributed("The union leader blasted Jones and defended the mayor in a speech.\n")
    assert ("Jones", "The union leader", "blasted") in found
    found = attributed("Local business owners decried it.\n")
    assert [(c, s) for c, s, q in found if q == "decried"] == [("it.", "Local business owners")]


def test_a_cue_after_a_possessive_is_a_noun() -> None:
    text = "The senator, a veteran of two wars, denounced the mayor's remarks.\n"
    assert [q for _, _, q in attributed(text)] == ["denounced"]
    text = "He's said the deal was fair.\n"
    assert [(c, q) for c, _, q in attributed(text)] == [("the deal was fair.", "said")]


def test_partitive_source_after_an_inverted_cue() -> None:
    text = '"There is no path left for the team," said one of those coaches.\n'
    assert [s for _, s, c in attributed(text) if c == "said"] == ["one of those coaches"]


def test_long_parenthetical_between_source_and_cue() -> None:
    text = "Mr. Lee (who has 25 votes to date) said it is possible to win the seat.\n"
    assert ("it is possible to win the seat.", "Mr. Lee", "said") in attributed(text)
    text = "Mr. Lee (who has held the seat since 2004 and chairs the panel) said it is over.\n"
    assert ("it is over.", "Mr. Lee", "said") in attributed(text)


def test_but_with_a_second_speech_verb_ends_the_content() -> None:
    text = "The mayor says she respects the union but argues that it cannot have everything.\n"
    found = attributed(text)
    assert ("she respects the union", "The mayor", "says") in found
    assert [c for c, _, q in found if q == "argues"] == ["that it cannot have everything."]


def test_multiword_participle_after_a_quote_takes_the_quote_speaker() -> None:
    text = '"The odds are pretty good," Ms. Park said, referring to the seats her party holds.\n'
    assert ("the seats her party holds.", "Ms. Park", "referring to") in attributed(text)


def test_even_as_clause_ends_its_content_at_the_comma() -> None:
    text = "Even as my uncle referred to the mayor as a crook, I knew the talk was wrong.\n"
    found = [(c, s) for c, s, q in attributed(text) if q == "referred to"]
    assert found == [("the mayor as a crook", "my uncle")]


def test_place_between_object_and_that_clause() -> None:
    text = "The mayor told reporters at a news conference in Dallas that the plant would close.\n"
    assert ("that the plant would close.", "The mayor", "told") in attributed(text)


def test_interview_with_a_named_outlet_is_skipped_whole() -> None:
    text = "The senator said in an interview with The Daily Planet that the bill would pass.\n"
    assert ("that the bill would pass.", "The senator", "said") in attributed(text)


def test_quote_after_told_with_an_apposition_source() -> None:
    text = "Jane Roe, who ran last year, told the paper, “Of the three, I like Lee best.”\n"
    assert ("Of the three, I like Lee best.", "Jane Roe", "told") in attributed(text)


def test_quote_after_told_with_a_parenthetical_object() -> None:
    text = "As the bishop told the Associated Press (AP), “We have suffered the same fate.”\n"
    assert ("We have suffered the same fate.", "the bishop", "told") in attributed(text)


def test_split_quote_joins_after_told_with_object_and_time() -> None:
    text = '"This is a political thing," he told the radio host in October, "and a bad one."\n'
    found = [(c, q) for c, _, q in attributed(text)]
    assert found == [("This is a political thing, and a bad one.", "told")]


def test_month_after_the_cue_is_no_content() -> None:
    text = "The board said in October that the school would close.\n"
    assert ("that the school would close.", "The board", "said") in attributed(text)


def test_said_of_a_topic_before_a_colon_quote() -> None:
    text = "Last year she said of the new tax: “Nobody will pay it in the end.”\n"
    assert ("Nobody will pay it in the end.", "she", "said") in attributed(text)


def test_no_as_a_determiner_opens_the_content() -> None:
    text = "Public records show no gifts from the mayor since 2008.\n"
    found = [c for c, _, q in attributed(text) if q == "show"]
    assert found == ["no gifts from the mayor since 2008."]
    text = "The clerk said no decision had been made about the appeal.\n"
    assert ("no decision had been made about the appeal.", "The clerk", "said") in attributed(text)
