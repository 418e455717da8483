"""The cross-document speakers table: merges that must happen, merges that must not, counts.

Real data: the PolNeAR dev articles (84 articles from 7 US outlets, many citing the same
politicians) run through every stage. Small frames pin down each merge rule on its own.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline.config import Settings
from pipeline.speaker_merge import speaker_mapping
from pipeline.speaker_table import merge_speakers
from pipeline.stages import speaker_id
from tests.conftest import SHARED
from tests.test_warehouse import build

DEV_DOCS = SHARED / "eval" / "polnear" / "dev" / "docs"


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    root: Path = tmp_path_factory.mktemp("polnear_dev")
    shutil.copytree(DEV_DOCS, root / "raw")
    return build(Settings(input_dir=root / "raw", warehouse_dir=root / "warehouse"))


@pytest.fixture(scope="module")
def in_document(dev: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The claims as the extractor left them: speaker ids before the cross-document merge."""
    claims = dev["claims"]
    ids = [
        speaker_id(name, kind) if name is not None else None
        for name, kind in claims.select("speaker_name", "speaker_type").iter_rows()
    ]
    return claims.with_columns(pl.Series("speaker_id", ids, dtype=pl.Utf8))


def _claims(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """Claims frame from (doc_id, speaker_name, speaker_type), one claim per row."""
    return pl.DataFrame(
        [
            {
                "claim_id": f"c{i}",
                "doc_id": doc,
                "source_text": name,
                "speaker_id": speaker_id(name, kind),
                "speaker_name": name,
                "speaker_type": kind,
            }
            for i, (doc, name, kind) in enumerate(rows)
        ]
    )


def _speaker_of(claims: pl.DataFrame, name: str, doc: str | None = None) -> set[str]:
    rows = claims.filter(pl.col("speaker_name") == name)
    if doc is not None:
        rows = rows.filter(pl.col("doc_id") == doc)
    return set(rows["speaker_id"])


# --- real data -------------------------------------------------------------------------------


def test_counts_add_up_to_the_claims_table(dev: dict[str, pl.DataFrame]) -> None:
    claims, speakers = dev["claims"], dev["speakers"]
    attributed = claims.filter(pl.col("speaker_id").is_not_null())
    assert speakers["n_claims"].sum() == attributed.height
    assert set(attributed["speaker_id"]) == set(speakers["speaker_id"])
    recount = attributed.group_by("speaker_id").agg(
        pl.col("doc_id").n_unique().cast(pl.Int64).alias("docs"),
        pl.len().cast(pl.Int64).alias("n"),
    )
    joined = speakers.join(recount, on="speaker_id")
    assert joined.height == speakers.height
    assert (joined["n_documents"] == joined["docs"]).all()
    assert (joined["n_claims"] == joined["n"]).all()


def test_speakers_merge_across_documents(
    dev: dict[str, pl.DataFrame], in_document: pl.DataFrame
) -> None:
    before = in_document["speaker_id"].drop_nulls().n_unique()
    assert dev["speakers"].height < before
    hillary = dev["speakers"].filter(pl.col("canonical_name") == "Hillary Clinton")
    assert hillary.height == 1
    plain = in_document.filter(pl.col("speaker_name") == "Hillary Clinton")
    assert hillary["n_documents"][0] >= plain["doc_id"].n_unique() >= 5


def test_people_sharing_a_surname_stay_apart(dev: dict[str, pl.DataFrame]) -> None:
    claims = dev["claims"]
    bill, hillary = _speaker_of(claims, "Bill Clinton"), _speaker_of(claims, "Hillary Clinton")
    assert len(bill) == len(hillary) == 1 and bill != hillary
    # in no merged speaker do two different plain "First Last" names meet
    plain = claims.filter(pl.col("speaker_name").str.contains(r"^[A-Z][a-z]+ [A-Z][a-z'-]+$"))
    names = plain.group_by("speaker_id").agg(pl.col("speaker_name").str.to_lowercase().n_unique())
    assert names["speaker_name"].max() == 1


def test_a_person_and_an_organization_never_merge(dev: dict[str, pl.DataFrame]) -> None:
    claims = dev["claims"].filter(pl.col("speaker_id").is_not_null())
    honorific = pl.col("speaker_name").str.contains(r"^(?:Mr|Mrs|Ms|Dr)\.? ")
    person = (pl.col("speaker_type") == "person") | honorific
    kinds = claims.group_by("speaker_id").agg(person.n_unique().alias("kinds"))
    assert kinds["kinds"].max() == 1
    org = _speaker_of(claims, "Clinton campaign")
    assert org and org.isdisjoint(_speaker_of(claims, "Hillary Clinton"))


def test_merge_is_deterministic(in_document: pl.DataFrame) -> None:
    claims, speakers = merge_speakers(in_document)
    shuffled_claims, shuffled_speakers = merge_speakers(in_document.sample(fraction=1.0, seed=7))
    assert speakers.equals(shuffled_speakers)
    assert claims.sort("claim_id").equals(shuffled_claims.sort("claim_id"))
    assert claims["claim_id"].to_list() == in_document["claim_id"].to_list()


def test_full_names_keep_their_id_when_a_document_is_dropped(in_document: pl.DataFrame) -> None:
    busiest = in_document.group_by("doc_id").len().sort(["len", "doc_id"]).tail(3)["doc_id"]
    full = merge_speakers(in_document)[0]
    fewer = merge_speakers(in_document.filter(~pl.col("doc_id").is_in(busiest.implode())))[0]
    plain = pl.col("speaker_name").str.contains(r"^[A-Z][a-z]+ [A-Z][a-z'-]+$")
    pairs = (
        full.filter(plain)
        .select("claim_id", "speaker_id")
        .join(fewer.select("claim_id", "speaker_id"), on="claim_id")
    )
    assert pairs.height > 100
    assert (pairs["speaker_id"] == pairs["speaker_id_right"]).all()


# --- one rule at a time ----------------------------------------------------------------------


def test_titles_honorifics_middle_names_and_case_merge() -> None:
    claims = _claims(
        [
            ("d1", "Hillary Clinton", "person"),
            ("d2", "Hillary Rodham Clinton", "person"),
            ("d3", "Mrs. Clinton", "other"),
            ("d4", "Secretary Clinton", "person"),
            ("d5", "HILLARY  CLINTON", "person"),
            ("d6", "Democrat Hillary Clinton", "person"),
            ("d7", "Brooklyn -Mrs. Clinton", "other"),
            ("d8", "Mr. Clinton's lawyers", "other"),
        ]
    )
    merged, speakers = merge_speakers(claims)
    assert merged["speaker_id"].head(7).n_unique() == 1
    assert merged["speaker_id"][7] != merged["speaker_id"][0]
    row = speakers.filter(pl.col("speaker_type") == "person").row(0, named=True)
    assert (row["canonical_name"], row["n_documents"], len(row["name_variants"])) == (
        "Hillary Clinton",
        7,
        7,
    )


def test_organizations_with_article_possessive_and_dots_merge() -> None:
    claims = _claims(
        [
            ("d1", "the Pentagon", "organization"),
            ("d2", "Pentagon's", "organization"),
            ("d3", "Pentagon", "government"),
            ("d1", "U.S. State Department", "government"),
            ("d2", "US State Department", "government"),
            ("d3", "Pentagon", "person"),
        ]
    )
    merged, speakers = merge_speakers(claims)
    groups = merged.filter(pl.col("speaker_type") != "person")
    assert groups.group_by("speaker_id").len()["len"].sort().to_list() == [2, 3]
    # the resolver's "Pentagon" typed as a person stays apart from the organization
    as_person = set(merged.filter(pl.col("speaker_type") == "person")["speaker_id"])
    assert as_person.isdisjoint(_speaker_of(merged, "the Pentagon"))
    assert speakers.filter(pl.col("n_claims") == 3)["canonical_name"].to_list() == ["Pentagon"]


def test_a_surname_merges_only_when_one_full_name_carries_it() -> None:
    claims = _claims(
        [
            ("d1", "Hillary Clinton", "person"),
            ("d1", "Clinton", "person"),  # d1 knows only Hillary
            ("d2", "Bill Clinton", "person"),
            ("d2", "Clinton", "person"),  # d2 knows only Bill
            ("d3", "Clinton", "person"),  # nothing in d3, two Clintons in the corpus
            ("d3", "Barack Obama", "person"),
            ("d4", "Obama", "person"),  # one Obama in the corpus
            ("d5", "Hillary Clinton", "person"),
            ("d5", "Bill Clinton", "person"),
            ("d5", "Clinton", "person"),  # both in d5: ambiguous
        ]
    )
    merged, _ = merge_speakers(claims)
    hillary, bill = _speaker_of(merged, "Hillary Clinton"), _speaker_of(merged, "Bill Clinton")
    assert hillary != bill
    assert _speaker_of(merged, "Clinton", "d1") == hillary
    assert _speaker_of(merged, "Clinton", "d2") == bill
    alone = _speaker_of(merged, "Clinton", "d3")
    assert alone.isdisjoint(hillary | bill) and _speaker_of(merged, "Clinton", "d5") == alone
    assert _speaker_of(merged, "Obama") == _speaker_of(merged, "Barack Obama")


def test_middle_initials_and_suffixes_tell_people_apart() -> None:
    claims = _claims(
        [
            ("d1", "George W. Bush", "person"),
            ("d2", "George H.W. Bush", "person"),
            ("d3", "George Bush", "person"),
            ("d4", "Donald Trump", "person"),
            ("d5", "Donald Trump Jr.", "person"),
            ("d6", "Donald J. Trump", "person"),
        ]
    )
    merged, _ = merge_speakers(claims)
    bushes = [_speaker_of(merged, n) for n in ("George W. Bush", "George H.W. Bush", "George Bush")]
    assert len(set().union(*bushes)) == 3
    assert _speaker_of(merged, "Donald J. Trump") == _speaker_of(merged, "Donald Trump")
    assert _speaker_of(merged, "Donald Trump Jr.") != _speaker_of(merged, "Donald Trump")


def test_junk_before_a_name_and_acronyms() -> None:
    claims = _claims(
        [
            ("d1", "Donald Trump", "person"),
            ("d2", "FULL TEXT. Donald Trump", "person"),
            ("d3", "Ted Cruz Hints Donald Trump", "person"),
            ("d4", "Priorities USA", "person"),
            ("d5", "USA", "person"),
        ]
    )
    merged, speakers = merge_speakers(claims)
    assert merged["speaker_id"].head(3).n_unique() == 1
    assert _speaker_of(merged, "USA") != _speaker_of(merged, "Priorities USA")
    assert "Donald Trump" in speakers["canonical_name"].to_list()


def test_merged_id_is_stable_when_a_document_adds_an_alias() -> None:
    base = [("d1", "Hillary Clinton", "person"), ("d2", "Bill Clinton", "person")]
    more = [*base, ("d3", "Hillary Rodham Clinton", "person"), ("d3", "Clinton", "person")]
    before = _speaker_of(merge_speakers(_claims(base))[0], "Hillary Clinton")
    after = merge_speakers(_claims(more))[0]
    assert _speaker_of(after, "Hillary Clinton") == before
    assert _speaker_of(after, "Hillary Rodham Clinton") == before
    assert _speaker_of(after, "Clinton") == before


def test_mapping_is_one_row_per_speaker_of_a_document(in_document: pl.DataFrame) -> None:
    mapping = speaker_mapping(in_document)
    keys = ["doc_id", "speaker_id", "speaker_name", "speaker_type"]
    assert mapping.select(keys).is_duplicated().sum() == 0
    assert mapping["merged_id"].null_count() == 0
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in mapping["merged_id"].unique())


@pytest.mark.parametrize(("organization", "government"), [(3, 1), (1, 3)])
def test_a_group_takes_the_type_most_of_its_claims_give(organization: int, government: int) -> None:
    # two mentions of one group, each counted by its claims, not once per mention
    claims = _claims(
        [("d1", "the Pentagon", "organization")] * organization
        + [("d2", "the Pentagon", "government")] * government
    )
    merged, speakers = merge_speakers(claims)
    assert merged["speaker_id"].n_unique() == 1
    row = speakers.row(0, named=True)
    assert row["n_claims"] == organization + government and row["n_documents"] == 2
    assert row["speaker_type"] == ("organization" if organization > government else "government")


def test_canonical_name_is_the_spelling_of_most_claims() -> None:
    # one mention each: by mentions the longer spelling would win the tie
    rows = [("d1", "Hillary Rodham Clinton", "person")] + [("d2", "Hillary Clinton", "person")] * 3
    _, speakers = merge_speakers(_claims(rows))
    assert speakers["canonical_name"].to_list() == ["Hillary Clinton"]
    assert speakers["n_claims"].to_list() == [4]
