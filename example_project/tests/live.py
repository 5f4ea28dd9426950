"""Running the example API under a real server on 127.0.0.1: gunicorn (WSGI) or uvicorn (ASGI)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# base URL -> the server's master pid, for tests that look at the workers.
MASTERS: dict[str, int] = {}


def worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(pid)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} after {timeout}s")


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


SERVERS = ("gunicorn", "uvicorn")


def server_command(server: str, port: int, workers: int) -> list[str]:
    """The command line that serves the example on 127.0.0.1:``port``."""
    if server == "runserver":  # Django's development server: one process, threads
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", "example_project.asgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
    # gunicorn answers a request line over 4094 bytes with its own HTML 414
    # before Django sees it (README, "What the server answers itself"); the
    # fuzzer's long query strings are meant for the API, so no limit here.
    return [
        sys.executable, "-m", "gunicorn", "example_project.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--timeout", "60", "--limit-request-line", "0",
    ]  # fmt: skip


@contextmanager
def example_api(
    tmp_path: Path,
    *,
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    server: str = "gunicorn",
) -> Iterator[str]:
    """Migrate and seed a fresh SQLite database, serve it (``server``: gunicorn or uvicorn), yield the base URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_project.settings",
        "EXAMPLE_DB": str(tmp_path / "example.sqlite3"),
        **(extra_env or {}),
    }
    manage("migrate", "--verbosity", "0", env=env)
    manage("seed_demo", env=env)
    port = free_port()
    with serve(tmp_path, env, server, port, server_command(server, port, workers)) as url:
        yield url


@contextmanager
def gunicorn(tmp_path: Path, env: dict[str, str], *args: str) -> Iterator[str]:
    """Serve the WSGI application of ``env``'s ``DJANGO_SETTINGS_MODULE`` on 127.0.0.1; yield the base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "example_project.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    with serve(tmp_path, env, "gunicorn", port, [*command, "--timeout", "60", *args]) as url:
        yield url


@contextmanager
def serve(tmp_path: Path, env: dict[str, str], server: str, port: int, command: list[str]) -> Iterator[str]:
    """Run ``command``, which listens on 127.0.0.1:``port``, until the block ends; yield the base URL."""
    log = open(tmp_path / f"{server}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
        url = f"http://127.0.0.1:{port}"
        MASTERS[url] = process.pid
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
