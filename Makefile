# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The whole dependency tree, runtime and dev, pinned with hashes; exported from uv.lock by `make lock`.
LOCK := requirements.lock
EXPORT = { echo "\# The locked dependency tree (runtime, dev, build) with hashes: 'make lock' writes it from uv.lock."; \
  echo "\# Babel is held at 2.19 (CLDR 49) on purpose: the catalogs' plural forms follow its CLDR."; \
  $(BIN)/uv export --frozen --extra dev --group build --no-emit-project --no-header --format requirements-txt --quiet; }

.PHONY: install lock upgrade lock-check run chat test lint typecheck unit fuzz catalogs content-check workers workers-smoke clean

# A new or changed lock builds the environment anew, so nothing outside the lock stays installed.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)  ## exactly the locked set, then the project itself (editable)

lock: install  ## bring uv.lock and $(LOCK) in line with pyproject.toml, keeping every pin that still fits
	$(BIN)/uv lock
	$(EXPORT) > $(LOCK)

upgrade: install  ## move every pin to the newest release pyproject.toml allows; then `make test` and commit
	$(BIN)/uv lock --upgrade
	$(EXPORT) > $(LOCK)

lock-check: install  ## the lock agrees with pyproject.toml, and the environment with the lock
	@$(BIN)/uv lock --check --quiet || { \
	  echo "uv.lock does not match pyproject.toml: run 'make lock', then 'make test', and commit pyproject.toml, uv.lock and $(LOCK)." >&2; exit 1; }
	@$(EXPORT) | cmp -s - $(LOCK) || { \
	  echo "$(LOCK) is not the export of uv.lock: run 'make lock', then 'make test', and commit both." >&2; exit 1; }
	@$(BIN)/python .ci/environment_matches_lock.py $(LOCK)

run: install  ## start the bot (the offline console when no channel is configured)
	$(BIN)/haufo-bot run

workers: install  ## several workers on a local PostgreSQL behind the webhook (see deploy/workers.sh)
	bash deploy/workers.sh

workers-smoke: install  ## two workers on a local PostgreSQL against the fake Bot API: every update answered once
	$(BIN)/python -m bench.workers --smoke

test: lock-check lint typecheck unit  ## the lock, ruff, mypy and the whole test suite

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

fuzz: install  ## 10,000 generated updates through each channel adapter (the ordinary suite runs 200)
	FUZZ_EXAMPLES=10000 $(BIN)/pytest -m fuzz

catalogs: install  ## extract interface strings and merge them into every catalog
	$(BIN)/python -m bot.core.extraction

content-check: install
	$(BIN)/haufo-bot content check

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
