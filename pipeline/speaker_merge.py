"""Which in-document speakers are the same person or organization across documents.

Rules, in order (all joins and group-bys over distinct names, never a loop over claims):

1. Every name gets its own key (`speaker_merge_names`): persons by first + last word after
   honorifics, titles and suffixes are dropped; groups by the case-folded name without article,
   dots or possessive. Persons and groups never share a key, so they never merge.
2. A person name of three or more words whose first + last key no two-word name has, but whose
   last two words are a two-word name, is that name with junk in front ("Francois Hollande Says
   Donald Trump" → "Donald Trump"); a middle name alone never merges (Hillary Rodham Clinton
   keys as Hillary Clinton already).
3. Two full names with the same first and last word but different middle initials are different
   people ("George W. Bush", "George H.W. Bush"); the bare "George Bush" then stays apart.
4. A surname alone merges into the one full name with that surname in its document; when its
   document has none, into the one full name with that surname in the whole corpus; otherwise
   (two Clintons) it stays a speaker of its own.

The merged id is the hash of the cluster's key, which is a name's own key, so it does not change
when a new document adds an alias to a cluster.
"""

from __future__ import annotations

import polars as pl

from pipeline.speaker_merge_names import PERSON, name_forms
from pipeline.stages import speaker_id

#: Columns that identify one in-document speaker of one document.
SPEAKER_COLUMNS = ["speaker_id", "speaker_name", "speaker_type"]


def _tail_merge(forms: pl.DataFrame) -> pl.DataFrame:
    full = pl.col("named") & (pl.col("cls") == PERSON)
    two_word = forms.filter(full & (pl.col("n_tokens") == 2)).select("key").unique()
    anchors = two_word.with_columns(pl.lit(True).alias("_anchor"))
    forms = forms.join(anchors, on="key", how="left").join(
        anchors.rename({"key": "tail", "_anchor": "_tail_anchor"}), on="tail", how="left"
    )
    junk_in_front = (
        full
        & (pl.col("n_tokens") >= 3)
        & pl.col("_anchor").is_null()
        & pl.col("_tail_anchor").is_not_null()
    )
    return forms.with_columns(
        pl.when(junk_in_front).then(pl.col("tail")).otherwise(pl.col("key")).alias("cluster"),
        junk_in_front.alias("_tail_merged"),
    ).drop("_anchor", "_tail_anchor")


def _split_middles(forms: pl.DataFrame) -> pl.DataFrame:
    has_middle = (
        pl.col("named")
        & (pl.col("cls") == PERSON)
        & (pl.col("middle") != "")
        & ~pl.col("_tail_merged")
    )
    conflicts = (
        forms.filter(has_middle)
        .group_by("cluster")
        .agg(pl.col("middle").n_unique().alias("_middles"))
        .filter(pl.col("_middles") > 1)
    )
    forms = forms.join(conflicts, on="cluster", how="left")
    split = has_middle & pl.col("_middles").is_not_null()
    with_middle = pl.concat_str(pl.col("first"), pl.col("middle"), pl.col("last"), separator=" ")
    forms = forms.with_columns(
        pl.when(split).then(with_middle).otherwise(pl.col("cluster")).alias("cluster"),
        pl.when(split).then(with_middle).otherwise(pl.col("key")).alias("key"),
    )
    return forms.drop("_middles", "_tail_merged")


def _surname_targets(mentions: pl.DataFrame) -> pl.DataFrame:
    """The surname alone → its full name, per document, with the corpus as the fallback."""
    full_names = mentions.filter(
        pl.col("named") & (pl.col("cls") == PERSON) & (pl.col("n_tokens") >= 2)
    )

    def unique_target(frame: pl.DataFrame, by: list[str], prefix: str) -> pl.DataFrame:
        return (
            frame.group_by(by)
            .agg(
                pl.col("cluster").n_unique().alias(f"{prefix}_n"),
                pl.col("cluster").min().alias(f"{prefix}_target"),
            )
            .rename({"last": "key"})
        )

    in_doc = unique_target(full_names, ["doc_id", "last"], "_doc")
    in_corpus = unique_target(full_names, ["last"], "_corpus")
    surname = pl.col("surname_only")
    mentions = mentions.join(in_doc, on=["doc_id", "key"], how="left").join(
        in_corpus, on="key", how="left"
    )
    target = (
        pl.when(surname & (pl.col("_doc_n") == 1))
        .then(pl.col("_doc_target"))
        .when(surname & pl.col("_doc_n").is_null() & (pl.col("_corpus_n") == 1))
        .then(pl.col("_corpus_target"))
        .otherwise(pl.col("cluster"))
    )
    return mentions.with_columns(target.alias("cluster")).drop(
        "_doc_n", "_doc_target", "_corpus_n", "_corpus_target"
    )


def speaker_mapping(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per (doc_id, speaker_id, speaker_name, speaker_type) of the attributed claims:
    the merged speaker id, the cluster class, the display name and whether the name is native
    to its cluster (its own key is the cluster's key, the candidates for the canonical name)."""
    return speaker_mapping_with_forms(claims)[0]


def speaker_mapping_with_forms(claims: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`speaker_mapping`, and the `name_forms` of every distinct name (`speaker_cache` keeps
    them)."""
    mentions = (
        claims.filter(pl.col("speaker_id").is_not_null())
        .select("doc_id", *SPEAKER_COLUMNS)
        .unique()
    )
    own_forms = name_forms(mentions.select(SPEAKER_COLUMNS).unique())
    forms = _split_middles(_tail_merge(own_forms))
    mentions = _surname_targets(mentions.join(forms, on=SPEAKER_COLUMNS, how="left"))
    clusters = mentions.select("cls", "cluster").unique()
    ids = pl.Series(
        "merged_id",
        [speaker_id(key, cls) for cls, key in clusters.iter_rows()],
        dtype=pl.Utf8,
    )
    mapping = mentions.join(clusters.with_columns(ids), on=["cls", "cluster"], how="left")
    return mapping.select(
        "doc_id",
        *SPEAKER_COLUMNS,
        "merged_id",
        "cls",
        "display",
        (pl.col("key") == pl.col("cluster")).alias("native"),
    ), own_forms
