"""Servers the suite starts itself, on 127.0.0.1 only.

Each server is a small self-contained helper plus a session fixture.  A
server whose program is not installed skips its tests locally and fails them
in CI (``CI=true``), where ``.ci/run`` installs it.  PostgreSQL's
``stop()``/``start()`` may be called mid-run, by fault tests.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PG_SEARCH_PATH = ("/usr/lib/postgresql/15/bin",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unavailable(reason: str) -> None:
    """Skip the test, or fail it in CI, where every server must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI must run it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def find_binary(name: str, search_path: tuple[str, ...] = ()) -> str | None:
    """``name`` on ``PATH``, or in one of the folders of ``search_path``."""
    found = shutil.which(name)
    if found:
        return found
    for folder in search_path:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def require_program(name: str, search_path: tuple[str, ...] = ()) -> str:
    """The path of ``name``; skip locally, fail in CI when it is missing."""
    path = find_binary(name, search_path)
    if path is None:
        unavailable(f"{name} is not installed")
    return path  # type: ignore[return-value]


def _answers(port: int, probe: bytes, expect: bytes) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(probe)
            return sock.recv(64).startswith(expect)
    except OSError:
        return False


class RedisServer:
    """A throwaway ``redis-server``: no persistence, loopback only."""

    probe = (b"PING\r\n", b"+PONG")

    def __init__(self) -> None:
        self.binary = require_program("redis-server")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="api-errors-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            self.dir,
            "--protected-mode",
            "yes",
        ]

    def start(self) -> None:
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not _answers(self.port, *self.probe):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"{self.binary} did not start on 127.0.0.1:{self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class MemcachedServer(RedisServer):
    """A throwaway ``memcached`` on loopback."""

    probe = (b"version\r\n", b"VERSION")

    def __init__(self) -> None:
        self.binary = require_program("memcached")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="api-errors-memcached-")
        self.process = None

    @property
    def url(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        user = ["-u", "root"] if os.geteuid() == 0 else []
        return [self.binary, "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "16", *user]


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1 with trust authentication.

    ``stop()`` and ``start()`` may be called mid-run (fault tests): the
    cluster keeps its data directory and port until the session ends.
    """

    bin_dir: Path
    root: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    user: str = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # PostgreSQL refuses to run as root: run it as the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL {what} failed: {result.stdout}{result.stderr}{log}")

    def init(self) -> None:
        result = self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip
        self._check(result, "initdb")

    def start(self) -> None:
        options = (
            f"-h {self.host} -p {self.port} -k {self.root} -F "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=60"
        )
        result = self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self._check(result, "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``mode``: smart, fast or immediate)."""
        result = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop")
        self._check(result, "stop")

    @property
    def running(self) -> bool:
        return self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "status").returncode == 0

    def ensure_running(self) -> None:
        if not self.running:
            self.start()

    def create_database(self, name: str) -> None:
        """Create (or empty and recreate) the database ``name``."""
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=self.user, dbname="postgres") as conn:
            conn.autocommit = True
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def django_settings(self, name: str, **extra: Any) -> dict[str, Any]:
        """A ``DATABASES`` entry for the database ``name`` on this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.user,
            "HOST": self.host,
            "PORT": str(self.port),
            **extra,
        }


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def memcached_server() -> Iterator[MemcachedServer]:
    server = MemcachedServer()
    server.start()
    yield server
    server.cleanup()


def _postgres_user_ok() -> bool:
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return shutil.which("runuser") is not None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for the whole session."""
    initdb = require_program("initdb", PG_SEARCH_PATH)
    require_program("pg_ctl", PG_SEARCH_PATH)
    if not _postgres_user_ok():
        unavailable("running as root needs a 'postgres' user and runuser to start PostgreSQL")
    bin_dir = Path(os.path.realpath(initdb)).parent
    root = Path(tempfile.mkdtemp(prefix="api-errors-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
    server = PostgresServer(bin_dir=bin_dir, root=root)
    try:
        server.init()
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL could not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        if server.running:
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
