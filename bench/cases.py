"""What is measured: the configurations, the requests and the exceptions.

Nothing here imports Django at module level, so the parent process can read
the tables without settings.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from io import BytesIO
from typing import Any


@dataclass(frozen=True)
class Config:
    key: str
    label: str
    settings: str
    # The distribution whose version the report names (None: DRF itself).
    dist: str | None


CONFIGS: tuple[Config, ...] = (
    Config("drf_default", "DRF default", "bench.settings.drf_default", None),
    Config(
        "drf_standardized_errors",
        "drf-standardized-errors",
        "bench.settings.drf_standardized_errors",
        "drf-standardized-errors",
    ),
    Config(
        "drf_exceptions_hog", "drf-exceptions-hog", "bench.settings.drf_exceptions_hog", "drf-exceptions-hog"
    ),
    Config("django_api_errors", "django-api-errors", "bench.settings.django_api_errors", "django-api-errors"),
)
BY_KEY = {config.key: config for config in CONFIGS}
BASELINE = "drf_default"
OURS = "django_api_errors"


@dataclass(frozen=True)
class Request:
    """One request through the WSGI handler, and the status it must get."""

    key: str
    label: str
    method: str
    path: str
    status: int
    body: bytes = b""
    content_type: str = ""


FIVE_BAD_FIELDS = {"name": "", "age": "many", "email": "not-an-email", "score": 1000, "slug": "not a slug"}
NESTED = {
    "customer": "",
    "items": [{"name": "", "qty": 0}, {"name": "tea", "qty": "two"}],
    "address": {"city": "", "postcode": "1234"},
}


def _json(data: Any) -> bytes:
    return json.dumps(data).encode()


OK = Request("200", "200 (baseline)", "GET", "/items/1/", 200)
REQUESTS: tuple[Request, ...] = (
    OK,
    Request("404", "404 not found", "GET", "/items/2/", 404),
    Request("400", "400 five fields", "POST", "/signup/", 400, _json(FIVE_BAD_FIELDS), "application/json"),
    Request("400n", "400 nested", "POST", "/orders/", 400, _json(NESTED), "application/json"),
    Request("415", "415 media type", "POST", "/orders/", 415, b"<order/>", "text/xml"),
    Request("429", "429 throttled", "GET", "/throttled/", 429),
    Request("500", "500 server error", "GET", "/boom/", 500),
)
ERRORS = tuple(request for request in REQUESTS if request.status >= 400)

# Handler-alone kinds: the exception a view raises for each error request.
HANDLER_KINDS: tuple[tuple[str, str], ...] = (
    ("404", "Http404"),
    ("400", "ValidationError, 5 fields"),
    ("400n", "ValidationError, nested"),
    ("415", "UnsupportedMediaType"),
    ("429", "Throttled"),
    ("500", "RuntimeError"),
)

SCALE_FIELDS: tuple[int, ...] = (10, 100, 1000)


def environ(request: Request) -> dict[str, Any]:
    """A WSGI environ as a server would pass it (``wsgi.input`` is set per call)."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": request.path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": "application/json",
        "HTTP_USER_AGENT": "bench/1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if request.body:
        env["CONTENT_LENGTH"] = str(len(request.body))
        env["CONTENT_TYPE"] = request.content_type
    return env


def with_input(env: dict[str, Any], body: bytes) -> dict[str, Any]:
    fresh = dict(env)
    fresh["wsgi.input"] = BytesIO(body)
    return fresh
