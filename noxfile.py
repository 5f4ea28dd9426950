"""The test matrix: Python x Django x DRF, and the lowest declared versions of the extras.

    nox -l                      # the sessions
    nox -s "tests(python='3.13', django='6.1', drf='latest')"
    nox -s minimum_extras
    nox -t lowest latest        # the two CI runs: the oldest and the newest combination

Each session runs the library's tests (tests/, on tests/settings.py) and the
example's tests without the end-to-end ones (-m "not e2e": no gunicorn, no
fuzzing, no load); `make test` runs everything on the default interpreter.
Interpreters not on PATH are looked up under pyenv; a session whose
interpreter is missing is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

# pyenv's interpreters, when they are not on PATH (nox looks for "python3.X").
for _bin in sorted(Path.home().glob(".pyenv/versions/3.*/bin")):
    os.environ["PATH"] = f"{os.environ['PATH']}{os.pathsep}{_bin}"

nox.options.sessions = ["tests", "minimum_extras"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
DJANGO = {"5.2": "Django>=5.2,<5.3", "6.0": "Django>=6.0,<6.1", "6.1": "Django>=6.1,<6.2"}
# The lowest DRF each Django allows, and the newest.  pyproject.toml says 3.15;
# Django 6.1 removed django.utils.cache.cc_delim_re, which DRF imports before
# 3.18 (rest_framework/views.py), so with 6.1 the lowest that works is 3.18.0.
LOWEST_DRF = {"5.2": "3.15.0", "6.0": "3.15.0", "6.1": "3.18.0"}
DRF = ["lowest", "latest"]
# The lowest versions pyproject.toml declares for the optional extras.
MINIMUM_EXTRAS = [
    "django-ratelimit==4.1.0",
    "djangorestframework-simplejwt==5.5.0",
    "django-oauth-toolkit==2.4.0",
    "drf-spectacular==0.27.0",
]

PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not e2e"]
LIBRARY = [*PYTEST, "tests"]
EXAMPLE = [*PYTEST, "--ds=example_project.tests.settings", "example_project/tests"]


def _run_suites(session: nox.Session) -> None:
    session.run("python", "-m", "pip", "freeze", silent=False)
    session.run("python", *LIBRARY, *session.posargs)
    session.run("python", *EXAMPLE, *session.posargs)


def _drf(django: str, drf: str) -> list[str]:
    if drf == "latest":
        return ["djangorestframework"]
    # adrf does not declare its DRF bound: 0.1.14 needs DRF 3.17, 0.1.12 works with 3.15.
    return [f"djangorestframework=={LOWEST_DRF[django]}", "adrf==0.1.12"]


def _tags(python: str, django: str, drf: str) -> list[str]:
    tags = []
    if (python, django, drf) == (PYTHONS[0], "5.2", "lowest"):
        tags.append("lowest")
    if (python, django, drf) == (PYTHONS[-1], "6.1", "latest"):
        tags.append("latest")
    return tags


@nox.session
@nox.parametrize(
    "python,django,drf",
    [
        nox.param(python, django, drf, tags=_tags(python, django, drf))
        for python in PYTHONS
        for django in DJANGO
        for drf in DRF
        # Django 6 needs Python 3.12 or later.
        if not (django.startswith("6") and python in ("3.10", "3.11"))
    ],
)
def tests(session: nox.Session, django: str, drf: str) -> None:
    """The library's tests and the example's (without e2e) on one combination."""
    session.install("-e", ".[test]", DJANGO[django], *_drf(django, drf))
    _run_suites(session)


@nox.session(python=PYTHONS[0], tags=["lowest"])
def minimum_extras(session: nox.Session) -> None:
    """The lowest declared versions of Django, DRF and every optional extra."""
    session.install("-e", ".[test]", DJANGO["5.2"], *_drf("5.2", "lowest"), *MINIMUM_EXTRAS)
    _run_suites(session)
