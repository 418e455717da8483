"""The mypyc build of the extractor (`pipeline/_mypyc/`, built by `make install`): it gives the
same output as plain Python, and a build older than the sources never runs.

Each side runs in a subprocess, since a process uses one or the other from its first import.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline._compiled import BUILD_DIR, PURE_ENV, _check
from tests.conftest import REPO, SEED_TEXT, SHARED
from tests.corpus_sample import real_articles

# in the child: segment and extract every text, print which build ran and each result's repr
EXTRACT = """
import json, sys
import pipeline._compiled as compiled
from pipeline.extraction import extract_document
from pipeline.segment import segment
import pipeline.claims.rules_verbs as probe
out = []
for text in json.load(open(sys.argv[1], encoding="utf-8")):
    spans = [(s.start, s.end) for s in segment(text).sentences]
    out.append(repr((spans, extract_document(text, spans))))
print(json.dumps({"status": compiled.status, "file": probe.__file__, "results": out}))
"""


def run(code: str, *args: str, cwd: Path = REPO, pure: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k != PURE_ENV}
    if pure:
        env[PURE_ENV] = "1"
    env["PYTHONPATH"] = str(cwd)  # `pipeline` from `cwd`, not from the installed checkout
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return {**json.loads(done.stdout.splitlines()[-1]), "stderr": done.stderr}


def real_texts() -> list[str]:
    """The seed, PolNeAR dev and 300 corpus articles from two corpora."""
    from pipeline.evaluate.documents import read_document

    dev = SHARED / "eval" / "polnear" / "dev" / "docs"
    texts = [SEED_TEXT.read_text(encoding="utf-8")]
    texts += [read_document(dev, p.name) for p in sorted(dev.glob("*.txt"))]
    for corpus in ("bbc-2005", "news-2022"):
        rows = real_articles(150, SHARED / "corpora" / f"{corpus}.jsonl.gz")
        texts += [r["text"] for r in rows if isinstance(r.get("text"), str)]
    return texts


def test_make_install_built_the_extractor_from_these_sources() -> None:
    """`make install` compiles it; a missing or stale build here means it failed or is old."""
    status, _ = _check(BUILD_DIR)
    assert status == "compiled", f"{status}: run `make install` (its output says what failed)"


def test_compiled_and_pure_extraction_are_identical(tmp_path: Path) -> None:
    texts = real_texts()
    assert len(texts) > 350
    docs = tmp_path / "texts.json"
    docs.write_text(json.dumps(texts), encoding="utf-8")
    compiled = run(EXTRACT, str(docs))
    pure = run(EXTRACT, str(docs), pure=True)
    assert compiled["status"] == "compiled", compiled["status"]
    assert compiled["file"].endswith(".so") and "_mypyc" in compiled["file"]
    assert pure["status"] == f"pure: {PURE_ENV}" and pure["file"].endswith("rules_verbs.py")
    assert len(compiled["results"]) == len(texts)
    assert sum("Claim(" in r for r in pure["results"]) > 300
    for i, (a, b) in enumerate(zip(compiled["results"], pure["results"], strict=True)):
        assert a == b, f"document {i} differs compiled vs pure"


def copy_package(dest: Path) -> Path:
    """The source package and its build, as a checkout elsewhere would have them."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "pipeline", dest / "pipeline", symlinks=True, ignore=skip)
    return dest


def test_a_build_older_than_its_sources_is_refused(tmp_path: Path) -> None:
    root = copy_package(tmp_path)
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(["He said the plan had failed, the minister said."]), "utf-8")
    fresh = run(EXTRACT, str(texts), cwd=root)
    assert fresh["status"] == "compiled"
    assert fresh["file"].startswith(str(root / "pipeline" / "_mypyc"))  # the copy's own build
    # a developer edits a rule and runs the tests without `make install`
    edited = root / "pipeline" / "claims" / "rules_verbs.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = run(EXTRACT, str(texts), cwd=root)
    assert stale["status"].startswith("pure: stale")
    assert stale["file"] == str(edited)  # the edited source runs, not the old binary
    assert "is not used" in stale["stderr"] and "make install" in stale["stderr"]
    assert stale["results"] == fresh["results"]  # a comment changes nothing


def test_a_failed_build_warns_and_leaves_plain_python_working(tmp_path: Path) -> None:
    root = copy_package(tmp_path)
    broken = root / "pipeline" / "claims" / "draft.py"  # mypyc rejects a wrong annotation
    broken.write_text(broken.read_text(encoding="utf-8") + "\n_X: int = 'x'\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), PURE_ENV: "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline._build_compiled"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0  # the install goes on
    assert "WARNING: mypyc failed" in done.stderr and "plain Python" in done.stderr
    assert "draft.py" in done.stderr  # the error itself is shown
    assert not (root / "pipeline" / "_mypyc").exists()  # the old build is gone, not left stale
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(["“We will win,” she said."]), "utf-8")
    after = run(EXTRACT, str(texts), cwd=root)
    assert after["status"] == "pure: no build" and after["file"].endswith(".py")
    assert "Claim(" in after["results"][0]
