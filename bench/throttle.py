"""Per-request cost of the app's atomic throttle against DRF's SimpleRateThrottle.

Not a test.  Starts a throwaway redis-server on 127.0.0.1 (or uses
``--redis-url``), points Django's built-in RedisCache at it, and times
``allow_request`` (throttle construction included, as DRF builds one per
request) in interleaved rounds, alternating the order each round.  Every
round starts from an empty Redis, so both throttles see the same histories.
Prints the median per-request cost of each and the ratio.

    .venv/bin/python bench/throttle.py [--rounds 15] [--clients 20] [--requests 25]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis() -> tuple[str, subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install redis-server), or pass --redis-url")
    port, folder = _free_port(), tempfile.mkdtemp(prefix="bench-redis-")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", folder]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}/0", process, folder
        except OSError:
            time.sleep(0.05)
    process.terminate()
    sys.exit("redis-server did not start")


def configure(redis_url: str) -> None:
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}},
        REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "1000/min"}},
        # Fail closed: a cache error stops the benchmark instead of passing quietly.
        API_ERRORS={"RATELIMIT_HEADERS": True, "THROTTLE_FAIL_OPEN": False},
    )
    django.setup()


def run(rounds: int, clients: int, per_client: int) -> dict[str, list[float]]:
    from django.core.cache import cache
    from rest_framework import throttling as drf
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    from django_api_errors import counting, throttling

    factory = APIRequestFactory()
    requests = []
    for n in range(clients * per_client):
        request = factory.get("/", REMOTE_ADDR=f"10.0.{n % clients // 256}.{n % clients % 256}")
        request.user = None
        requests.append(request)
    real_redis_count = counting._redis_count

    def batch(throttle_class: type, generic: bool = False) -> float:
        counting._redis_count = (lambda cache, key, timeout: None) if generic else real_redis_count  # type: ignore
        cache.clear()
        view = APIView()
        view.headers = {}
        start = time.perf_counter()
        for request in requests:
            if not throttle_class().allow_request(request, view):
                raise SystemExit("a request was throttled: raise the rate")
        return (time.perf_counter() - start) / len(requests) * 1e6

    contenders: dict[str, Callable[[], float]] = {
        "atomic (Redis script)": lambda: batch(throttling.AnonRateThrottle),
        "atomic (generic cache API)": lambda: batch(throttling.AnonRateThrottle, generic=True),
        "DRF SimpleRateThrottle": lambda: batch(drf.AnonRateThrottle),
    }
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for name in contenders:  # warm-up: connections, imports
        contenders[name]()
    order = list(contenders)
    for number in range(rounds):
        for name in order if number % 2 == 0 else reversed(order):
            results[name].append(contenders[name]())
    counting._redis_count = real_redis_count
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per client per round")
    args = parser.parse_args()
    process = folder = None
    url = args.redis_url
    if url is None:
        url, process, folder = start_redis()
    try:
        configure(url)
        results = run(args.rounds, args.clients, args.requests)
    finally:
        if process is not None:
            process.terminate()
            process.wait()
            shutil.rmtree(folder or "", ignore_errors=True)

    import django
    import redis
    import rest_framework

    server = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()
    print(
        f"python {platform.python_version()}, Django {django.get_version()}, DRF {rest_framework.VERSION}, "
        f"redis-py {redis.__version__}, {' '.join(server[:3])}"
    )
    print(
        f"{platform.platform()}, {os.cpu_count()} CPUs; {args.rounds} rounds of "
        f"{args.clients} clients x {args.requests} requests, Django's RedisCache on 127.0.0.1"
    )
    medians = {name: statistics.median(times) for name, times in results.items()}
    for name, median in medians.items():
        print(f"  {name:28s} median {median:8.1f} us/request")
    drf_median = medians["DRF SimpleRateThrottle"]
    for name in ("atomic (Redis script)", "atomic (generic cache API)"):
        print(f"  ratio {name} / DRF: {medians[name] / drf_median:.2f}")


if __name__ == "__main__":
    main()
