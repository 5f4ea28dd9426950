"""Instruction counts per request under callgrind: a noise-free second view.

Wall-clock medians on a shared machine move with the neighbours' load;
instructions executed do not.  Each configuration's worker runs once under
``valgrind --tool=callgrind`` with instrumentation off until Django is
loaded; for each request kind it then zeroes the counters, makes N requests
through the WSGI handler (and, for the ASGI rows, through the ASGI handler)
and dumps the count, by client requests from a tiny C helper compiled here.
Needs valgrind, its ``callgrind.h`` and a C compiler; without them this view
is skipped.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bench import asgi, cases, success

if TYPE_CHECKING:
    from bench.run import Options
    from bench.worker import Bench

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "_callgrind.c"
LIBRARY = HERE / ".build" / "libbenchcg.so"
WARMUP = 5


def missing() -> str | None:
    """Why instruction counts cannot be taken here, or None."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed"
    if not Path("/usr/include/valgrind/callgrind.h").exists():
        return "valgrind's callgrind.h is not installed"
    if shutil.which("cc") is None:
        return "no C compiler"
    return None


def build() -> Path:
    if not LIBRARY.exists() or LIBRARY.stat().st_mtime < SOURCE.stat().st_mtime:
        LIBRARY.parent.mkdir(exist_ok=True)
        subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(LIBRARY), str(SOURCE)], check=True)
    return LIBRARY


def measure(bench: Bench, n: int) -> None:
    """In the worker, under callgrind: one dump per request kind."""
    library = ctypes.CDLL(str(LIBRARY))
    library.bench_dump.argtypes = [ctypes.c_char_p]
    library.bench_start()

    def count(label: str, loop: Callable[[int], object], n: int) -> None:
        loop(WARMUP)
        # Every row starts from a collected heap, so the collections inside
        # its count do not depend on what the rows before it left behind.
        gc.collect()
        library.bench_zero()
        loop(n)
        library.bench_dump(label.encode())

    for request in cases.REQUESTS:
        count(request.key, partial(bench.loop, request.key), n)
    count(success.BARE, bench.pair.loop, n)  # the 200 without ErrorMiddleware
    for request in asgi.REQUESTS:  # the ASGI rows, each status checked
        # An ASGI request runs six to eight times the instructions of a WSGI one.
        count(f"{asgi.PREFIX}{request.key}", partial(bench.asgi.timed, request.key), max(WARMUP, n // 5))


_TOTALS = re.compile(r"^(?:totals|summary):\s*(\d+)", re.MULTILINE)
_TRIGGER = re.compile(r"^desc: Trigger: Client Request: (\S+)", re.MULTILINE)


def run(options: Options) -> dict[str, dict[str, float]]:
    """Instructions per request, by configuration and request kind."""
    if missing():
        return {}
    build()
    out: dict[str, dict[str, float]] = {}
    root = HERE.parent
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(root))
    with tempfile.TemporaryDirectory(prefix="bench-cg-") as folder:
        for key in options.configs:
            prefix = Path(folder) / key
            subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    "--instr-atstart=no",
                    f"--callgrind-out-file={prefix}.%p",
                    options.python,
                    "-m",
                    "bench.worker",
                    key,
                    "--callgrind",
                    str(options.callgrind_n),
                ],
                cwd=root,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            counts: dict[str, float] = {}
            for dump in Path(folder).glob(f"{key}.*"):
                text = dump.read_text(errors="replace")
                trigger, totals = _TRIGGER.search(text), _TOTALS.search(text)
                if trigger and totals:
                    counts[trigger.group(1)] = int(totals.group(1)) / options.callgrind_n
            out[key] = counts
    return out


def report(instructions: dict[str, dict[str, float]], configs: list[str]) -> list[str]:
    """The Markdown section: thousands of instructions per request, and this app's ratios."""
    from bench.run import MAX_OVER_DRF, label, table

    ours = cases.OURS
    others = [key for key in configs if key != ours] if ours in configs else []
    header = ["request", *(label(key) for key in configs), *(f"÷ {label(key)}" for key in others)]
    rows = []
    for request in cases.REQUESTS:
        row = [request.label]
        for key in configs:
            value = instructions.get(key, {}).get(request.key)
            row.append(f"{value / 1000:,.1f}" if value else "–")
        mine = instructions.get(ours, {}).get(request.key)
        for key in others:
            theirs = instructions.get(key, {}).get(request.key)
            cell = f"{mine / theirs:.3f}" if mine and theirs else "–"
            limit = MAX_OVER_DRF.get(request.key)
            if mine and theirs and key == cases.BASELINE and limit is not None:
                cell += " ✓" if mine / theirs <= limit else " ✗"
            elif mine and theirs and key != cases.BASELINE and request.status >= 400:
                cell += " ✓" if mine < theirs else " ✗"
            row.append(cell)
        rows.append(row)
    return [
        "### Instructions per response (callgrind)",
        "",
        "Thousands of instructions executed per request through the WSGI handler, counted by callgrind "
        "(no noise from other processes: the same on every run of the same software), and this app's "
        "count divided by each other configuration's; ✓/✗ against the targets.",
        "",
        *table(header, rows),
    ]


if __name__ == "__main__":  # pragma: no cover - manual use
    sys.exit("use: make bench BENCH_ARGS='--callgrind 50'")
