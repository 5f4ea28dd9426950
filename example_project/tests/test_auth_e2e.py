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
        # RateLimit counts down per account name, existing or not; its policy stays compared.
        headers = {
            k: v for k, v in response.headers.items() if k not in ("Date", "X-Request-ID", "RateLimit")
        }
        answers.append((response.status_code, body, headers))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401
    assert answers[0][1]["error"] == "unauthorized_client"


def test_password_guessing_meets_the_login_throttle(server):
    """The example's login rate (10/min per account name and address) under a real server."""
    url, _ = server
    login = f"{url}/api/auth/login/"
    guess = {"username": "bob", "password": "not-bob-password"}
    answers = [requests.post(login, json=guess, timeout=10) for _ in range(10)]
    assert [response.status_code for response in answers] == [401] * 10
    assert answers[0].headers["RateLimit-Policy"] == '"login";q=10;w=60'

    refused = requests.post(login, json=guess, timeout=10)
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.json()["error"] == "usage_limit_exceeded"
    # Local memory counts in tenths of the period: up to 60 s plus one 6 s bucket.
    assert 1 <= int(refused.headers["Retry-After"]) <= 66
    # The right password waits too, so guessing cannot go on; other accounts are not locked out.
    right = requests.post(login, json={"username": "bob", "password": "bob-password"}, timeout=10)
    assert right.status_code == 429 and "sessionid" not in right.cookies
    assert requests.post(login, json=LOGIN, timeout=10).status_code == 200
