# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/muni demo --dir demo-archive

test: $(STAMP)
	$(BIN)/ruff check crawler pipelines archive tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check crawler pipelines archive tests benchmarks

eval: $(STAMP)
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf $(VENV) demo-archive build *.egg-info
