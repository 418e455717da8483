"""`croissant.json`: MLCommons Croissant 1.0 metadata, built from the public schema.

One FileObject per Parquet file (with its sha256) and one RecordSet per table whose fields carry
the column descriptions of the Pandera models; list columns are `repeated`, and the span lists
have `start`/`end` sub-fields. Foreign keys are stated in the descriptions ("documents.doc_id"),
not as Croissant `references`: mlcroissant executes those as joins when it reads records, which
took 16 s for the first quantity record of a 1,000-article release instead of 0.1 s.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from pipeline.release.public import Column, description, public_columns, sort_keys

CROISSANT_NAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET_FORMAT = "application/x-parquet"

#: The standard Croissant 1.0 JSON-LD context (as the specification and mlcroissant write it).
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

_SCALARS: dict[type[pl.DataType], str] = {
    pl.String: "sc:Text",
    pl.Int64: "sc:Integer",
    pl.Int32: "sc:Integer",
    pl.Float64: "sc:Float",
    pl.Date: "sc:Date",
    pl.Boolean: "sc:Boolean",
}


def data_type(dtype: pl.DataType) -> str:
    base = dtype.base_type()
    if base not in _SCALARS:
        raise ValueError(f"no Croissant type for {dtype}")
    return _SCALARS[base]


def file_id(table: str) -> str:
    return f"{table}-parquet"


def _field(table: str, column: Column, file_ref: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table}/{column.name}",
        "name": column.name,
        "description": column.description,
        "source": {"fileObject": {"@id": file_ref}, "extract": {"column": column.name}},
    }
    dtype = column.dtype
    if isinstance(dtype, pl.List):
        field["repeated"] = True
        dtype = dtype.inner
    if isinstance(dtype, pl.Struct):
        field["subField"] = [
            {
                "@type": "cr:Field",
                "@id": f"{table}/{column.name}/{sub.name}",
                "name": sub.name,
                "dataType": data_type(sub.dtype),
                "source": {
                    "fileObject": {"@id": file_ref},
                    "extract": {"column": column.name},
                    "transform": {"jsonPath": sub.name},
                },
            }
            for sub in dtype.fields
        ]
    else:
        field["dataType"] = data_type(dtype)
    return field


def record_set(table: str, include_text: bool) -> dict[str, Any]:
    columns = public_columns(table, include_text)
    fields = [_field(table, c, file_id(table)) for c in columns]
    record: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": description(table),
        "field": fields,
    }
    keys = sort_keys(table)
    if len(keys) == 1:
        record["key"] = {"@id": f"{table}/{keys[0]}"}
    return record


def build_croissant(
    *,
    version: str,
    summary: str,
    license_text: str,
    cite_as: str,
    url: str,
    files: list[tuple[str, str, str]],  # (table, relative path, sha256)
    include_text: bool,
    date_published: str | None = None,
) -> dict[str, Any]:
    dated = {"datePublished": date_published} if date_published else {}
    return {
        **dated,
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "claimbank",
        "description": summary,
        "conformsTo": CONFORMS_TO,
        "version": version,
        "license": license_text,
        "url": url,
        "citeAs": cite_as,
        "inLanguage": "en",
        "keywords": ["claims", "attribution", "quotations", "news", "fact-checking"],
        "distribution": [
            {
                "@type": "cr:FileObject",
                "@id": file_id(table),
                "name": file_id(table),
                "description": f"The {table} table.",
                "contentUrl": path,
                "encodingFormat": PARQUET_FORMAT,
                "sha256": sha,
            }
            for table, path, sha in files
        ],
        "recordSet": [record_set(table, include_text) for table, _, _ in files],
    }
