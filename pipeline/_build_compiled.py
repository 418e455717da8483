"""Compile the extractor with mypyc into `pipeline/_mypyc/` (`make install` runs this).

Why: `extract_document` runs ~1.25x faster compiled, with the same output (see
benchmarks/results/NOTES.md). It never fails the install: without mypy or a C compiler, or
when mypyc rejects a module, it prints a warning, removes any old build and the plain Python
package runs. `pipeline._compiled` decides at import time whether the build matches the sources.

    CLAIMBANK_PURE=1 python -m pipeline._build_compiled [--force]
"""

from __future__ import annotations

import argparse
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline._compiled import BUILD_DIR, MANIFEST, _check, fingerprint, source_path

ROOT = BUILD_DIR.parent.parent
#: what `extract_document` runs, and the rows a pool worker builds from its output
#: (`stage_rows`: ~0.2 ms/document of Python loops, ~25% over extraction itself): these
#: modules import nothing else of the pipeline
SOURCES = (
    "pipeline/claims/*.py",
    "pipeline/extraction.py",
    "pipeline/segment.py",
    "pipeline/stage_rows.py",
)
#: data the compiled modules find beside their `__file__`: linked into the build
DATA_DIRS = ("pipeline/lexicon", "pipeline/claims/lexicon")
GROUP = "claimbank_extract"  # mypyc's shared library is `<GROUP>__mypyc`

# mypyc type-checks before compiling. `m.end()` on an `re.Match | None` the code knows is a
# match is everywhere in the rules; triggers.py reads `re._parser`; extract.py also accepts
# objects with .start/.end (compiled, it takes the (start, end) tuples every caller passes).
MYPY_INI = """\
[mypy]
follow_imports = silent
disable_error_code = union-attr
[mypy-pipeline.claims.extract,pipeline.claims.triggers]
disable_error_code = union-attr, attr-defined
[mypy-pipeline.stage_rows]
disable_error_code = union-attr, index
[mypy-pyarrow.*]
ignore_missing_imports = True
"""

SETUP = f"""\
import sys
from setuptools import setup
from mypyc.build import mypycify
paths = sys.argv[1:]
sys.argv = [sys.argv[0], "build_ext", "--inplace"]
ext = mypycify(["--config-file", "mypy.ini", *paths], opt_level="3", group_name="{GROUP}")
setup(name="{GROUP}", ext_modules=ext)
"""


def modules(root: Path) -> list[str]:
    files = sorted({p for pattern in SOURCES for p in root.glob(pattern)})
    return [".".join(p.relative_to(root).with_suffix("").parts) for p in files]


def warn(message: str) -> None:
    print(
        f"WARNING: {message}\n  the extractor runs as plain Python (same output, slower)",
        file=sys.stderr,
    )


def _assemble(staging: Path, names: list[str], suffix: str, target: Path, built_from: str) -> None:
    """Move the extension files into a fresh `target`, link the data, write the manifest
    (`built_from`: the fingerprint of the sources as they were copied for the compiler)."""
    new = target.with_name(target.name + ".new")
    shutil.rmtree(new, ignore_errors=True)
    for name in [*names, f"{GROUP}__mypyc"]:
        rel = Path(*name.split(".")[:-1], name.split(".")[-1] + suffix)
        (new / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / rel, new / rel)
    for data in DATA_DIRS:
        link = new / data
        link.parent.mkdir(parents=True, exist_ok=True)
        # relative, so a copied or moved checkout keeps working
        link.symlink_to(os.path.relpath(ROOT / data, link.parent), target_is_directory=True)
    manifest = {
        "fingerprint": built_from,
        "modules": names,
        "shared_lib": f"{GROUP}__mypyc",
        "ext_suffix": suffix,
        "python": sys.version.split()[0],
    }
    (new / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    new.rename(target)


def build(force: bool = False) -> bool:
    """Compile into BUILD_DIR unless it is up to date; False (with a warning) if it could not."""
    names = modules(ROOT)
    state, _ = _check(BUILD_DIR)
    if not force and state == "compiled" and _manifest_modules() == names:
        print(f"compiled extractor up to date ({len(names)} modules, {BUILD_DIR.name}/)")
        return True
    shutil.rmtree(BUILD_DIR, ignore_errors=True)  # never leave a build of older sources behind
    try:
        import mypyc.build  # noqa: F401  (the `compile` dependency group)
    except ImportError:
        warn("mypy is not installed (dependency group `compile`): nothing compiled")
        return False
    started = time.monotonic()
    staging = Path(tempfile.mkdtemp(prefix="claimbank-mypyc-"))
    for name in names:
        dest = source_path(staging, name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_path(ROOT, name), dest)
    # of the copies mypyc compiles: a source edited during the build (~1.5 min) must leave
    # the build stale, not stamp old code with the new sources' fingerprint
    built_from = fingerprint(staging, names)
    (staging / "pipeline" / "__init__.py").write_text("", encoding="utf-8")
    (staging / "mypy.ini").write_text(MYPY_INI, encoding="utf-8")
    (staging / "setup_mypyc.py").write_text(SETUP, encoding="utf-8")
    log = staging / "build.log"
    rels = [str(source_path(Path(), n)) for n in names]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [sys.executable, "setup_mypyc.py", *rels], cwd=staging, stdout=out, stderr=out
        )
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    if done.returncode != 0:
        kept = Path(tempfile.gettempdir()) / "claimbank-mypyc.log"  # one file, not one per try
        shutil.copyfile(log, kept)
        shutil.rmtree(staging, ignore_errors=True)
        tail = "\n".join(kept.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
        warn(f"mypyc failed (exit {done.returncode}), full log in {kept}:\n{tail}")
        return False
    try:
        _assemble(staging, names, suffix, BUILD_DIR, built_from)
    except OSError as err:
        warn(f"could not assemble the build: {err}")
        shutil.rmtree(BUILD_DIR, ignore_errors=True)
        return False
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    took = time.monotonic() - started
    print(f"compiled the extractor with mypyc: {len(names)} modules in {took:.0f} s")
    return True


def _manifest_modules() -> list[str]:
    try:
        return json.loads((BUILD_DIR / MANIFEST).read_text(encoding="utf-8"))["modules"]
    except (OSError, ValueError, KeyError):
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build(force=parser.parse_args().force)  # exit 0 either way: pure Python works


if __name__ == "__main__":
    main()
