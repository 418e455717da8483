"""`CITATION.cff` and the BibTeX entry shown in the card and in Croissant's `citeAs`.

No date is invented: `date-released` and the BibTeX year appear only when the release is given
one, so rebuilding a release gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import date

CITATION_NAME = "CITATION.cff"
TITLE = "Claimbank: who claimed what in the news"
AUTHOR = "The Claimbank contributors"
ABSTRACT = (
    "Claims extracted from news articles: who claimed what, how firmly, with which numbers, "
    "each traceable to character offsets in its source article."
)
KEYWORDS = ("claims", "attribution", "quotations", "news", "fact-checking")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def citation_cff(version: str, released: date | None, url: str | None) -> str:
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_q(TITLE)}",
        f"version: {_q(version)}",
        "authors:",
        f"  - name: {_q(AUTHOR)}",
        f"abstract: {_q(ABSTRACT)}",
        "keywords:",
        *[f"  - {_q(k)}" for k in KEYWORDS],
    ]
    if released is not None:
        lines.append(f"date-released: {released.isoformat()}")
    if url:
        lines.append(f"url: {_q(url)}")
    return "\n".join(lines) + "\n"


def bibtex(version: str, released: date | None, url: str | None) -> str:
    key = "claimbank_" + "".join(c if c.isalnum() else "_" for c in version)
    fields = [
        f"  title = {{{TITLE}}}",
        f"  author = {{{{{AUTHOR}}}}}",
        f"  version = {{{version}}}",
        "  note = {Dataset}",
    ]
    if released is not None:
        fields.append(f"  year = {{{released.year}}}")
    if url:
        fields.append(f"  url = {{{url}}}")
    return f"@misc{{{key},\n" + ",\n".join(fields) + "\n}"
