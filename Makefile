# Two commands for a new user: `make build` (venv, validate, SKILL.md, site) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check serve bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/skillpack build

check: $(STAMP)
	$(BIN)/skillpack build --check

test: $(STAMP)
	$(BIN)/skillpack build --check
	$(BIN)/python -m pytest -n auto

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf site dist test-output
