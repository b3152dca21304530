# Every target works from a clean clone: `make test` and `make demo` install first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench lint docs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# The whole plan on the bundled example (every target met: exit 0).
demo: $(STAMP)
	$(BIN)/wfm plan

bench: $(STAMP)
	$(BIN)/python -m wfm.bench

docs: $(STAMP)
	$(BIN)/python -m wfm.docs

lint: $(STAMP)
	$(BIN)/ruff check wfm tests

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
