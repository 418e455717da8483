# Two commands on a fresh machine (Python >= 3.11 and make): `make run`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export DAGSTER_HOME := $(CURDIR)/.dagster
VERSION ?= 0.1.0
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: install run test lint dev clean bench bench-quick system-deps release

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check 'uv>=0.9,<0.14'

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed  ## create .venv from uv.lock, compile the extractor (mypyc) if stale
	@CLAIMBANK_PURE=1 $(VENV)/bin/python -m pipeline._build_compiled

run: install  ## run the whole pipeline on data/raw and print a summary
	$(VENV)/bin/claimbank run

lint: install
	$(VENV)/bin/ruff check pipeline assets tests benchmarks

system-deps:  ## Debian packages the tests use, installed only if missing: postgresql, chromium
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: lint system-deps  ## ruff, then the whole test suite
	$(VENV)/bin/pytest -q

release: install  ## cut data/release/$(VERSION)/ from the warehouse: make release VERSION=0.1.0
	$(VENV)/bin/claimbank release --version $(VERSION)

dev: install  ## Dagster UI on the same instance (http://127.0.0.1:3000)
	mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev -m assets.definitions

bench: install  ## Claimbank vs spaCy, 25k/100k/250k-document runs (~30 min): benchmarks/results/
	$(UV) sync --frozen --group bench --python $(PYTHON)
	$(VENV)/bin/python -m benchmarks.run

bench-quick: install  ## the same benchmark at small sizes (< 5 min): benchmarks/results/quick/
	$(UV) sync --frozen --group bench --python $(PYTHON)
	$(VENV)/bin/python -m benchmarks.run --quick --out benchmarks/results/quick

clean:  ## remove everything the pipeline wrote (inputs in data/raw stay) and the compiled build
	rm -rf data/warehouse data/release .dagster pipeline/_mypyc pipeline/_mypyc.new
