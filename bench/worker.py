"""One configuration's measuring process.

The parent starts one worker per configuration (each with its own settings
module) and sends it one JSON command per line on stdin; the worker answers
each with one JSON line on stdout.  Timing happens here, on this process's
own clock, so the pipe costs nothing that is measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from importlib import metadata
from itertools import cycle, islice
from typing import Any, cast

from bench import asgi, cases, success

Write = Callable[[bytes], object]


def _write(data: bytes) -> None:
    """WSGI's ``write()``; Django never calls it."""


class Bench:
    """The loaded Django application and everything a measurement needs."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()
        from rest_framework.settings import api_settings

        self.handler = cast(Callable[[Exception, dict[str, Any]], Any], api_settings.EXCEPTION_HANDLER)
        self.environs = {request.key: cases.environ(request) for request in cases.REQUESTS}
        self.bodies = {request.key: request.body for request in cases.REQUESTS}
        self._exceptions: dict[str, Exception] = {}
        self._asgi: asgi.Client | None = None
        self._pair: success.Pair | None = None

    @property
    def asgi(self) -> asgi.Client:
        """The same project through Django's ASGI handler, made on first use."""
        if self._asgi is None:
            self._asgi = asgi.Client()
        return self._asgi

    @property
    def pair(self) -> success.Pair:
        """The 200 with and without ``ErrorMiddleware``, in this process; made on first use."""
        if self._pair is None:
            self._pair = success.Pair(self.application)
        return self._pair

    # -- through the WSGI handler --------------------------------------------

    def call(self, key: str) -> tuple[int, bytes]:
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None, /) -> Write:
            status.append(line)
            return _write

        result = self.application(cases.with_input(self.environs[key], self.bodies[key]), start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return int(status[0].split(" ", 1)[0]), body

    def wsgi(self, key: str, n: int) -> int:
        """Nanoseconds for ``n`` requests of kind ``key``."""
        env = self.environs[key]
        body = self.bodies[key]
        application = self.application
        with_input = cases.with_input

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None, /) -> Write:
            return _write

        start = time.perf_counter_ns()
        for _ in range(n):
            result = application(with_input(env, body), start_response)
            b"".join(result)
            result.close()
        return time.perf_counter_ns() - start

    def loop(self, key: str, n: int) -> None:
        """``n`` requests of kind ``key``, untimed (for instruction counts)."""
        for _ in range(n):
            self.call(key)

    # -- the handler alone ---------------------------------------------------

    def context(self) -> dict[str, Any]:
        """A fresh DRF request and view, as DRF passes them to the handler."""
        from django.core.handlers.wsgi import WSGIRequest

        from bench.views import OrderView

        django_request = WSGIRequest(cases.with_input(self.environs["400n"], self.bodies["400n"]))
        view = OrderView()
        view.setup(django_request)
        view.format_kwarg = None
        request = view.initialize_request(django_request)
        view.request = request
        view.headers = {}
        return {"view": view, "args": (), "kwargs": {}, "request": request}

    def exception(self, kind: str) -> Exception:
        from django.http import Http404
        from rest_framework import exceptions

        from bench.views import OrderSerializer, SignupSerializer

        def raised(exc: Exception) -> Exception:
            try:
                raise exc
            except Exception as caught:
                return caught

        if kind == "404":
            return raised(Http404("No Item matches the given query."))
        if kind == "400":
            return self.validation(SignupSerializer, cases.FIVE_BAD_FIELDS)
        if kind == "400n":
            return self.validation(OrderSerializer, cases.NESTED)
        if kind == "415":
            return raised(exceptions.UnsupportedMediaType("text/xml"))
        if kind == "429":
            return raised(exceptions.Throttled(wait=30))
        if kind == "500":
            return raised(RuntimeError("bench: an unexpected failure"))
        if kind.startswith("fields="):
            lines = int(kind.split("=", 1)[1]) // 2
            # Two errors per line: a blank name and a quantity below 1.
            order = {"customer": "bench", "items": [{"name": "", "qty": 0}] * lines}
            return self.validation(OrderSerializer, order)
        raise ValueError(kind)

    @staticmethod
    def validation(serializer_class: Any, data: Any) -> Exception:
        from rest_framework.exceptions import ValidationError

        try:
            serializer_class(data=data).is_valid(raise_exception=True)
        except ValidationError as exc:
            return exc
        raise AssertionError("the data was valid")

    def render(self, response: Any, context: dict[str, Any]) -> bytes:
        """The body bytes, rendering a DRF ``Response`` as ``finalize_response`` would."""
        if response is None:
            return b""
        from rest_framework.response import Response

        if isinstance(response, Response):
            view = context["view"]
            response.accepted_renderer = view.perform_content_negotiation(context["request"])[0]
            response.accepted_media_type = "application/json"
            response.renderer_context = view.get_renderer_context()  # type: ignore[attr-defined]
            response.render()
        return bytes(response.content)

    def handle(self, kind: str, n: int, render: bool) -> int:
        """Nanoseconds for ``n`` calls of the handler (and rendering, if asked)."""
        exc = self._exceptions.get(kind)
        if exc is None:
            exc = self._exceptions[kind] = self.exception(kind)
        contexts = [self.context() for _ in range(n)]
        handler = self.handler
        if render:
            start = time.perf_counter_ns()
            for context in contexts:
                self.render(handler(exc, context), context)
        else:
            start = time.perf_counter_ns()
            for context in contexts:
                handler(exc, context)
        return time.perf_counter_ns() - start

    # -- checks, versions, memory --------------------------------------------

    def check(self) -> dict[str, Any]:
        """Every request gets its status, through WSGI and ASGI; a body of each, to show what is compared."""
        out: dict[str, Any] = {}
        for request in cases.REQUESTS:
            status, body = self.call(request.key)
            out[request.key] = {"status": status, "expected": request.status, "body": body.decode()[:300]}
        out.update(self.asgi.check())
        return out

    def versions(self, config: cases.Config) -> dict[str, str]:
        import django
        import rest_framework

        found = {
            "python": sys.version.split()[0],
            "django": django.get_version(),
            "djangorestframework": rest_framework.VERSION,
        }
        if config.dist:
            found[config.dist] = metadata.version(config.dist)
        return found

    def memory(self, first: int, total: int) -> list[dict[str, int]]:
        """Resident memory and live objects after ``first``, a tenth of ``total``
        and ``total`` mixed error responses, each after a full collection."""
        kinds = cycle([request.key for request in cases.ERRORS])
        # Start from what serving needs, not from what earlier measurements left.
        self._exceptions.clear()
        gc.collect()
        seen: list[dict[str, int]] = []
        done = 0
        for mark in sorted({first, max(first, total // 10), total}):
            for key in islice(kinds, mark - done):
                self.call(key)
            done = mark
            gc.collect()
            seen.append({"responses": mark, "rss": rss(), "objects": len(gc.get_objects())})
        return seen


def rss() -> int:
    """This process's resident set size in bytes."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def serve(config: cases.Config) -> None:
    bench = Bench()
    out = sys.stdout
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        reply: Any
        if op == "wsgi":
            reply = bench.wsgi(command["key"], command["n"])
        elif op == "success":
            reply = bench.pair.both(command["n"], command["bare_first"], command.get("logged"))
        elif op == "asgi":
            reply = bench.asgi.timed(command["key"], command["n"])
        elif op == "handle":
            reply = bench.handle(command["kind"], command["n"], command.get("render", False))
        elif op == "check":
            reply = bench.check()
        elif op == "versions":
            reply = bench.versions(config)
        elif op == "memory":
            reply = bench.memory(command["first"], command["total"])
        elif op == "quit":
            break
        else:
            raise ValueError(f"unknown op {op!r}")
        out.write(json.dumps(reply) + "\n")
        out.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", choices=sorted(cases.BY_KEY))
    parser.add_argument(
        "--callgrind", metavar="N", type=int, help="count instructions of N requests per kind"
    )
    args = parser.parse_args(argv)
    config = cases.BY_KEY[args.config]
    os.environ["DJANGO_SETTINGS_MODULE"] = config.settings
    if args.callgrind:
        from bench import callgrind

        callgrind.measure(Bench(), args.callgrind)
    else:
        serve(config)


if __name__ == "__main__":
    main()
