"""The benchmark runs end to end on tiny counts and prints its tables.

Only DRF's default and this app are measured here: the peers are installed
by ``make bench`` in its own environment, not in the test environment.  No
figure is checked; timing belongs to ``make bench``, not to the suite.
"""

from pathlib import Path

import pytest

from bench import asgi, cases, run, success

TINY = [
    "--quick",
    "--configs",
    "drf_default,django_api_errors",
    "--rounds",
    "1",
    "--n",
    "2",
    "--memory",
    "12",
]


def test_the_benchmark_prints_its_tables(tmp_path, capsys):
    out = tmp_path / "report.md"
    text = run.main([*TINY, "--callgrind", "0", "--output", str(out)])

    assert capsys.readouterr().out == text == out.read_text()
    for heading in (
        "### Per response through Django's WSGI handler",
        "### django-api-errors against the others, per response",
        "### The request id on a success, in one process",
        "### Per response through Django's ASGI handler",
        "django-api-errors ÷ DRF default under ASGI",
        "### The handler function alone",
        "### Scaling with the number of field errors",
        "### Memory",
        "### Conditional requests and throttling",
        "### Targets",
    ):
        assert heading in text
    for row in ("| 200 (baseline) |", "| 404 not found |", "| 400 nested |", "| 500 server error |"):
        assert row in text
    assert "| request | DRF default | django-api-errors |" in text
    # The ASGI section: its rows, and a target per error row (issue 14).
    asgi = text.split("### Per response through Django's ASGI handler", 1)[1].split("###", 1)[0]
    for row in ("| 200 (baseline) |", "| 404 not found |", "| 400 five fields |", "| 429 throttled |"):
        assert row in asgi
    assert "| 400 nested |" not in asgi
    for request in ("404 not found", "400 five fields", "429 throttled"):
        assert f"- ASGI {request}: at most 1.03× DRF default:" in text
    assert "- ASGI 500 server error: at most 1.10× DRF default:" in text
    # Issue 15's target is judged in one process (with and without the middleware), with a control.
    one = text.split("### The request id on a success, in one process", 1)[1].split("###", 1)[0]
    assert "| django-api-errors | with `ErrorMiddleware` ÷ without |" in one
    assert "| django-api-errors | the same, with `RequestIdFilter` in `LOGGING` |" in one
    assert "| DRF default | the same handler twice (control) |" in one
    assert "- the request id on a 200: at most 1.02× without it (one process):" in text
    assert "200 (baseline): at most" not in text  # not judged across processes
    assert "drf-standardized-errors" not in text
    # The command shown reproduces the measurement; where it was written is no part of it.
    assert "Command: `make bench BENCH_ARGS='--quick --configs drf_default,django_api_errors" in text
    assert "--output" not in text


def test_update_docs_replaces_only_the_results(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"intro\n{run.START}\nold\n{run.END}\noutro\n")
    run.update_docs("new\n", doc)
    assert doc.read_text() == f"intro\n{run.START}\nnew\n{run.END}\noutro\n"


def test_the_docs_have_the_result_markers():
    doc = Path(run.DOCS).read_text()
    assert run.START in doc and run.END in doc


def test_a_wrong_asgi_status_stops_the_run():
    class Answer:
        async def __call__(self, scope, receive, send):
            await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

    client = asgi.Client(Answer())  # answers 200 to everything
    try:
        assert client.timed(cases.OK.key, 2) > 0
        assert client.check()["asgi-404"] == {"status": 200, "expected": 404, "body": "{}"}
        with pytest.raises(RuntimeError, match="ASGI 404 answered 200, not 404"):
            client.timed("404", 2)
    finally:
        client.loop.close()


def test_the_bare_handler_runs_without_the_middleware(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, success.MIDDLEWARE]
    from django.core.handlers.wsgi import WSGIHandler

    assert "ErrorMiddleware" in [type(m).__name__ for m in _middleware_of(WSGIHandler())]
    handler = success.bare_handler()
    names = [type(m).__name__ for m in _middleware_of(handler)]
    assert "ErrorMiddleware" not in names
    assert "CommonMiddleware" in names


def _middleware_of(handler):
    """The middleware instances in a handler's chain, outermost first."""
    found, current = [], handler._middleware_chain
    while current is not None:
        instance = getattr(current, "__wrapped__", current)
        if hasattr(instance, "get_response"):
            found.append(instance)
            current = instance.get_response
        else:
            current = None
    return found
