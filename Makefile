# Every target works from a clean clone: `make test` and `make demo` install first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DASK_YAML := $(VENV)/etc/dask/wfm.yaml

.PHONY: install test check-docs demo bench lint docs docs-images clean

install: $(STAMP) $(DASK_YAML)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Dask reads <venv>/etc/dask/*.yaml: `dask worker` from this venv starts workers as wfm's local cluster does
$(DASK_YAML): configs/dask/wfm.yaml $(STAMP)
	mkdir -p $(dir $@)
	cp configs/dask/wfm.yaml $@

# The suite, on every core, but for the docs pages' examples (each reruns real plans: 10 minutes of CPU)
test: $(STAMP) $(DASK_YAML)
	$(BIN)/python -m pytest -q -n auto --dist worksteal -m "not docs"

# Every example in README.md and docs/*.md still prints what the page shows (CI runs it after `make test`)
check-docs: $(STAMP) $(DASK_YAML)
	$(BIN)/python -m pytest -q -n auto --dist worksteal -m docs

# The whole plan on the bundled example (every target met: exit 0).
demo: $(STAMP) $(DASK_YAML)
	$(BIN)/wfm plan

bench: $(STAMP) $(DASK_YAML)
	$(BIN)/python -m wfm.bench

docs: $(STAMP) $(DASK_YAML)
	$(BIN)/python -m wfm.docs

# The screenshots in docs/images from a fresh plan of the example (needs Debian's chromium,
# libreoffice-calc-nogui and poppler-utils; see wfm/docs_images.py)
docs-images: $(STAMP) $(DASK_YAML)
	rm -rf .docs-run; $(BIN)/wfm plan --quiet --out .docs-run; test $$? -le 1
	$(BIN)/python -m wfm.docs_images .docs-run/2026-11-30
	rm -rf .docs-run

lint: $(STAMP) $(DASK_YAML)
	$(BIN)/ruff check wfm tests

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
