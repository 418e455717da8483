"""Import Pandera without pandas (and validate without hypothesis): a run validates polars
frames only.

`import pandera.polars` first runs `pandera/__init__.py`, which imports pandas (and Pandera's
whole pandas API) whenever pandas is installed: ~0.3 s of CPU per process, about a tenth of a
one-file increment's fixed cost, for a library no run uses. Pandera supports installs without
pandas (it then registers its checks for polars alone), so while Pandera is first imported,
pandas is reported missing. Nothing else is affected: pandas stays importable afterwards, and
a process that imported pandas before Pandera gets Pandera's pandas API as usual.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
from collections.abc import Iterator
from importlib.abc import MetaPathFinder


class _Missing(MetaPathFinder):
    """Reports one top-level package (and its submodules) as not installed."""

    def __init__(self, package: str) -> None:
        self.package = package

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == self.package or name.startswith(self.package + "."):
            # the message Pandera recognises as "<package> is not installed"
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return None


@contextlib.contextmanager
def _reported_missing(package: str) -> Iterator[None]:
    finder = _Missing(package)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


@contextlib.contextmanager
def without_pandas() -> Iterator[None]:
    """Within the block, `import pandas` fails as if pandas were not installed."""
    if "pandas" in sys.modules:
        yield
        return
    with _reported_missing("pandas"):
        yield
        _settle_pandera()


def _settle_pandera() -> None:
    """Pandera tries pandas once more at its first validation (and caches the answer)."""
    if "pandera" not in sys.modules:
        return
    try:
        from pandera.backends.register_checks import _load_get_backend_types_from_mro
    except ImportError:  # another Pandera layout: it may import pandas later, as before
        return
    _load_get_backend_types_from_mro()


def arrow_without_pandas() -> None:
    """Make pyarrow settle, with pandas reported missing, that this process has no pandas.

    pyarrow imports pandas (~0.3 s of CPU) the first time it converts Python objects (the
    extraction's `pa.array` of list columns) only to ask whether they are pandas objects. Its
    answer lasts for the process, so call this only where nothing converts to or from pandas:
    the `claimbank run` process (its pool workers decide for themselves).
    """
    if "pandas" in sys.modules:
        return
    import pyarrow.lib

    shim = getattr(pyarrow.lib, "_pandas_api", None)
    if shim is None:  # another pyarrow layout: it imports pandas when it needs to, as before
        return
    with without_pandas():
        _ = shim.have_pandas


#: Pandera's module that imports hypothesis (its data synthesis) when Pandera first validates.
_PANDERA_STRATEGIES = "pandera.strategies.base_strategies"


def pandera_without_strategies() -> None:
    """Let Pandera settle, with hypothesis reported missing, that it cannot synthesise data.

    Pandera's first `validate` registers its built-in checks, and with them their hypothesis
    strategies: it imports hypothesis (~100 modules, ~65 ms of CPU, a fifth of a one-file
    increment's `ingest` step) although validation never uses it. hypothesis is a test
    dependency here, so an installed Claimbank has none and Pandera registers the same checks
    without strategies. Its answer lasts for the process, so call this only where nothing
    asks Pandera for synthetic data: the `claimbank run` process.
    """
    if _PANDERA_STRATEGIES in sys.modules or "hypothesis" in sys.modules:
        return
    with _reported_missing("hypothesis"), contextlib.suppress(ImportError):
        importlib.import_module(_PANDERA_STRATEGIES)


@contextlib.contextmanager
def imports_kept_out_of_gc(module: str) -> Iterator[None]:
    """Import `module` (Dagster and the rest of a run) without the cyclic GC, then freeze it.

    Importing Dagster creates ~1M container objects that live as long as the process, and the
    cyclic garbage collector scanned every one of them at each full collection: in a one-file
    increment 5 full collections cost ~0.8-0.9 s of the run process's ~5.7 s of CPU. With the
    collector off while importing and everything imported then moved to the permanent
    generation (`gc.freeze`), later collections scan only what the run itself creates. Done
    once per process: a later call (tests run the CLI many times) imports nothing and would
    only freeze that run's garbage.
    """
    if module in sys.modules:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def collector_paused(pause: bool) -> Iterator[None]:
    """Within the block, no cyclic garbage collection at all (when `pause`); then as before.

    For a small increment's run (`pipeline.small_increment`): after the imports are frozen
    (`imports_kept_out_of_gc`), its whole run still triggered ~215 collections (~0.07 s of
    CPU, ~2% of the run process) that together found ~14k objects of cyclic garbage, a few
    MB. A large run keeps the collector: its garbage grows with the corpus.
    """
    enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Dagster's daemon package: its `__init__` imports every daemon (and structlog, rich).
_DAGSTER_DAEMON = "dagster._daemon"


def dagster_daemon_deferred() -> None:
    """Defer `dagster._daemon`'s `__init__` until something asks it for a name.

    Dagster's run storage imports `dagster._daemon.types` (the daemon heartbeat record), and
    importing a submodule first runs its package's `__init__`, which imports every daemon, the
    controller, the workspace machinery and structlog with rich: ~35-40 ms of the run process's
    CPU before its first step (best of 8 fresh processes, 0.93-0.96 -> 0.90-0.92 s for the
    imports of a run), for code that `claimbank run` never calls: the daemons run in
    `dagster dev`'s own processes. Here the package is created from its spec without running
    `__init__`; its submodules import as usual (through its `__path__`), and the first lookup
    of a name the package itself defines (`from dagster._daemon import DagsterDaemon`) runs
    `__init__` then, in the same module object. Call it only in the `claimbank run` process,
    before Dagster's storage is imported; a process that imported the package already is left
    as it is.
    """
    if _DAGSTER_DAEMON in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec(_DAGSTER_DAEMON)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # another Dagster layout: imported as before
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def deferred(name: str) -> object:
        if name.startswith("__"):  # the import system's own probes: not a reason to load
            raise AttributeError(name)
        del package.__getattr__
        loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = deferred  # type: ignore[attr-defined]
    sys.modules[_DAGSTER_DAEMON] = package
    parent, _, child = _DAGSTER_DAEMON.rpartition(".")
    setattr(sys.modules[parent], child, package)  # as the import system binds a submodule
