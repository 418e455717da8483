"""Asset metadata built from the Pandera models: row counts, column schema, markdown preview."""

from __future__ import annotations

import dagster as dg
import polars as pl

from pipeline.schemas import column_docs

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def column_schema(table: str) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=name,
                type=dtype,
                description=description,
                constraints=dg.TableColumnConstraints(nullable=nullable),
            )
            for name, dtype, nullable, description in column_docs(table)
        ]
    )


def markdown_preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """A few rows as a markdown table, long cells shortened so the UI stays readable."""
    if frame.is_empty():
        return "_no rows_"
    head = frame.head(rows)
    header = "| " + " | ".join(head.columns) + " |"
    rule = "|" + "---|" * len(head.columns)
    lines = [header, rule]
    for row in head.iter_rows():
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            text = text.replace("|", "\\|").replace("\n", " ")
            if len(text) > PREVIEW_CELL_CHARS:
                text = text[: PREVIEW_CELL_CHARS - 1] + "…"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_metadata(table: str, frame: pl.DataFrame, **extra: object) -> dict[str, object]:
    return {
        "dagster/row_count": frame.height,
        "dagster/column_schema": column_schema(table),
        "preview": dg.MetadataValue.md(markdown_preview(frame)),
        **extra,
    }
