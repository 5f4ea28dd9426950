"""The request id on a success, with and without the app, in one process (issue 15).

The 200's row in the WSGI table compares two processes.  On the 200 the
peers run exactly DRF default's code, yet their time ratio to it wanders by
a few percent from run to run: where a process's objects and code land in
memory changes its speed, and that is larger than the 2% this target is
about.  So the cost of the id is also measured inside one worker: next to
the project's WSGI handler, :attr:`Pair.bare` is a second one built from the
same settings less ``ErrorMiddleware`` (the app's only work on a 200; what
else the app installs is not run by a 200, which the instruction counts
show).  Batches of the same request go to the two handlers in turn, the
order alternating, and the ratio is taken batch by batch.

DRF default's worker does the same with two identical handlers: the control,
which should read 1.00.  This app's worker is measured twice: as installed,
and as with ``RequestIdFilter`` in ``LOGGING``, where the middleware also
names the id in a context variable for the filter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bench import cases

if TYPE_CHECKING:
    from bench.run import Options, Worker

MIDDLEWARE = "django_api_errors.middleware.ErrorMiddleware"
LOGGED = f"{cases.OURS}+filter"  # this app's pairs with a RequestIdFilter in use
BARE = f"{cases.OK.key}-bare"  # callgrind's dump name for the 200 through the bare handler
ROUNDS = 301  # two batches of options.wsgi_n requests per round and configuration


def bare_handler() -> Callable[..., Any]:
    """The project's WSGI handler, built again without ``ErrorMiddleware``."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    with override_settings(MIDDLEWARE=[name for name in settings.MIDDLEWARE if name != MIDDLEWARE]):
        return WSGIHandler()


# -- the parent's side -------------------------------------------------------

Pairs = dict[str, list[float]]


def measure(workers: Mapping[str, Worker], options: Options) -> Pairs:
    """Per configuration (this app and DRF default), the batch-by-batch ratios with ÷ without."""
    rounds = ROUNDS if not options.quick else 11
    # (series, worker, whether a RequestIdFilter is in use: this app's worker only)
    runs: list[tuple[str, str, bool | None]] = []
    if cases.OURS in workers:
        runs += [(cases.OURS, cases.OURS, False), (LOGGED, cases.OURS, True)]
    if cases.BASELINE in workers:
        runs.append((cases.BASELINE, cases.BASELINE, None))
    out: Pairs = {name: [] for name, _, _ in runs}
    for _, key, logged in runs:  # warm-up, not recorded
        workers[key].ask("success", n=options.wsgi_n, bare_first=False, logged=logged)
    for round_ in range(rounds):
        for name, key, logged in runs:
            with_ns, without_ns = workers[key].ask(
                "success", n=options.wsgi_n, bare_first=round_ % 2 == 1, logged=logged
            )
            out[name].append(with_ns / without_ns)
    return out


def report(
    pairs: Pairs, instructions: Mapping[str, Mapping[str, float]], options: Options
) -> tuple[list[str], list[tuple[str, bool]]]:
    """The Markdown section and the issue 15 target it checks."""
    from bench.run import MAX_OVER_DRF, label, mark, median, spread, table

    ours, base = cases.OURS, cases.BASELINE
    limit = MAX_OVER_DRF[cases.OK.key]
    targets: list[tuple[str, bool]] = []
    if ours not in pairs:
        return [], targets
    rounds = len(pairs[ours])
    out = [
        "",
        "### The request id on a success, in one process",
        "",
        f"The 200 through the project's WSGI handler and through a second handler built from the same "
        f"settings less `ErrorMiddleware`, in the same worker: {rounds} rounds of {options.wsgi_n} requests "
        "to each, the order alternating; the median (min–max) of the round-by-round ratio. In DRF "
        "default's worker both handlers are the same (the control). With `RequestIdFilter` in `LOGGING` "
        "the middleware also names the id in a context variable (the filter's only source for records "
        "written during the request); without one it leaves the variable alone. Instructions: the 200 "
        "counted by callgrind through each handler, without a filter.",
        "",
    ]
    rows = []
    for key in (ours, LOGGED, base):
        if key not in pairs:
            continue
        time_cell = spread(pairs[key], 3)
        counts = instructions.get(key, {})
        with_i, without_i = counts.get(cases.OK.key), counts.get(BARE)
        instr_cell = (
            f"{with_i / 1000:,.1f}k ÷ {without_i / 1000:,.1f}k = {with_i / without_i:.3f}"
            if with_i and without_i
            else "–"
        )
        if key == ours:
            ok = median(pairs[key]) <= limit
            targets.append((f"the request id on a 200: at most {limit:.2f}× without it (one process)", ok))
            what, verdict = "with `ErrorMiddleware` ÷ without", f"≤ {limit:.2f}×: {mark(ok)}"
        elif key == LOGGED:
            what, verdict = "the same, with `RequestIdFilter` in `LOGGING`", "reported"
        else:
            what, verdict = "the same handler twice (control)", "≈ 1.00"
        rows.append([label(ours if key == LOGGED else key), what, time_cell, instr_cell, verdict])
    out += table(["configuration", "ratio", "time", "instructions", "target"], rows)
    return out, targets


# -- the worker's side -------------------------------------------------------


class Pair:
    """The worker's two handlers for the 200."""

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application
        self.bare = bare_handler()
        seen: list[str] = []
        result = self.bare(
            cases.with_input(cases.environ(cases.OK), b""), lambda line, headers: seen.append(line)
        )
        result.close()
        if not seen[0].startswith("200 "):
            raise RuntimeError(f"the handler without ErrorMiddleware answered {seen[0]}")

    def timed(self, application: Callable[..., Any], n: int) -> int:
        env = cases.environ(cases.OK)
        with_input = cases.with_input

        def start_response(line: str, headers: Sequence[tuple[str, str]], exc_info: Any = None, /) -> None:
            return None

        start = time.perf_counter_ns()
        for _ in range(n):
            result = application(with_input(env, b""), start_response)
            b"".join(result)
            result.close()
        return time.perf_counter_ns() - start

    def both(self, n: int, bare_first: bool, logged: bool | None = None) -> tuple[int, int]:
        """Nanoseconds for ``n`` 200s with, then without the middleware (or the other way round).

        ``logged`` (this app's worker only): whether a ``RequestIdFilter`` is in use.
        """
        if logged is not None:
            from django_api_errors import _requests

            _requests.in_logs = logged
        if bare_first:
            without = self.timed(self.bare, n)
            return self.timed(self.application, n), without
        with_ = self.timed(self.application, n)
        return with_, self.timed(self.bare, n)

    def loop(self, n: int) -> None:
        """``n`` 200s through the bare handler, untimed (for instruction counts)."""
        self.timed(self.bare, n)
