# The two commands of the README: `make run` (set up, train the default model if absent, serve) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint data-check default-model clean-venv

$(BIN)/aiguillage: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/aiguillage

default-model: setup
	$(BIN)/python -m training.default_model

run: default-model
	@echo "Aiguillage on http://127.0.0.1:8000 — create a login with: $(BIN)/aiguillage user create --user NAME"
	$(BIN)/aiguillage serve --host 127.0.0.1 --port 8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

data-check: setup
	$(BIN)/aiguillage data check

test: lint data-check
	$(BIN)/python -m pytest
