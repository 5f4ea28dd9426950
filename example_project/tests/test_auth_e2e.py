"""Session login against the example API under gunicorn, with a real HTTP client."""

import sqlite3
from contextlib import closing

import pytest
import requests

from example_project.tests.live import example_api

pytestmark = pytest.mark.e2e

LOGIN = {"username": "alice", "password": "alice-password"}  # seeded by seed_demo


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("auth-e2e")
    with example_api(tmp, workers=1) as url:
        yield url, tmp / "example.sqlite3"


def expire(database, session_key):
    """What the clock does to a session: its expire_date passes."""
    with closing(sqlite3.connect(database)) as conn, conn:
        cursor = conn.execute(
            "UPDATE django_session SET expire_date = '2000-01-01 00:00:00' WHERE session_key = ?",
            (session_key,),
        )
        return cursor.rowcount


def test_expired_session_under_a_real_server(server, request):
    url, database = server
    http = requests.Session()
    request.addfinalizer(http.close)
    response = http.post(f"{url}/api/auth/login/", json=LOGIN, timeout=10)
    assert response.status_code == 200, response.text
    assert http.get(f"{url}/api/notes/", timeout=10).status_code == 200

    assert expire(database, http.cookies["sessionid"]) == 1
    response = http.get(f"{url}/api/notes/", timeout=10)
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"
    assert response.headers["WWW-Authenticate"] == 'Session realm="api"'
    assert 'sessionid=""' in response.headers["Set-Cookie"]
    assert "Max-Age=0" in response.headers["Set-Cookie"]
    assert "sessionid" not in http.cookies  # the client dropped the stale cookie

    response = http.get(f"{url}/api/notes/", timeout=10)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized_client"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="notes"'


def test_login_does_not_tell_unknown_users_from_wrong_passwords(server):
    url, _ = server
    answers = []
    for credentials in ({"username": "nobody", "password": "x"}, {"username": "alice", "password": "x"}):
        response = requests.post(f"{url}/api/auth/login/", json=credentials, timeout=10)
        body = response.json()
        del body["request_id"]
        headers = {k: v for k, v in response.headers.items() if k not in ("Date", "X-Request-ID")}
        answers.append((response.status_code, body, headers))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401
    assert answers[0][1]["error"] == "unauthorized_client"
