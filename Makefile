# kerasdiag: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= $(if $(wildcard ../shared/data/mnist-10k/mnist.npz),../shared/data/mnist-10k,tests/data/mnist-10k)

.PHONY: install demo test test-fast lint typecheck bench check clean

$(BIN)/kerasdiag: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[jax]" --group dev   # everything from pyproject: package, extras, dev group
	touch $@

install: $(BIN)/kerasdiag

demo: install  ## scenario 4 (Iris, offline): train exactly as the learner did, then diagnose
	$(BIN)/kerasdiag train --dataset iris --layers 1 --units 8 --optimizer adam --lr 0.0005 \
		--epochs 200 --batch-size 5 --validation-split 0.2 --no-shuffle --logdir runs
	@echo "Diagnose it again any time: $(BIN)/kerasdiag diagnose $$(ls -td runs/*/ | head -1)"

test: install  ## the fast tests first (seconds), then the ones that really train
	$(BIN)/python -m pytest -q -m "not training"
	$(BIN)/python -m pytest -q -m training

test-fast: install
	$(BIN)/python -m pytest -q -m "not training"

lint: install
	$(BIN)/ruff check kerasdiag tests bench examples
	$(BIN)/ruff format --check kerasdiag tests bench examples

typecheck: install
	$(BIN)/mypy kerasdiag

bench: install
	$(BIN)/python bench/run.py --data-dir $(DATA)

.PHONY: bench-diagnosis corpus
bench-diagnosis: install  ## per-rule recall, precision and false warnings on the labelled corpus -> bench/DIAGNOSIS.md (no training)
	$(BIN)/python bench/diagnosis.py

corpus: install  ## retrain the labelled corpus (NOT in CI: about 180 minutes on two cores), relabel it, pack it
	$(BIN)/pip install --quiet -e ".[corpus]"
	$(BIN)/python bench/corpus/generate.py --layouts plain
	$(BIN)/python bench/corpus/generate.py --layouts kerasdiag
	$(BIN)/python bench/corpus/labels.py
	$(BIN)/python bench/corpus/store.py

.PHONY: fuzz
fuzz: install  ## the long fuzz profile: over 2,000 damaged inputs; prints the count and the outcome table
	KERASDIAG_FUZZ=long $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/rundir/test_fuzz.py

check: lint typecheck test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
