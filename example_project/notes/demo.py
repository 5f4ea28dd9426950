"""A walk through every documented code against a running example API.

Each step is a natural request; ``run`` sends them with the standard
library's HTTP client and returns what came back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Step:
    title: str
    method: str
    path: str
    expect_status: int
    expect_error: str | None
    token: str | None = None
    body: Any = None
    raw_body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    repeat_until_expected: int = 1


@dataclass
class Result:
    step: Step
    status: int
    headers: dict[str, str]
    body: Any


class Client:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.last_cookies: dict[str, str] = {}

    def send(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        raw_body: bytes | None = None,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        sent = {"Accept": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        payload = raw_body
        if body is not None:
            payload = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        conn = HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            raw = response.read()
            got: dict[str, str] = {}
            for name, value in response.getheaders():
                got[name.lower()] = f"{got[name.lower()]}, {value}" if name.lower() in got else value
            self.last_cookies = {}
            for value in response.msg.get_all("Set-Cookie") or ():
                self.last_cookies.update({k: m.value for k, m in SimpleCookie(value).items()})
        finally:
            conn.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return response.status, got, parsed

    def log_in(self, username: str, password: str) -> dict[str, str]:
        """A session login; returns the cookies it set (session and CSRF)."""
        self.send("POST", "/api/auth/login/", body={"username": username, "password": password})
        return dict(self.last_cookies)


def steps(client: Client) -> Iterator[Step]:
    """The demo's requests; some need a note created on the way."""
    run = uuid.uuid4().hex[:8]
    status, _, welcome = client.send("GET", "/api/notes/?format=json", token="alice-rw")
    welcome_id = next((n["id"] for n in welcome if n["title"] == "Welcome"), 1) if status == 200 else 1
    status, _, note = client.send("POST", "/api/notes/", token="alice-rw", body={"title": f"Plans {run}"})
    note_id = note["id"] if status == 201 else welcome_id
    # Two sessions of alice's; the first logs out at once, so its cookie names a session that ended.
    ended = client.log_in("alice", "alice-password")
    live = client.log_in("alice", "alice-password")
    client.send(
        "POST",
        "/api/auth/logout/",
        body={},
        cookies=ended,
        headers={"X-CSRFToken": ended.get("csrftoken", "")},
    )
    session_only = {"sessionid": ended.get("sessionid", "")}

    yield Step(
        "A note with an empty title and a broken checklist",
        "POST",
        "/api/notes/",
        400,
        "invalid_request",
        token="alice-rw",
        body={
            "title": "",
            "checklist": [{"text": "milk"}, {"done": "maybe"}],
            "labels": {"colour": "x" * 40},
        },
    )
    yield Step(
        "Malformed JSON",
        "POST",
        "/api/notes/",
        400,
        "invalid_request",
        token="alice-rw",
        raw_body=b'{"title": "oops",',
        headers={"Content-Type": "application/json"},
    )
    yield Step(
        "A body in XML",
        "POST",
        "/api/notes/",
        415,
        "invalid_content_type",
        token="alice-rw",
        raw_body=b"<note><title>x</title></note>",
        headers={"Content-Type": "application/xml"},
    )
    yield Step("No credentials", "GET", "/api/notes/", 401, "unauthorized_client")
    yield Step("An unknown token", "GET", "/api/notes/", 401, "unauthorized_client", token="no-such-token")
    yield Step("An expired token", "GET", "/api/notes/", 401, "session_expired", token="alice-expired")
    yield Step(
        "Log in with a wrong password",
        "POST",
        "/api/auth/login/",
        401,
        "unauthorized_client",
        body={"username": "alice", "password": "not-her-password"},
    )
    yield Step(
        "Log in as nobody (the same answer: no user enumeration)",
        "POST",
        "/api/auth/login/",
        401,
        "unauthorized_client",
        body={"username": "nobody", "password": "not-her-password"},
    )
    yield Step(
        "A session cookie after that session logged out",
        "GET",
        "/api/notes/",
        401,
        "session_expired",
        cookies=session_only,
    )
    yield Step(
        "A session without its CSRF token",
        "POST",
        "/api/notes/",
        403,
        "access_denied",
        cookies={"sessionid": live.get("sessionid", "")},
        body={"title": f"Forged {run}"},
    )
    yield Step(
        "Bob edits Alice's note",
        "PATCH",
        f"/api/notes/{note_id}/",
        403,
        "access_denied",
        token="bob-rw",
        body={"title": "mine now"},
    )
    yield Step(
        "Deleting with a token without notes:delete",
        "DELETE",
        f"/api/notes/{note_id}/",
        403,
        "insufficient_scope",
        token="alice-rw",
    )
    yield Step(
        "A note that does not exist", "GET", "/api/notes/999999999/", 404, "not_found", token="alice-rw"
    )
    yield Step("A path that matches no route", "GET", "/api/notebooks/", 404, "not_found", token="alice-rw")
    yield Step(
        "A plain Django view showing a note, without credentials",
        "GET",
        f"/api/notes/{welcome_id}/text/",
        401,
        "unauthorized_client",
    )
    yield Step(
        "A plain Django view, unknown id",
        "GET",
        "/api/notes/999999999/text/",
        404,
        "not_found",
        token="alice-rw",
    )
    yield Step(
        "A second note with the same title",
        "POST",
        "/api/notes/",
        409,
        "conflict",
        token="alice-rw",
        body={"title": f"Plans {run}"},
    )
    yield Step(
        "Deleting a note that has comments",
        "DELETE",
        f"/api/notes/{welcome_id}/",
        409,
        "conflict",
        token="alice-full",
    )
    # Conditional requests: read the note's ETag, let "someone else" save first.
    path = f"/api/notes/{note_id}/"
    _, headers, _ = client.send("GET", path, token="alice-rw")
    read_etag = headers.get("etag", '"unknown"')
    client.send("PATCH", path, token="alice-rw", body={"body": "Milk"}, headers={"If-Match": read_etag})
    yield Step(
        "Saving over a newer version (stale If-Match)",
        "PATCH",
        path,
        412,
        "precondition_failed",
        token="alice-rw",
        body={"body": "Eggs"},
        headers={"If-Match": read_etag},
    )
    _, headers, _ = client.send("GET", path, token="alice-rw")
    yield Step(
        "Reading the note again with its current ETag",
        "GET",
        path,
        304,
        None,
        token="alice-rw",
        headers={"If-None-Match": headers.get("etag", '"unknown"')},
    )
    yield Step(
        "Editing a shared note without If-Match",
        "PATCH",
        f"/api/shared-notes/{note_id}/",
        428,
        "precondition_failed",
        token="alice-rw",
        body={"body": "Eggs"},
    )
    yield from async_steps(client, welcome_id, run)
    yield Step(
        "Searching too often (DRF throttle)",
        "GET",
        "/api/search/?q=plans",
        429,
        "usage_limit_exceeded",
        token="alice-rw",
        repeat_until_expected=30,
    )
    yield Step(
        "Searching comments on the same budget (async view)",
        "GET",
        "/api/comment-search/?q=plans",
        429,
        "usage_limit_exceeded",
        token="alice-rw",
        repeat_until_expected=30,
    )
    yield Step(
        "Guessing bob's password (login throttle)",
        "POST",
        "/api/auth/login/",
        429,
        "usage_limit_exceeded",
        body={"username": "bob", "password": "guess"},
        repeat_until_expected=30,
    )
    yield Step(
        "Pinging too often (django-ratelimit, plain view)",
        "GET",
        "/api/ping/",
        429,
        "usage_limit_exceeded",
        repeat_until_expected=30,
    )
    yield Step(
        "Statistics for a user without comments", "GET", "/api/stats/", 500, "server_error", token="bob-rw"
    )


