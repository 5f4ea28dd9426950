"""Benchmark: a conditional GET answered 304 against the same GET answered 200.

    .venv/bin/python bench/conditional.py [--rounds 41] [--requests 20] [--kb 100]

For one note whose JSON representation is about ``--kb`` kilobytes, with the
version validator and with the hash fallback, it calls Django's WSGI handler
directly (the example project's settings and middleware, a SQLite file, no
test client), in interleaved rounds, and prints the median time per request
as Markdown.  Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database: str) -> None:
    import django
    from django.conf import settings

    from example_project import settings as example

    values = {name: getattr(example, name) for name in dir(example) if name.isupper()}
    values["DATABASES"] = {"default": {**example.DATABASES["default"], "NAME": database}}
    values["ROOT_URLCONF"] = __name__
    values["DEBUG"] = False
    values["LOGGING"] = {"version": 1, "disable_existing_loggers": False}
    settings.configure(**values)
    django.setup()


def build_urls() -> list[Any]:
    from django.urls import path
    from rest_framework import viewsets
    from rest_framework.permissions import AllowAny

    from django_api_errors.mixins import ConditionalRequestMixin
    from example_project.notes.models import Note
    from example_project.notes.serializers import NoteSerializer

    class BenchNotes(ConditionalRequestMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        authentication_classes: list[Any] = []
        permission_classes = [AllowAny]
        queryset = Note.objects.select_related("owner")
        serializer_class = NoteSerializer

    class VersionedNotes(BenchNotes):
        etag_version_field = "version"
        etag_modified_field = "updated_at"

    return [
        path("version/<int:pk>/", VersionedNotes.as_view({"get": "retrieve"})),
        path("hash/<int:pk>/", BenchNotes.as_view({"get": "retrieve"})),
    ]


def make_note(kb: int) -> int:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from example_project.notes.models import Note

    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create(username="bench")
    # Most of the weight in nested checklist items, as a real note would have it.
    item = {"text": "Buy a few more things for the weekend trip: tent, stove, rope", "done": False}
    items = max(1, (kb * 1024 - 8 * 1024) // 80)
    return Note.objects.create(owner=owner, title="Big", body="x" * 8 * 1024, checklist=[item] * items).pk


def wsgi_get(
    handler: Callable[..., Any], path: str, headers: dict[str, str]
) -> tuple[str, bytes, dict[str, str]]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **headers,
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(response_headers)

    result = handler(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()  # fires request_finished, as a WSGI server does
    return seen["status"], body, seen["headers"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--requests", type=int, default=20, help="requests per case and round")
    parser.add_argument("--kb", type=int, default=100, help="size of the representation")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-conditional-")
    configure(os.path.join(folder, "bench.sqlite3"))
    global urlpatterns
    urlpatterns = build_urls()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    pk = make_note(args.kb)

    cases: dict[str, tuple[str, dict[str, str], str]] = {}
    sizes = {}
    for validator in ("version", "hash"):
        path = f"/{validator}/{pk}/"
        status, body, headers = wsgi_get(handler, path, {})
        assert status.startswith("200"), status
        sizes[validator] = len(body)
        cases[f"{validator} 200"] = (path, {}, "200")
        cases[f"{validator} 304"] = (path, {"HTTP_IF_NONE_MATCH": headers["ETag"]}, "304")
        cases[f"{validator} stale"] = (path, {"HTTP_IF_NONE_MATCH": '"stale"'}, "200")
    for path, headers, expected in cases.values():  # each case answers as it should
        status, body, _ = wsgi_get(handler, path, headers)
        assert status.startswith(expected) and (expected == "200" or body == b""), (path, status)

    per_request: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for round_number in range(args.rounds + 2):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]  # rotate: interleaved
        for name in order:
            path, headers, _ = cases[name]
            started = time.perf_counter_ns()
            for _ in range(args.requests):
                wsgi_get(handler, path, headers)
            elapsed = (time.perf_counter_ns() - started) / args.requests / 1000
            if round_number >= 2:  # two warm-up rounds
                per_request[name].append(elapsed)
    report(args, sizes, {name: statistics.median(values) for name, values in per_request.items()})


def report(args: argparse.Namespace, sizes: dict[str, int], medians: dict[str, float]) -> None:
    import django
    import rest_framework

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    print(f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"- machine: {cpu}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"- versions: Python {platform.python_version()}, Django {django.__version__}, "
        f"DRF {rest_framework.__version__}, SQLite file database, ATOMIC_REQUESTS on"
    )
    print(f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`")
    print(f"- {args.rounds} interleaved rounds of {args.requests} requests per case, median of round means\n")
    print("| validator | representation | 200 | 304 | 304 / 200 | 200 to a stale If-None-Match |")
    print("|---|---|---|---|---|---|")
    for validator in ("version", "hash"):
        full, short, stale = (medians[f"{validator} {case}"] for case in ("200", "304", "stale"))
        print(
            f"| {validator} | {sizes[validator] / 1024:.0f} KiB | {full:,.0f} µs | {short:,.0f} µs "
            f"| **{short / full:.2f}x** | {stale:,.0f} µs ({stale / full:.2f}x) |"
        )


urlpatterns: list[Any] = []

if __name__ == "__main__":
    main()
