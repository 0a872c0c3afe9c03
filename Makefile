# treaty-tracker: `make run` runs the product, `make test` runs the tests.
# What is not installed yet goes into .venv: exactly the versions (and hashes) pinned in
# requirements.lock. `make lock` regenerates that file from pyproject.toml (pip-tools).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
LOCK_VENV := .venv-lock

.PHONY: install run test lint format bench lock clean

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'pip==$(PIP_VERSION)'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

run: install
	$(BIN)/treaty-tracker run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tracker/ scraper/ webapp/ app.py
	$(BIN)/mypy tests/

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs in TEST_WORKERS processes (pytest-xdist; `make test TEST_WORKERS=0` runs it in
# one). Each worker has its own temporary folders, databases and free ports. The 15 slowest
# tests are listed at the end, to keep an eye on the suite's time.
TEST_WORKERS ?= 2

test: install lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

# Each benchmark prints its figures; the headline targets are repeated at the end.
bench: install
	summary=$$(mktemp) && \
	for b in bench/bench_*.py; do \
		TRACKER_BENCH_SUMMARY=$$summary $(BIN)/python $$b || { rm -f $$summary; exit 1; }; \
	done && \
	echo "headline targets (issue 13):" && cat $$summary && rm -f $$summary

# Resolve pyproject.toml's dependencies (with the test extra and the build requirements)
# to exact versions with their hashes, in an environment of its own. Pins that still fit
# are kept; `make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed release.
LOCK_ARGS ?=
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet 'pip==$(PIP_VERSION)' \
		'pip-tools==$(PIP_TOOLS_VERSION)'
	$(LOCK_VENV)/bin/pip-compile --quiet $(LOCK_ARGS) --extra test --build-deps-for editable \
		--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host --output-file $(LOCK) pyproject.toml

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .mypy_cache
