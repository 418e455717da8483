"""Pandera models of every table: the data dictionary.

Column docs in the README, Dagster column metadata and the dataset card are all generated from
these models, so a column is described exactly once. Checks here are per table; checks across
tables (referential integrity, offsets against the document text) live in `pipeline.integrity`.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl

from pipeline.claims.model import ClaimKind, SpeakerType, Stance
from pipeline.ingest.records import RejectReason
from pipeline.lean_imports import without_pandas

with without_pandas():  # Pandera's pandas API is ~0.3 s of import no run uses
    import pandera.polars as pa

SPAN_LIST = pl.List(pl.Struct({"start": pl.Int64, "end": pl.Int64}))
STR_LIST = pl.List(pl.Utf8)

CHANGE_VALUES = ["=", "~", ">", "<", "up", "down"]
SEGMENT_KINDS = ["title", "heading", "paragraph"]


def _start_before_end(data: pa.PolarsData, start: str = "start", end: str = "end") -> pl.LazyFrame:
    return data.lazyframe.select(pl.col(start) < pl.col(end))


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True  # an unexpected column is a schema change: make it deliberate
        coerce = False


class InputFiles(_Strict):
    """One row per input file seen by a run: the ledger that every record is reconciled against."""

    input_path: str = pa.Field(
        unique=True, description="Path of the file, relative to the input folder."
    )
    partition_key: str = pa.Field(
        description="Dagster partition key of the file (slug + path hash)."
    )
    file_sha256: str = pa.Field(str_length=64, description="SHA-256 of the file's bytes as read.")
    size_bytes: int = pa.Field(ge=0, description="Size of the file on disk in bytes.")
    n_records: int = pa.Field(ge=0, description="Records seen in the file (articles + rejections).")
    n_documents: int = pa.Field(ge=0, description="Records that became a document source row.")
    n_rejected: int = pa.Field(ge=0, description="Records quarantined in rejected_inputs.")

    @pa.dataframe_check
    def records_add_up(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Nothing is lost: every record seen is either a document source or a rejection."""
        return data.lazyframe.select(
            pl.col("n_records") == pl.col("n_documents") + pl.col("n_rejected")
        )


class Documents(_Strict):
    """One row per distinct article text; offsets in every other table point into `text`."""

    doc_id: str = pa.Field(
        unique=True,
        str_length=16,
        description="Stable id: first 16 hex digits of the SHA-256 of the normalized text.",
    )
    title: str | None = pa.Field(
        nullable=True, description="Headline, from metadata or the text's headline line."
    )
    outlet: str | None = pa.Field(
        nullable=True, description="Publisher or outlet name as given in the metadata."
    )
    url: str | None = pa.Field(nullable=True, description="Canonical URL of the article, if known.")
    author: str | None = pa.Field(nullable=True, description="Byline, if known.")
    published_at: date | None = pa.Field(
        nullable=True, description="Publication date; null when missing or unparseable."
    )
    language: str | None = pa.Field(
        nullable=True, description="Language code from metadata (e.g. 'en')."
    )
    encoding: str = pa.Field(description="Encoding the input bytes were decoded from.")
    n_chars: int = pa.Field(gt=0, description="Length of `text` in Unicode code points.")
    text_sha256: str = pa.Field(str_length=64, description="SHA-256 of `text` encoded as UTF-8.")
    text: str = pa.Field(
        description="The normalized article text (UTF-8, \\n newlines, no NUL): the string all offsets index."
    )
    metadata_notes: pl.List(pl.Utf8) = pa.Field(
        description="Metadata problems that were nulled rather than rejected."
    )

    @pa.dataframe_check
    def n_chars_matches_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("text").str.len_chars() == pl.col("n_chars"))


class DocumentSources(_Strict):
    """Where each document was seen: the same article in two files is one document, two rows here."""

    doc_id: str = pa.Field(
        str_length=16, description="The document this record became (documents.doc_id)."
    )
    input_path: str = pa.Field(description="Input file, relative to the input folder.")
    locator: str = pa.Field(
        description="Where in the file: 'file', 'line N' (JSONL) or 'row N' (CSV, Parquet)."
    )
    source_record_id: str | None = pa.Field(
        nullable=True, description="The record's own `id` field, if it had one."
    )
    partition_key: str = pa.Field(description="Dagster partition key of the input file.")

    @pa.dataframe_check
    def one_row_per_record(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("input_path", "locator").is_duplicated())


class RejectedInputs(_Strict):
    """The quarantine: every input file or record that did not become a document, and why."""

    input_path: str = pa.Field(description="Input file, relative to the input folder.")
    locator: str = pa.Field(description="'file' for a whole file, else 'line N' or 'row N'.")
    reason: str = pa.Field(
        isin=[r.value for r in RejectReason],
        description="Reason code (see pipeline.ingest.records.RejectReason).",
    )
    message: str = pa.Field(
        description="Human-readable explanation, precise enough to fix the input."
    )
    size_bytes: int | None = pa.Field(
        nullable=True, ge=0, description="Size of the rejected file or record in bytes, if known."
    )
    partition_key: str = pa.Field(description="Dagster partition key of the input file.")

    @pa.dataframe_check
    def one_row_per_record(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("input_path", "locator").is_duplicated())


