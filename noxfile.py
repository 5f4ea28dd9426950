"""The test matrix: Python x Django x DRF, and the lowest declared versions of the extras.

    nox -l                      # the sessions
    nox -s "tests-3.13(django='6', drf='latest')"
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
DJANGO = {"5.2": "Django>=5.2,<5.3", "6": "Django>=6,<7"}
# The lowest DRF pyproject.toml allows, and the newest.  DRF 3.17 is the first
# release that declares Django 6.0; with Django 6 the lowest is checked
# anyway, as pip would install it.
DRF = {"lowest": "djangorestframework==3.15.0", "latest": "djangorestframework"}
# The lowest versions pyproject.toml declares for the optional extras.
MINIMUM_EXTRAS = [
    "django-ratelimit==4.1.0",
    "djangorestframework-simplejwt==5.3.0",
    "django-oauth-toolkit==2.4.0",
    "drf-spectacular==0.27.0",
]

LIBRARY = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
EXAMPLE = [*LIBRARY, "--ds=example_project.tests.settings", "example_project/tests", "-m", "not e2e"]


def _run_suites(session: nox.Session) -> None:
    session.run("python", "-m", "pip", "freeze", silent=False)
    session.run("python", *LIBRARY, *session.posargs)
    session.run("python", *EXAMPLE, *session.posargs)


def _tags(python: str, django: str, drf: str) -> list[str]:
    tags = []
    if (python, django, drf) == (PYTHONS[0], "5.2", "lowest"):
        tags.append("lowest")
    if (python, django, drf) == (PYTHONS[-1], "6", "latest"):
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
        if not (django == "6" and python in ("3.10", "3.11"))
    ],
)
def tests(session: nox.Session, django: str, drf: str) -> None:
    """The library's tests and the example's (without e2e) on one combination."""
    session.install("-e", ".[test]", DJANGO[django], DRF[drf])
    _run_suites(session)


@nox.session(python=PYTHONS[0], tags=["lowest"])
def minimum_extras(session: nox.Session) -> None:
    """The lowest declared versions of Django, DRF and every optional extra."""
    session.install("-e", ".[test]", DJANGO["5.2"], DRF["lowest"], *MINIMUM_EXTRAS)
    _run_suites(session)
