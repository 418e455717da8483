"""Inline SVG charts, written by hand so the report needs no library, script or network.

Each function takes plain labels and numbers and returns one `<svg>` element; values are shown
as text next to the marks, and every mark has a `<title>` tooltip, so the chart reads without
hovering and without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "font-family='system-ui, sans-serif' font-size='12'"
BAR = "#3b6ea8"
PALETTE = ("#3b6ea8", "#e07b39", "#5a9e4b", "#b8474f", "#7d5ba6", "#8c6d3f", "#c2569b", "#6b7b8c")
ROW_HEIGHT = 22
LABEL_CHARS = 38


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart-svg' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{escape(label, quote=True)}' {FONT}>" + "".join(body) + "</svg>"
    )


def hbars(
    items: Sequence[tuple[str, int | float]],
    label: str,
    width: int = 640,
    colors: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one row per (label, value), longest bar = largest value."""
    label_w, pad = 250, 60
    height = max(1, len(items)) * ROW_HEIGHT + 10
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (name, value) in enumerate(items):
        y = 5 + i * ROW_HEIGHT
        w = max(1.0, (width - label_w - pad) * value / top)
        color = colors[i] if colors else BAR
        text = escape(_short(name))
        body.append(
            f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end'>{text}</text>"
            f"<rect class='mark' x='{label_w}' y='{y + 3}' width='{w:.1f}' height='16' "
            f"fill='{color}'><title>{escape(name)}: {value:,}</title></rect>"
            f"<text x='{label_w + w + 4:.1f}' y='{y + 15}'>{value:,}</text>"
        )
    if not items:
        body.append("<text x='10' y='20'>no data</text>")
    return _svg(width, height, label, body)


def vbars(items: Sequence[tuple[str, int]], label: str, width: int = 640, height: int = 260) -> str:
    """Vertical bars (a histogram when the labels are bins), labels under the bars."""
    left, bottom, top_pad = 10, 40, 20
    n = max(1, len(items))
    slot = (width - 2 * left) / n
    top = max((v for _, v in items), default=0) or 1
    body = [
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - left}' y2='{height - bottom}' "
        "stroke='#888'/>"
    ]
    for i, (name, value) in enumerate(items):
        h = (height - bottom - top_pad) * value / top
        x = left + i * slot + slot * 0.15
        y = height - bottom - h
        body.append(
            f"<rect class='mark' x='{x:.1f}' y='{y:.1f}' width='{slot * 0.7:.1f}' "
            f"height='{max(h, 1):.1f}' fill='{BAR}'><title>{escape(name)}: {value:,}</title></rect>"
            f"<text x='{x + slot * 0.35:.1f}' y='{y - 4:.1f}' text-anchor='middle'>{value:,}</text>"
            f"<text x='{x + slot * 0.35:.1f}' y='{height - bottom + 16}' "
            f"text-anchor='middle'>{escape(name)}</text>"
        )
    return _svg(width, height, label, body)


def heatmap(
    rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]], label: str
) -> str:
    """A rows × columns grid of counts; darker = more, the count written in each cell."""
    label_w, head_h, cell_w, cell_h = 220, 26, 64, 22
    width = label_w + cell_w * max(1, len(columns)) + 10
    height = head_h + cell_h * max(1, len(rows)) + 10
    top = max((v for row in values for v in row), default=0) or 1
    body = []
    for j, col in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2 - 1
        body.append(f"<text x='{x:.1f}' y='{head_h - 8}' text-anchor='middle'>{escape(col)}</text>")
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        name = escape(_short(row, 30))
        body.append(f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end'>{name}</text>")
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            shade = 0.08 + 0.92 * value / top if value else 0.0
            ink = "#fff" if shade > 0.55 else "#222"
            body.append(
                f"<rect class='mark' x='{x}' y='{y}' width='{cell_w - 2}' height='{cell_h - 2}' "
                f"fill='{BAR}' fill-opacity='{shade:.2f}' stroke='#ddd'>"
                f"<title>{escape(row)}, {escape(columns[j])}: {value:,}</title></rect>"
            )
            if value:
                body.append(
                    f"<text x='{x + cell_w / 2 - 1}' y='{y + 15}' text-anchor='middle' "
                    f"fill='{ink}'>{value:,}</text>"
                )
    return _svg(width, height, label, body)