def async_steps(client: Client, welcome_id: int, run: str) -> Iterator[Step]:
    """Comments are an async (adrf) viewset: the same codes, served on the event loop."""
    status, _, comments = client.send("GET", "/api/comments/", token="bob-rw")
    mine = [c for c in comments if c["note"] == welcome_id] if status == 200 else []
    path = f"/api/comments/{mine[0]['id'] if mine else 1}/"
    yield Step(
        "Comments without credentials (async view)", "GET", "/api/comments/", 401, "unauthorized_client"
    )
    yield Step(
        "Comments with an expired token (async view)",
        "GET",
        "/api/comments/",
        401,
        "session_expired",
        token="alice-expired",
    )
    yield Step(
        "A comment without text (async view)",
        "POST",
        "/api/comments/",
        400,
        "invalid_request",
        token="alice-rw",
        body={"note": welcome_id, "text": ""},
    )
    yield Step(
        "A comment in XML (async view)",
        "POST",
        "/api/comments/",
        415,
        "invalid_content_type",
        token="alice-rw",
        raw_body=b"<comment/>",
        headers={"Content-Type": "application/xml"},
    )
    yield Step(
        "Alice edits Bob's comment (async view)",
        "PATCH",
        path,
        403,
        "access_denied",
        token="alice-rw",
        body={"text": "mine now"},
    )
    yield Step(
        "Deleting a comment with a token without notes:delete (async view)",
        "DELETE",
        path,
        403,
        "insufficient_scope",
        token="bob-rw",
    )
    yield Step(
        "A comment that does not exist (async view)",
        "GET",
        "/api/comments/999999999/",
        404,
        "not_found",
        token="bob-rw",
    )
    _, headers, _ = client.send("GET", path, token="bob-rw")
    read_etag = headers.get("etag", '"unknown"')
    client.send(
        "PATCH", path, token="bob-rw", body={"text": f"Nice note! ({run})"}, headers={"If-Match": read_etag}
    )
    yield Step(
        "Saving a comment over a newer version (async view, stale If-Match)",
        "PATCH",
        path,
        412,
        "precondition_failed",
        token="bob-rw",
        body={"text": "Nice note!"},
        headers={"If-Match": read_etag},
    )
    _, headers, _ = client.send("GET", path, token="bob-rw")
    yield Step(
        "Reading the comment again with its current ETag (async view)",
        "GET",
        path,
        304,
        None,
        token="bob-rw",
        headers={"If-None-Match": headers.get("etag", '"unknown"')},
    )


def run(base_url: str, report: Callable[[Result], None] | None = None) -> list[Result]:
    client = Client(base_url)
    results = []
    for step in steps(client):
        for _ in range(step.repeat_until_expected):
            status, headers, body = client.send(
                step.method,
                step.path,
                token=step.token,
                body=step.body,
                raw_body=step.raw_body,
                headers=step.headers,
                cookies=step.cookies,
            )
            # A throttle step sends until the limit answers (a wrong password is a 401 first).
            if status == step.expect_status:
                break
        result = Result(step, status, headers, body)
        results.append(result)
        if report is not None:
            report(result)
    return results
