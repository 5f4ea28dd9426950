"""The shipped French translation: complete, compiled, chosen by Accept-Language."""

import gettext
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import django_api_errors
from django_api_errors import classify, codes, views
from tests.conftest import assert_error, assert_problem

LOCALE = Path(django_api_errors.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _restore_language():
    # LocaleMiddleware activates the request's language and leaves it active.
    with translation.override("en"):
        yield


def _po_entries(text):
    """``{msgid: msgstr}`` of a .po file (the header left out)."""
    entries, current, key = {}, {}, None
    for line in text.splitlines() + [""]:
        match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current:
            if current.get("msgid"):
                entries[current["msgid"].replace('\\"', '"')] = current["msgstr"].replace('\\"', '"')
            current, key = {}, None
    return entries


def _catalog():
    with open(LOCALE / "django.mo", "rb") as mo:
        return {k: v for k, v in gettext.GNUTranslations(mo)._catalog.items() if k}


def test_po_is_complete_and_compiled():
    entries = _po_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 40
    assert all(entries.values()), [k for k, v in entries.items() if not v]
    assert _catalog() == entries  # the committed .mo is the committed .po


def test_every_user_facing_string_is_translated():
    catalog = _catalog()
    texts = [
        classify.TOO_BIG,
        classify.UNIQUE,
        classify.PROTECTED,
        classify.TOO_DEEP,
        classify.NO_ROUTE,
        views.CSRF_FAILED,
    ]
    for entry in codes.BUILTIN:
        texts += [entry.description, entry.action]
    for text in texts:
        english = str(text)
        assert english in catalog, english
        with translation.override("fr"):
            assert str(text) == catalog[english]


@pytest.fixture
def french(settings):
    """LocaleMiddleware and a French among the languages: the setup the README describes."""
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    at = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:at],
        "django.middleware.locale.LocaleMiddleware",
        *settings.MIDDLEWARE[at:],
    ]


@pytest.mark.django_db
def test_accept_language_picks_french(client, french):
    response = client.get("/no/such/route/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    body = assert_error(response, 404, "not_found")
    assert body["error_description"] == "La ressource demandée n'existe pas."
    assert response["Content-Language"] == "fr"
    english = assert_error(client.get("/no/such/route/"), 404, "not_found")
    assert english["error_description"] == "The requested resource does not exist."


@pytest.mark.django_db
def test_french_problem_details_and_drf_errors(client, french, problem_negotiation, settings):
    settings.API_ERRORS = {"ERROR_URI": "https://example.com/docs/errors#{code}"}
    problem = assert_problem(
        client.get("/authn/session/", HTTP_ACCEPT="application/problem+json", HTTP_ACCEPT_LANGUAGE="fr"),
        401,
        "unauthorized_client",
    )
    # ERROR_URI is set, so the title is the code's (translated) description;
    # the detail is DRF's own French message.
    assert problem["title"].startswith("Une authentification est requise")
    assert problem["detail"] == "Informations d'authentification non fournies."


def test_reference_in_french():
    out = StringIO()
    call_command("api_error_reference", language="fr", stdout=out)
    assert (
        "| `not_found` | 404 | La ressource demandée n'existe pas. | Vérifiez le chemin et l'identifiant. | - |"
        in out.getvalue()
    )
    assert translation.get_language() == "en"


def test_makemessages_finds_nothing_untranslated(tmp_path):
    """Extract the catalogue from the code as it is now: no string may lack French."""
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to extract the catalogue")
    package = tmp_path / "django_api_errors"
    shutil.copytree(LOCALE.parent.parent.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=tmp_path,  # above the package: its logging.py must not shadow the standard library's
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "", "PATH": __import__("os").environ["PATH"]},
    )
    text = (package / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    assert "#, fuzzy" not in body, "fuzzy entries: " + ", ".join(
        re.findall(r"#, fuzzy\nmsgid \"(.*)\"", body)
    )
    missing = [msgid for msgid, msgstr in _po_entries(body).items() if not msgstr]
    assert not missing, missing
