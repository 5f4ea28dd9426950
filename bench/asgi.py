"""The error path through Django's ASGI handler (issue 14).

The same requests as the WSGI rows (a 200 for scale, then 404, 400 with five
fields, 429 from a throttle and 500 from an exception), handed in-process to
``get_asgi_application()``: a hand-built HTTP scope, a ``receive`` that
yields the body once and then waits like a client that stays connected, and
a ``send`` that collects the response.  No server and no network: each
worker runs one event loop, reused for every call.  Every call's status is
checked, so a wrong answer stops the run instead of being timed.

The worker side is :class:`Client`; the parent's side is :func:`jobs` (what
``run.interleave`` measures) and :func:`report` (the Markdown).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bench import cases

if TYPE_CHECKING:
    from bench.run import Options, Samples

Message = Mapping[str, Any]
Application = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]

REQUESTS: tuple[cases.Request, ...] = tuple(
    request for request in cases.REQUESTS if request.key in ("200", "404", "400", "429", "500")
)
# The rows issue 14 sets targets for (the 200 is there to show the scale).
TARGET_KEYS = ("404", "400", "429", "500")
PREFIX = "asgi-"  # callgrind's dump names for these rows: "asgi-404", ...


def scope(request: cases.Request) -> dict[str, Any]:
    """An HTTP scope as an ASGI server would build it for ``request``."""
    headers = [(b"host", b"testserver"), (b"accept", b"application/json"), (b"user-agent", b"bench/1")]
    if request.body:
        headers += [
            (b"content-type", request.content_type.encode()),
            (b"content-length", str(len(request.body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": request.path,
        "raw_path": request.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }


class Exchange:
    """One request's two channels: the body goes in once, the response is collected."""

    __slots__ = ("body", "chunks", "status")

    def __init__(self, body: bytes) -> None:
        self.body: bytes | None = body
        self.status = 0
        self.chunks: list[bytes] = []

    async def receive(self) -> Message:
        if self.body is not None:
            body, self.body = self.body, None
            return {"type": "http.request", "body": body, "more_body": False}
        # The client stays connected: Django listens for a disconnect while
        # the view runs and cancels this wait once it has answered.
        await asyncio.get_running_loop().create_future()
        raise AssertionError("unreachable: the future is never resolved")

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))


class Client:
    """In the worker: Django's ASGI application and the loop that drives it."""

    def __init__(self, application: Application | None = None) -> None:
        if application is None:
            from django.core.asgi import get_asgi_application

            application = get_asgi_application()
        self.application = application
        self.loop = asyncio.new_event_loop()
        self.scopes = {request.key: scope(request) for request in REQUESTS}
        self.requests = {request.key: request for request in REQUESTS}

    async def _batch(self, key: str, n: int) -> int:
        """Nanoseconds for ``n`` requests of kind ``key``, each status checked."""
        request = self.requests[key]
        request_scope, body, expected = self.scopes[key], request.body, request.status
        application = self.application
        start = time.perf_counter_ns()
        for _ in range(n):
            exchange = Exchange(body)
            await application(dict(request_scope), exchange.receive, exchange.send)
            if exchange.status != expected:
                raise RuntimeError(f"ASGI {key} answered {exchange.status}, not {expected}")
        return time.perf_counter_ns() - start

    def timed(self, key: str, n: int) -> int:
        return self.loop.run_until_complete(self._batch(key, n))

    def call(self, key: str) -> tuple[int, bytes]:
        exchange = Exchange(self.requests[key].body)
        self.loop.run_until_complete(
            self.application(dict(self.scopes[key]), exchange.receive, exchange.send)
        )
        return exchange.status, b"".join(exchange.chunks)

    def check(self) -> dict[str, Any]:
        """Every row's status and the start of its body, keyed like the WSGI check's."""
        out: dict[str, Any] = {}
        for request in REQUESTS:
            status, body = self.call(request.key)
            out[f"{PREFIX}{request.key}"] = {
                "status": status,
                "expected": request.status,
                "body": body.decode()[:300],
            }
        return out


# -- the parent's side -------------------------------------------------------


def jobs(options: Options) -> list[tuple[str, str, dict[str, Any], int]]:
    """The rows for ``run.interleave``: ``options.wsgi_n`` requests per batch."""
    n = options.wsgi_n
    return [(request.key, "asgi", {"key": request.key, "n": n}, n) for request in REQUESTS]


def report(
    samples: Samples,
    instructions: Mapping[str, Mapping[str, float]],
    configs: Sequence[str],
) -> tuple[list[str], list[tuple[str, bool]]]:
    """The Markdown section and the targets it checked (time medians only, like WSGI's)."""
    from bench.run import MAX_OVER_DRF, label, mark, median, ratios, spread, table

    base, ours = cases.BASELINE, cases.OURS
    targets: list[tuple[str, bool]] = []
    out = [
        "",
        "### Per response through Django's ASGI handler",
        "",
        "The same requests handed to `get_asgi_application()` in-process (a hand-built HTTP scope, one "
        "event loop per worker, no server): Django runs the sync DRF views in a thread of a per-request "
        "executor, as under uvicorn. Microseconds per request, median (min–max); `×` is the ratio to the "
        "200 of the same configuration.",
        "",
    ]
    rows = []
    for request in REQUESTS:
        row = [request.label]
        for key in configs:
            values = samples[(key, request.key)]
            cell = spread(values)
            if request.key != cases.OK.key:
                cell += f" ×{median(ratios(values, samples[(key, cases.OK.key)])):.2f}"
            row.append(cell)
        rows.append(row)
    out += table(["request", *map(label, configs)], rows)
    if base not in configs or ours not in configs:
        return out, targets

    counted = bool(instructions.get(ours)) and bool(instructions.get(base))
    out += [
        "",
        f"{label(ours)} ÷ {label(base)} under ASGI: the median of the round-by-round time ratios"
        + (
            ", and the ratio of instructions per request (callgrind, counted as for the WSGI rows)"
            if counted
            else ""
        )
        + "; targets of issue 14.",
        "",
    ]
    rows = []
    for request in REQUESTS:
        to_base = ratios(samples[(ours, request.key)], samples[(base, request.key)])
        row = [request.label, spread(to_base, 3)]
        limit = MAX_OVER_DRF[request.key] if request.key in TARGET_KEYS else None
        if counted:
            mine = instructions[ours].get(PREFIX + request.key)
            theirs = instructions[base].get(PREFIX + request.key)
            cell = (
                f"{mine / 1000:,.1f}k ÷ {theirs / 1000:,.1f}k = {mine / theirs:.3f}"
                if mine and theirs
                else "–"
            )
            if mine and theirs and limit is not None:
                cell += " ✓" if mine / theirs <= limit else " ✗"
            row.append(cell)
        if limit is not None:
            ok = median(to_base) <= limit
            targets.append((f"ASGI {request.label}: at most {limit:.2f}× DRF default", ok))
            row.append(f"≤ {limit:.2f}×: {mark(ok)}")
        else:
            row.append("no target")
        rows.append(row)
    header = ["request", f"time ÷ {label(base)}", *(["instructions"] if counted else []), "target (time)"]
    out += table(header, rows)
    return out, targets
