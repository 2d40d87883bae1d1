# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run chat test lint typecheck unit catalogs content-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install  ## start the bot (the offline console when no channel is configured)
	$(BIN)/haufo-bot run

test: lint typecheck unit  ## ruff, mypy and the whole test suite

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

catalogs: install  ## extract interface strings and merge them into every catalog
	$(BIN)/python -m bot.core.extraction

content-check: install
	$(BIN)/haufo-bot content check

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
