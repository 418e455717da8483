"""One call that extracts everything from a document: claims (with speakers) and quantities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.claims.extract import EXTRACTOR_VERSION as CLAIMS_VERSION
from pipeline.claims.extract import extract_claims
from pipeline.claims.model import Claim, Quantity
from pipeline.claims.quantities import find_quantities

#: Version of everything extraction writes; part of every claim id, so a change is a new claim.
EXTRACTOR_VERSION = CLAIMS_VERSION


@dataclass(frozen=True, slots=True, init=False)
class DocumentExtraction:
    claims: list[Claim]
    quantities: list[Quantity]

    # written out (init=False): mypyc compiles it to C, dataclass's generated one stays Python
    # (~0.9 us a document)
    def __init__(self, claims: list[Claim], quantities: list[Quantity]) -> None:
        object.__setattr__(self, "claims", claims)
        object.__setattr__(self, "quantities", quantities)


def extract_document(text: str, sentences: Sequence[tuple[int, int]]) -> DocumentExtraction:
    return DocumentExtraction(
        claims=extract_claims(text, sentences), quantities=find_quantities(text)
    )
