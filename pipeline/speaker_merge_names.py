"""Name forms for the cross-document speaker merge: a clean display name and comparable keys.

The in-document resolver hands over names as the text gave them ("Mrs. Clinton", "the Pentagon's",
"Democrat Hillary Clinton", sometimes a run across a sentence end: "FULL TEXT. Donald J. Trump").
Everything here is a polars expression over the distinct names, so it costs the same whether the
corpus has one document or a million: names repeat, rows do not matter.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polars as pl

LEXICON_DIR = Path(__file__).parent / "lexicon"

#: Person names; everything else (organization, government, other) is a group. The two never merge.
PERSON, GROUP = "person", "group"

# the text up to the last sentence end inside the name: "Sell Coal. ABSTRACT. Tom Clarke";
# a single capital before the period is an initial ("Donald J. Trump"), not a sentence end
_SENTENCE_CUT = r"^.*(?:\p{Ll}{2}|\p{Lu}{2}|\d)[.!?:;]\s+"
_TRAILING_PUNCT = r"[\s.,;:!?\"“”]+$"
_POSSESSIVE = r"(?:'s|')$"
_ARTICLE = r"^(?:the|a|an)\s+"
_HONORED_NAME = r"\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?$"


@cache
def _words(name: str) -> tuple[str, ...]:
    lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(sorted({w.strip() for w in lines if w.strip() and not w.startswith("#")}))


def _alternation(words: tuple[str, ...]) -> str:
    # longest first, so "secretary of state" wins over "secretary"
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@cache
def _prefix_run() -> str:
    prefixes = _words("name_prefixes.txt") + _words("honorifics.txt")
    return rf"(?i)^(?:(?:{_alternation(prefixes)})\.?\s+)+"


@cache
def _honorific() -> str:
    """An honorific word and the space after it ("Mrs. "), anywhere in a name."""
    return rf"\b(?:{_alternation(_words('honorifics.txt'))})\.?\s+"


@cache
def _suffix() -> str:
    """A generational suffix at the end of a name, captured without its period."""
    return rf"(?i),?\s+({_alternation(_words('name_suffixes.txt'))})\.?$"


def _or_keep(cleaned: pl.Expr, original: pl.Expr) -> pl.Expr:
    """A cleaning step that would leave nothing keeps the name as it was."""
    return pl.when(cleaned.str.len_chars() > 0).then(cleaned).otherwise(original)


def name_forms(names: pl.DataFrame) -> pl.DataFrame:
    """Adds to (speaker_name, speaker_type) rows: cls, display, named, n_tokens, first, last,
    middle (initials of the middle names), tail (last two words), surname_only and key (the
    name's own key).

    Persons are keyed by first + last word, so "Hillary Rodham Clinton" and "Hillary Clinton"
    share a key; groups by the case-folded name without article, dots or possessive.
    """
    raw = (
        pl.col("speaker_name")
        .str.replace_all("[’‘`]", "'")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    trimmed = _or_keep(raw.str.replace(_TRAILING_PUNCT, ""), raw)
    frame = names.with_columns(
        trimmed.alias("_trimmed"),
        # "Mrs. Clinton" typed 'other' by the resolver is still a person (an honorific and a
        # name end the mention; "Mr. Smith's lawyers" is not him)
        (
            (pl.col("speaker_type") == PERSON)
            | (pl.col("speaker_type") == "other")
            & trimmed.str.contains(f"(?i:{_honorific()})" + _HONORED_NAME)
        ).alias("_is_person"),
    )
    cut = _or_keep(pl.col("_trimmed").str.replace(_SENTENCE_CUT, ""), pl.col("_trimmed"))
    # only a name is left after the prefixes: "Secretary Clinton", not "Democratic nominee"
    bare = cut.str.replace(_prefix_run(), "")
    frame = frame.with_columns(
        pl.when(pl.col("_is_person") & bare.str.contains(r"^\p{Lu}"))
        .then(bare)
        .when("_is_person")
        .then(cut)
        .otherwise(_or_keep(cut.str.replace(r"(?i)" + _ARTICLE, ""), cut))
        .str.replace(_POSSESSIVE, "")
        .alias("display")
    )
    display = pl.col("display")
    named = (
        pl.col("_is_person")
        & display.str.contains(r"^\p{Lu}")
        & display.str.contains(r"(?:^|\s)\p{Lu}\S*$")
    )
    # "Donald Trump Jr." is not "Donald Trump": the suffix stays in the key, out of the surname
    unsuffixed = display.str.replace(_suffix(), "")
    has_suffix = named & (unsuffixed != display) & unsuffixed.str.contains(" ")
    suffix = display.str.extract(_suffix(), 1)
    tokens = (
        pl.when(has_suffix)
        .then(unsuffixed)
        .otherwise(display)
        .str.to_lowercase()
        .str.replace_all(r"'s\b", "")
        .str.split(" ")
    )
    frame = frame.with_columns(
        pl.when(pl.col("_is_person")).then(pl.lit(PERSON)).otherwise(pl.lit(GROUP)).alias("cls"),
        named.alias("named"),
        tokens.alias("_tokens"),
        pl.when(has_suffix)
        .then(pl.lit(" ") + suffix.str.to_lowercase())
        .otherwise(pl.lit(""))
        .alias("_suffix"),
    ).with_columns(pl.col("_tokens").list.len().alias("n_tokens"))
    plain = pl.col("_tokens").list.eval(pl.element().str.replace_all(r"\.", ""))
    n = pl.col("n_tokens")
    middle = (
        pl.col("_tokens")
        .list.slice(1, (n - 2).clip(lower_bound=0))
        .list.join(" ")
        # initials of the middle names: "h.w." → "hw", "rodham" → "r", "w." → "w"
        .str.replace_all(r"(\p{L})[\p{L}'-]*[.\s]*", "$1")
    )
    group_key = (
        display.str.to_lowercase()
        .str.replace(_ARTICLE, "")
        .str.replace_all(_honorific(), "")
        .str.replace_all(r"'s\b|'", "")
        .str.replace_all(r"\.", "")
        .str.replace_all(r"[^\p{L}\p{N}&]+", " ")
        .str.strip_chars()
    )
    frame = frame.with_columns(
        plain.list.first().alias("first"),
        plain.list.last().alias("last"),
        pl.when(pl.col("named") & (n >= 3)).then(middle).otherwise(pl.lit("")).alias("middle"),
        pl.when(pl.col("named") & (n >= 3))
        .then(plain.list.slice(-2, 2).list.join(" ") + pl.col("_suffix"))
        .otherwise(pl.lit(None, pl.Utf8))
        .alias("tail"),
        # a surname alone, not an acronym ("FBI", "USA"): the only names merged by surname
        (pl.col("named") & (n == 1) & (display != display.str.to_uppercase())).alias(
            "surname_only"
        ),
    )
    key = (
        pl.when(pl.col("named") & (n >= 2))
        .then(pl.concat_str(pl.col("first"), pl.lit(" "), pl.col("last"), pl.col("_suffix")))
        .when(pl.col("named"))
        .then(pl.col("first"))
        .when(pl.col("_is_person"))
        .then(plain.list.join(" "))
        .otherwise(_or_keep(group_key, display.str.to_lowercase()))
    )
    return frame.with_columns(key.alias("key")).drop("_trimmed", "_is_person", "_tokens", "_suffix")
