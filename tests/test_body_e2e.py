"""Against the example under gunicorn: a chunked PATCH is applied, a slashless POST is repeated once."""

import json

import pytest
import requests

from tests.live import example_api
from tests.test_body import chunked, raw_http

pytestmark = pytest.mark.e2e

TOKEN = {"Authorization": "Bearer alice-rw"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with example_api(tmp_path_factory.mktemp("body"), workers=2) as url:
        yield url


def _new_note(base_url, title):
    response = requests.post(f"{base_url}/api/notes/", json={"title": title}, headers=TOKEN, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_chunked_patch_is_applied(base_url):
    note = _new_note(base_url, "before")
    status, headers, body = raw_http(
        base_url,
        chunked(
            "PATCH",
            f"/api/notes/{note['id']}/",
            json.dumps({"title": "sent in chunks"}).encode(),
            {**TOKEN, "Content-Type": "application/json"},
        ),
    )
    assert status == 200, body
    read = requests.get(f"{base_url}/api/notes/{note['id']}/", headers=TOKEN, timeout=10).json()
    assert read["title"] == "sent in chunks"


def test_a_chunked_post_creates_what_was_sent(base_url):
    status, _, body = raw_http(
        base_url,
        chunked(
            "POST", "/api/notes/", b'{"title": "chunked post"}', {**TOKEN, "Content-Type": "application/json"}
        ),
    )
    assert status == 201, body


def test_a_post_without_its_slash_is_repeated_once_by_a_following_client(base_url):
    title = "posted to a slashless URL"
    response = requests.post(f"{base_url}/api/notes", json={"title": title}, headers=TOKEN, timeout=10)
    assert response.status_code == 201, response.text
    assert [r.status_code for r in response.history] == [308]
    listing = requests.get(
        f"{base_url}/api/notes/?format=json&page_size=1000", headers=TOKEN, timeout=10
    ).json()
    notes = listing["results"] if isinstance(listing, dict) else listing
    assert [n["title"] for n in notes].count(title) == 1
