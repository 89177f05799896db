# The course's two commands:   make lab   (set up and open the course)   ·   make test   (set up and run every test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
JUPYTER_ARGS ?=
PYTEST_ARGS  ?=
WORKERS ?= auto

.PHONY: lab test test-fast release check bench gpu-wheels venv clean-notebooks help

help:
	@echo "make lab       set up .venv (first time: a few minutes) and open the course in JupyterLab"
	@echo "make test      set up .venv and run the whole test suite (pytest, parallel)"
	@echo "make test-fast the fast unit tests only (no notebook kernels, no sandbox), with coverage"
	@echo "make release   regenerate the student labs in labs/ from solutions/ (nbgrader)"
	@echo "make check NB=labs/lab01_tensors/lab01_tensors.ipynb   self-check one lab notebook"
	@echo "make bench     speed benchmarks (a table)"
	@echo "make gpu-wheels  .whl/: what a CUDA machine with its own torch needs for .ci/gpu-check (README, On a GPU)"

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(JUPYTER_ARGS) README.md

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow and not sandbox" --cov=dlcourse --cov=autograder --cov-report=term $(PYTEST_ARGS)

release: $(STAMP)
	$(BIN)/python -m autograder release

check: $(STAMP)
	$(BIN)/python -m autograder check $(NB)

bench: $(STAMP)
	$(BIN)/python -m bench

gpu-wheels: $(STAMP)
	PYTHON=$(BIN)/python .ci/gpu-wheels

clean-notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --clear-output --inplace lectures/*.ipynb solutions/*/*.ipynb labs/*/*.ipynb
