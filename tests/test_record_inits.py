"""The records whose `__init__` is written out (so mypyc compiles it) behave as the dataclass
would have generated it: every field set in order, by position or by keyword, the same
defaults, still frozen, equal and hashable by value."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pipeline.claims.draft import Draft
from pipeline.claims.model import Claim, ClaimKind, Quantity, SpeakerType, Stance
from pipeline.claims.quantities import _Reading
from pipeline.claims.quotes import Quote
from pipeline.claims.speakers import Mention, SpeakerResolver
from pipeline.extraction import DocumentExtraction, extract_document
from pipeline.segment import Segment, Segmentation, Sentence, _Line, segment
from tests.conftest import SEED_TEXT

# one value per field, all different from the field's default and from each other
VALUES: dict[type, tuple[Any, ...]] = {
    Segment: (3, "heading", 10, 42),
    Sentence: (4, 2, 11, 40),
    _Line: (5, 9, True, True),
    Claim: (
        ClaimKind.INDIRECT,
        ((1, 5), (8, 12)),
        "indirect_forward",
        (13, 17),
        "say",
        Stance.HEDGED,
        (20, 24),
        "Jane Doe",
        SpeakerType.PERSON,
    ),
    Quantity: (1, 6, "2000", 2000.0, 2500.0, "troops", "troop", "~"),
    Draft: (ClaimKind.MIXED, ((2, 9),), "direct_quote", (10, 14), None, (15, 20), 7),
    _Reading: (1, 4, 1.5, 2.5, "km", "kilometre", "unit", "up", True),
    Mention: ("the minister", "Jane", "minister", "France", "ministry", True, True, True),
    Quote: (3, 20, ((4, 10), (12, 19))),
    Segmentation: ([Segment(0, "title", 0, 5)], [Sentence(0, 0, 0, 5)]),
    DocumentExtraction: (
        [Claim(ClaimKind.AUTHOR, ((0, 5),), "author_statement")],
        [Quantity(1, 6, "2000", 2000.0, 2000.0, None, None, "=")],
    ),
}
FROZEN = (
    Segment,
    Sentence,
    _Line,
    Claim,
    Quantity,
    Mention,
    Quote,
    Segmentation,
    DocumentExtraction,
)
UNHASHABLE = (Segmentation, DocumentExtraction)  # their lists are not hashable, as before


@pytest.mark.parametrize("cls", list(VALUES), ids=lambda c: c.__name__)
def test_init_sets_every_field_in_order(cls: type) -> None:
    values = VALUES[cls]
    names = [f.name for f in dataclasses.fields(cls)]
    by_position = cls(*values)
    by_keyword = cls(**dict(zip(names, values, strict=True)))
    assert [getattr(by_position, n) for n in names] == list(values)
    assert by_keyword == by_position
    assert dataclasses.replace(by_position) == by_position


@pytest.mark.parametrize("cls", list(VALUES), ids=lambda c: c.__name__)
def test_defaults_are_the_fields_defaults(cls: type) -> None:
    fields = dataclasses.fields(cls)
    required = [f for f in fields if f.default is dataclasses.MISSING]
    made = cls(*VALUES[cls][: len(required)])
    for f in fields[len(required) :]:
        assert getattr(made, f.name) == f.default, f.name
    with pytest.raises(TypeError):
        cls(*VALUES[cls][: len(required) - 1])


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: c.__name__)
def test_frozen_records_stay_frozen_and_hash_by_value(cls: type) -> None:
    a, b = cls(*VALUES[cls]), cls(*VALUES[cls])
    assert a == b
    if cls not in UNHASHABLE:
        assert hash(a) == hash(b) and len({a, b}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, dataclasses.fields(cls)[0].name, VALUES[cls][0])


def test_extracted_records_round_trip_through_their_fields() -> None:
    """The claims, quantities and sentences of a real article rebuild equal from their fields."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    sentences = segment(text).sentences
    found = extract_document(text, [(s.start, s.end) for s in sentences])
    records = [*sentences, *found.claims, *found.quantities]
    assert found.claims and found.quantities
    for r in records:
        assert type(r)(**{f.name: getattr(r, f.name) for f in dataclasses.fields(r)}) == r


def test_a_new_speaker_resolver_starts_every_field_at_its_default() -> None:
    made = SpeakerResolver.for_document("Jane Doe said so.", [(0, 17)])
    assert (made.text, made.sentence_starts) == ("Jane Doe said so.", [0])
    for f in dataclasses.fields(SpeakerResolver)[2:]:
        default = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
        assert getattr(made, f.name) == default and type(getattr(made, f.name)) is type(default)
    other = SpeakerResolver.for_document("", [])
    assert all(
        getattr(other, f.name) is not getattr(made, f.name)
        for f in dataclasses.fields(SpeakerResolver)[2:]
        if f.default_factory is not dataclasses.MISSING
    )  # no container shared between documents
