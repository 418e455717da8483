"""`speaker_turns` tries `_TURN` only on paragraphs holding a colon: every match holds one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.rules_turns import _TURN

ALPHABET = "Ab z.'’&-\t\n:\"“”‘"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_every_turn_match_holds_a_colon(text: str) -> None:
    m = _TURN.match(text)
    assert m is None or ":" in m.group()


def test_turns_are_found_with_their_colon() -> None:
    for para in ("Ms. Smith: We will stay.", "“Mr. Lee: No comment", "ANALYST: rates will rise"):
        m = _TURN.match(para)
        assert m is not None and ":" in m.group()
    assert _TURN.match("No colon in this paragraph at all.") is None
