"""The example API under multi-worker gunicorn and uvicorn: concurrent writers over real HTTP.

Notes are a sync viewset with a version field, comments an async (adrf)
viewset whose ETags hash the representation; both run under both servers.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from example_project.tests.live import SERVERS, example_api

pytestmark = pytest.mark.e2e

WRITERS = 16
ALICE = {"Authorization": "Bearer alice-rw"}


@pytest.fixture(scope="module", params=SERVERS)
def base_url(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"conditional-e2e-{request.param}")
    with example_api(tmp, workers=4, server=request.param) as url:
        yield url


@pytest.fixture
def note_url(base_url):
    response = requests.post(
        f"{base_url}/api/notes/", json={"title": f"Race {uuid.uuid4()}"}, headers=ALICE, timeout=30
    )
    assert response.status_code == 201, response.text
    return f"{base_url}/api/notes/{response.json()['id']}/"


@pytest.fixture
def comment_url(note_url, base_url):
    note = int(note_url.rstrip("/").rsplit("/", 1)[1])
    response = requests.post(
        f"{base_url}/api/comments/", json={"note": note, "text": "first"}, headers=ALICE, timeout=30
    )
    assert response.status_code == 201, response.text
    return f"{base_url}/api/comments/{response.json()['id']}/"


def _all_at_once(work):
    start = threading.Barrier(WRITERS)

    def run(i):
        with requests.Session() as session:
            start.wait(timeout=60)
            return work(session, i)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(run, range(WRITERS)))


def test_one_of_sixteen_writers_with_the_same_if_match_wins(note_url):
    etag = requests.get(note_url, headers=ALICE, timeout=30).headers["ETag"]
    token = uuid.uuid4().hex[:8]

    def write(session, i):
        headers = {**ALICE, "If-Match": etag}
        return session.patch(note_url, json={"title": f"writer {i} {token}"}, headers=headers, timeout=60)

    winner = _one_winner(_all_at_once(write))
    stored = requests.get(note_url, headers=ALICE, timeout=30)
    assert stored.json()["title"] == winner.json()["title"]
    assert stored.json()["version"] == 2
    assert stored.headers["ETag"] == winner.headers["ETag"]


def test_one_of_sixteen_async_writers_with_the_same_if_match_wins(comment_url):
    etag = requests.get(comment_url, headers=ALICE, timeout=30).headers["ETag"]

    def write(session, i):
        headers = {**ALICE, "If-Match": etag}
        return session.patch(comment_url, json={"text": f"writer {i}"}, headers=headers, timeout=60)

    winner = _one_winner(_all_at_once(write))
    stored = requests.get(comment_url, headers=ALICE, timeout=30)
    assert stored.json()["text"] == winner.json()["text"]
    assert stored.headers["ETag"] == winner.headers["ETag"] != etag


def _one_winner(responses):
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * (WRITERS - 1), [r.text for r in responses if r.status_code != 412]
    winner = next(response for response in responses if response.status_code == 200)
    for response in responses:
        if response.status_code == 412:
            assert response.json()["error"] == "precondition_failed"
            assert response.headers["ETag"] == winner.headers["ETag"]
    return winner


def test_writers_that_retry_on_412_lose_no_update(note_url):
    first_reads = threading.Barrier(WRITERS)

    def append_item(session, i):
        for attempt in range(4 * WRITERS):
            current = session.get(note_url, headers=ALICE, timeout=60)
            if attempt == 0:
                first_reads.wait(timeout=60)  # all start from the same version
            items = [*current.json()["checklist"], {"text": f"writer {i}"}]
            headers = {**ALICE, "If-Match": current.headers["ETag"]}
            response = session.patch(note_url, json={"checklist": items}, headers=headers, timeout=60)
            if response.status_code != 412:
                return response.status_code, attempt
        return None, attempt

    outcomes = _all_at_once(append_item)
    assert [status for status, _ in outcomes] == [200] * WRITERS
    assert sorted(attempts for _, attempts in outcomes)[:2] == [0, 1]  # one first-round winner
    stored = requests.get(note_url, headers=ALICE, timeout=30).json()
    assert sorted(item["text"] for item in stored["checklist"]) == sorted(
        f"writer {i}" for i in range(WRITERS)
    )
    assert stored["version"] == 1 + WRITERS


def test_not_modified_over_http(note_url):
    first = requests.get(note_url, headers=ALICE, timeout=30)
    again = requests.get(note_url, headers={**ALICE, "If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
