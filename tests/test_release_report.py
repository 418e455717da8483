"""`report.html` of the 1,000-article release, rendered in headless Chromium (Debian's package).

The page must draw every chart offline: the screenshot is not blank, the rendered DOM holds each
chart with its marks, and Chromium logs no console message (the page's Content-Security-Policy
turns any attempt to load something from outside into one).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from tests.release_corpus import CorpusRelease

pytest_plugins = ["tests.release_corpus"]

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1200,2000",
]
CHARTS = ("outlet-month", "top-speakers", "stance", "kind", "unit-0", "claims-per-document")
CONSOLE = re.compile(r":CONSOLE|Refused to|Failed to load|ERR_", re.IGNORECASE)


def chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (make system-deps)"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def console_messages(page: Path, tmp: Path) -> tuple[list[str], Path]:
    shot = tmp / "report.png"
    out = chromium(page, tmp, "--enable-logging=stderr", "--v=0", f"--screenshot={shot}")
    return [line for line in out.stderr.splitlines() if CONSOLE.search(line)], shot


def png_pixels(path: Path, max_rows: int) -> tuple[int, int, list[list[bytes]]]:
    """Width, height and the RGB pixels of the top `max_rows` rows of an 8-bit PNG (pure Python,
    so the test needs no imaging library; the top of the page holds most of the charts)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([bytes(line[i : i + 3]) for i in range(0, stride, channels)])
        prev = line
    return width, height, rows


def test_report_renders_its_charts_offline(corpus_release: CorpusRelease, tmp_path: Path) -> None:
    page = corpus_release.path / "report.html"
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html

    messages, shot = console_messages(page, tmp_path)
    assert messages == []
    width, height, rows = png_pixels(shot, max_rows=900)
    assert (width, height) == (1200, 2000)
    sample = [px for row in rows[::4] for px in row[::4]]
    coloured = [px for px in sample if max(px) - min(px) > 40]  # bars are blue/orange/green
    assert len(coloured) > 0.005 * len(sample), "screenshot looks blank"
    assert len(set(coloured)) >= 3  # speaker types and heatmap shades in different colours

    dom = chromium(page, tmp_path, "--dump-dom").stdout
    for chart in CHARTS:
        match = re.search(rf"<figure[^>]*id=\"chart-{chart}\".*?</figure>", dom, re.S)
        assert match, f"chart {chart} missing from the rendered page"
        assert "<svg" in match.group(0) and match.group(0).count('class="mark"') >= 2, chart


def test_console_check_catches_an_external_load(
    corpus_release: CorpusRelease, tmp_path: Path
) -> None:
    """The console scan above can fail: a page that loads a remote script is caught."""
    page = tmp_path / "bad.html"
    shutil.copy(corpus_release.path / "report.html", page)
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace("</body>", "<script src='https://cdn.invalid/x.js'></script></body>")
    )
    messages, _ = console_messages(page, tmp_path)
    assert messages, "a blocked external script must show up in the console log"