class Segments(_Strict):
    """Titles, section headings and paragraphs of each document."""

    segment_id: str = pa.Field(unique=True, description="'<doc_id>:g<index>'.")
    doc_id: str = pa.Field(str_length=16, description="documents.doc_id.")
    index: int = pa.Field(ge=0, description="0-based order of the segment in its document.")
    kind: str = pa.Field(isin=SEGMENT_KINDS, description="title, heading or paragraph.")
    start: int = pa.Field(ge=0, description="Start offset (code points) in documents.text.")
    end: int = pa.Field(gt=0, description="End offset, exclusive.")
    text: str = pa.Field(description="documents.text[start:end].")

    @pa.dataframe_check
    def start_before_end(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _start_before_end(data)


class Sentences(_Strict):
    """Sentences of each document; no sentence breaks inside quotations or after abbreviations."""

    sentence_id: str = pa.Field(unique=True, description="'<doc_id>:s<index>'.")
    doc_id: str = pa.Field(str_length=16, description="documents.doc_id.")
    segment_id: str = pa.Field(description="segments.segment_id of the segment it lies in.")
    index: int = pa.Field(ge=0, description="0-based order of the sentence in its document.")
    start: int = pa.Field(ge=0, description="Start offset (code points) in documents.text.")
    end: int = pa.Field(gt=0, description="End offset, exclusive.")
    text: str = pa.Field(description="documents.text[start:end].")

    @pa.dataframe_check
    def start_before_end(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _start_before_end(data)


class Claims(_Strict):
    """Who claimed what: one row per claim, traceable to the exact characters of its source."""

    claim_id: str = pa.Field(
        unique=True, description="Stable id: hash of doc_id, content spans and extractor version."
    )
    doc_id: str = pa.Field(str_length=16, description="documents.doc_id.")
    kind: str = pa.Field(
        isin=[k.value for k in ClaimKind],
        description="direct (quoted), indirect (reported), mixed (paraphrase with quoted words) or author (unattributed statement of the article).",
    )
    content_spans: SPAN_LIST = pa.Field(
        description="What is claimed: list of {start, end} offsets; several for a split quote."
    )
    start: int = pa.Field(ge=0, description="Start of the first content span.")
    end: int = pa.Field(gt=0, description="End of the last content span, exclusive.")
    content: str = pa.Field(description="Texts of the content spans joined by one space.")
    cue_text: str | None = pa.Field(
        nullable=True, description="The attribution cue as written ('said', 'according to')."
    )
    cue_start: int | None = pa.Field(nullable=True, ge=0, description="Start offset of the cue.")
    cue_end: int | None = pa.Field(
        nullable=True, gt=0, description="End offset of the cue, exclusive."
    )
    cue_lemma: str | None = pa.Field(
        nullable=True, description="Lemma of the cue ('say', 'according to', 'allegation')."
    )
    stance: str | None = pa.Field(
        nullable=True,
        isin=[s.value for s in Stance],
        description="neutral, assertive, distancing (disputed) or hedged, from the cue lexicon; null for author statements.",
    )
    source_text: str | None = pa.Field(
        nullable=True,
        description="The source as mentioned here ('he', 'the ministry'); null if the text names none.",
    )
    source_start: int | None = pa.Field(
        nullable=True, ge=0, description="Start offset of the source mention."
    )
    source_end: int | None = pa.Field(
        nullable=True, gt=0, description="End offset of the source mention, exclusive."
    )
    speaker_id: str | None = pa.Field(
        nullable=True,
        description="speakers.speaker_id of the speaker, merged across documents.",
    )
    speaker_name: str | None = pa.Field(
        nullable=True,
        description="Name of the speaker as resolved within this document; the name merged "
        "across documents is speakers.canonical_name.",
    )
    speaker_type: str | None = pa.Field(
        nullable=True,
        isin=[t.value for t in SpeakerType],
        description="person, organization, government or other, as resolved in this document.",
    )
    sentence_ids: pl.List(pl.Utf8) = pa.Field(
        description="sentences.sentence_id of every sentence the claim touches."
    )
    rule: str = pa.Field(description="Name of the extraction rule that fired, for error analysis.")
    extractor_version: str = pa.Field(
        description="Version of the claim extractor that produced the row."
    )

    @pa.dataframe_check
    def start_before_end(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _start_before_end(data)

    @pa.dataframe_check
    def cue_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """A cue has text and both offsets, or none of them."""
        parts = [pl.col(c).is_null() for c in ("cue_text", "cue_start", "cue_end")]
        return data.lazyframe.select((parts[0] == parts[1]) & (parts[1] == parts[2]))

    @pa.dataframe_check
    def source_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        parts = [pl.col(c).is_null() for c in ("source_text", "source_start", "source_end")]
        return data.lazyframe.select((parts[0] == parts[1]) & (parts[1] == parts[2]))


class Speakers(_Strict):
    """Speakers merged across documents, with how often they were cited."""

    speaker_id: str = pa.Field(
        unique=True,
        description="Stable id: hash of person/group and the merged name's key (first and last "
        "name of a person); unchanged when a new document adds an alias.",
    )
    canonical_name: str = pa.Field(
        description="Canonical name ('Dmytro Kuleba', 'Russian Defense Ministry'): the spelling "
        "most of its claims use.",
    )
    speaker_type: str = pa.Field(
        isin=[t.value for t in SpeakerType],
        description="person, organization, government or other.",
    )
    aliases: pl.List(pl.Utf8) = pa.Field(
        description="Source mentions that resolved to this speaker (sorted, distinct)."
    )
    name_variants: pl.List(pl.Utf8) = pa.Field(
        description="Names the documents resolved this speaker to (claims.speaker_name), merged "
        "here: 'Hillary Clinton', 'Clinton', 'Mrs. Clinton' (sorted, distinct)."
    )
    n_documents: int = pa.Field(
        ge=1, description="Documents in which the speaker has at least one claim."
    )
    n_claims: int = pa.Field(ge=1, description="Claims attributed to the speaker.")


class Quantities(_Strict):
    """Numbers with units and change words, in claims and elsewhere; dates and times excluded."""

    quantity_id: str = pa.Field(unique=True, description="'<doc_id>:q<start>-<end>'.")
    doc_id: str = pa.Field(str_length=16, description="documents.doc_id.")
    sentence_id: str | None = pa.Field(
        nullable=True, description="sentences.sentence_id containing the quantity."
    )
    claim_id: str | None = pa.Field(
        nullable=True,
        description="claims.claim_id of the attributed claim whose content contains it, if any.",
    )
    start: int = pa.Field(
        ge=0, description="Start offset of the quantity phrase (modifier included)."
    )
    end: int = pa.Field(gt=0, description="End offset, exclusive.")
    surface: str = pa.Field(description="documents.text[start:end].")
    value: str = pa.Field(description="Value as a string: '2000', '40-50' for a range.")
    low: float = pa.Field(description="Lower bound (equals high unless a range).")
    high: float = pa.Field(description="Upper bound.")
    unit: str | None = pa.Field(
        nullable=True, description="Unit as written ('square kilometers', '$')."
    )
    normalized_unit: str | None = pa.Field(
        nullable=True,
        description="Lower-case singular unit or counted noun ('square kilometre', 'dollar', 'fighter'); null for a bare number.",
    )
    change: str = pa.Field(
        isin=CHANGE_VALUES,
        description="= exact, ~ approximate, > more than, < less than, up / down a rise or fall.",
    )
    extractor_version: str = pa.Field(description="Version of the extractor that produced the row.")

    @pa.dataframe_check
    def start_before_end(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _start_before_end(data)

    @pa.dataframe_check
    def low_not_above_high(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("low") <= pl.col("high"))


#: Every public table, in the order a reader follows an article through the pipeline.
TABLES: dict[str, type[pa.DataFrameModel]] = {
    "input_files": InputFiles,
    "documents": Documents,
    "document_sources": DocumentSources,
    "rejected_inputs": RejectedInputs,
    "segments": Segments,
    "sentences": Sentences,
    "claims": Claims,
    "speakers": Speakers,
    "quantities": Quantities,
}

#: Sort keys per table: deterministic row order in Parquet and DuckDB.
SORT_KEYS: dict[str, list[str]] = {
    "input_files": ["input_path"],
    "documents": ["doc_id"],
    "document_sources": ["input_path", "locator", "doc_id"],
    "rejected_inputs": ["input_path", "locator"],
    "segments": ["doc_id", "index"],
    "sentences": ["doc_id", "index"],
    "claims": ["doc_id", "start", "end", "claim_id"],
    "speakers": ["speaker_id"],
    "quantities": ["doc_id", "start", "end"],
}


def polars_schema(table: str) -> pl.Schema:
    """The exact polars schema of a table, so empty frames still carry the right columns.

    Built once per table from its Pandera model (~1.5 ms each time, ~55 times in a one-file
    increment's run process), handed out as a copy: a caller may change its own.
    """
    return pl.Schema(_polars_schema(table))


@cache
def _polars_schema(table: str) -> pl.Schema:
    model = TABLES[table]
    return pl.Schema({name: col.dtype.type for name, col in model.to_schema().columns.items()})


def empty_frame(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def column_docs(table: str) -> list[tuple[str, str, bool, str]]:
    """(column, dtype, nullable, description) for docs, Dagster metadata and the dataset card."""
    model = TABLES[table]
    return [
        (name, str(col.dtype), bool(col.nullable), col.description or "")
        for name, col in model.to_schema().columns.items()
    ]


def table_description(table: str) -> str:
    doc = TABLES[table].__doc__ or ""
    return " ".join(doc.split())
