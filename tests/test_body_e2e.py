"""Against the example under gunicorn and uvicorn: a chunked PATCH is applied, a slashless POST is repeated once."""

import gzip
import json

import pytest
import requests

from example_project.tests.live import SERVERS, example_api
from tests.test_body import chunked, raw_http

pytestmark = pytest.mark.e2e

TOKEN = {"Authorization": "Bearer alice-rw"}


@pytest.fixture(scope="module", params=SERVERS)
def base_url(request, tmp_path_factory):
    with example_api(
        tmp_path_factory.mktemp(f"body-{request.param}"), workers=2, server=request.param
    ) as url:
        yield url


def _new_note(base_url, title):
    response = requests.post(f"{base_url}/api/notes/", json={"title": title}, headers=TOKEN, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _chunked_patch(base_url, note, title):
    """PATCH ``note``'s title with a chunked body; the status, the body, and the note read back."""
    path = f"/api/notes/{note['id']}/"
    headers = {**TOKEN, "Content-Type": "application/json"}
    status, _, body = raw_http(
        base_url, chunked("PATCH", path, json.dumps({"title": title}).encode(), headers)
    )
    return status, body, requests.get(f"{base_url}{path}", headers=TOKEN, timeout=10).json()


def test_a_chunked_patch_is_applied(base_url):
    status, body, read = _chunked_patch(base_url, _new_note(base_url, "before"), "sent in chunks")
    assert status == 200, body
    assert read["title"] == "sent in chunks"


@pytest.fixture(scope="module")
def runserver_url(tmp_path_factory):
    with example_api(tmp_path_factory.mktemp("body-runserver"), server="runserver") as url:
        yield url


def test_runserver_cannot_say_so_a_chunked_patch_is_refused_not_dropped(runserver_url):
    # Django's development server does not de-chunk and does not say whether
    # the body is complete: 411, and the note is left as it was.
    note = _new_note(runserver_url, "untouched")
    status, body, read = _chunked_patch(runserver_url, note, "sent in chunks")
    assert status == 411, body
    assert json.loads(body)["error"] == "invalid_request"
    assert read["title"] == "untouched" and read["version"] == note["version"]


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


@pytest.fixture(scope="module")
def short_timeout_url(tmp_path_factory):
    # SQLite gives up on a lock after 2 s here; the slow client takes longer.
    with example_api(
        tmp_path_factory.mktemp("trickle"), workers=2, extra_env={"EXAMPLE_SQLITE_TIMEOUT": "2"}
    ) as url:
        yield url


def test_a_client_trickling_its_body_stalls_nobody(short_timeout_url):
    import socket
    import threading
    import time
    from urllib.parse import urlsplit

    parts = urlsplit(short_timeout_url)
    body = json.dumps({"title": "sent slowly"}).encode()
    answer = {}

    def trickle():
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            head = (
                f"POST /api/notes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                f"Authorization: Bearer alice-rw\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            sock.sendall(head.encode())
            for byte in body:  # about 4 s, twice SQLite's timeout
                sock.sendall(bytes([byte]))
                time.sleep(4 / len(body))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        answer["status"] = int(data.split()[1])

    slow = threading.Thread(target=trickle)
    slow.start()
    time.sleep(0.5)
    statuses = []
    while slow.is_alive():
        statuses.append(
            requests.get(f"{short_timeout_url}/api/notes/", headers=TOKEN, timeout=10).status_code
        )
        created = requests.post(
            f"{short_timeout_url}/api/notes/",
            json={"title": f"meanwhile {len(statuses)}"},
            headers=TOKEN,
            timeout=10,
        )
        statuses.append(created.status_code)
    slow.join()
    assert answer["status"] == 201
    assert len(statuses) >= 4 and set(statuses) <= {200, 201}, statuses


def test_a_gzipped_form_patch_is_refused_not_applied_as_garbage(base_url):
    # Read as plain, the gzipped form is one garbage field: the PATCH would
    # answer 200 and leave the note as it was.
    note = _new_note(base_url, "plain")
    path = f"{base_url}/api/notes/{note['id']}/"
    response = requests.patch(
        path,
        data=gzip.compress(b"title=compressed"),
        headers={**TOKEN, "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert response.status_code == 415, response.text
    assert response.json()["error"] == "invalid_content_type"
    assert response.headers["Accept-Encoding"] == "identity"
    read = requests.get(path, headers=TOKEN, timeout=10).json()
    assert read["title"] == "plain" and read["version"] == note["version"]
