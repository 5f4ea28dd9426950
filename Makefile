# Two commands do everything:  `make run` (the example API)  and  `make test`.
# `make bench` measures the error path against DRF's default and the peers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
DJANGO_SPEC ?= Django>=5.2,<5.3

.PHONY: run test demo lint typecheck clean bench dist

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" "$(DJANGO_SPEC)"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(ADDR)

demo: $(STAMP)
	@$(BIN)/python manage.py demo --url http://$(ADDR)

# Two runs: the library's tests on tests/settings.py (the app's defaults), then
# the example project's on its own settings; coverage adds up over both, and
# the target fails if either run fails.  The order of tests is random
# (pytest-randomly): the seed is printed, `PYTEST_ARGS=-p randomly --randomly-seed=N` replays it.
EXAMPLE_TESTS := --ds=example_project.tests.settings example_project/tests

test: $(STAMP)
	status=0; \
	$(BIN)/python -m pytest --cov --cov-report= $(PYTEST_ARGS) || status=$$?; \
	$(BIN)/python -m pytest $(EXAMPLE_TESTS) --cov --cov-append --cov-report=term-missing $(PYTEST_ARGS) || status=$$?; \
	exit $$status

# The sdist and the wheel a release would upload, in dist/, with their metadata checked.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build
	$(BIN)/python -m twine check --strict dist/*

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet "ruff==0.17.6" mypy django-stubs djangorestframework-stubs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The benchmark has its own environment, with the peers it is measured against.
BENCH_VENV := bench/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e . -r bench/requirements.txt
	touch $(BENCH_STAMP)

# `make bench BENCH_ARGS=--quick` for small counts; see docs/benchmarks.md.
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) .nox bench/.build .pytest_cache .coverage db.sqlite3 dist build
