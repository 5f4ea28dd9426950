"""Servers the suite starts itself, on 127.0.0.1 only.

Each server is a small self-contained helper plus a fixture.  A server whose
program is not installed skips its tests locally and fails them in CI
(``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_program(name: str) -> str:
    """The path of ``name``; skip locally, fail in CI when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run it: see .ci/run)")
        pytest.skip(message)
    return path


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
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", self.dir, "--protected-mode", "yes",
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
