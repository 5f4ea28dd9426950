# Two commands do everything:  `make run` (the example API)  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
DJANGO_SPEC ?= Django>=5.2,<5.3

.PHONY: run test demo lint typecheck clean

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
	$(BIN)/python manage.py demo --url http://$(ADDR)

test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term-missing $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff mypy django-stubs djangorestframework-stubs
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .coverage db.sqlite3
