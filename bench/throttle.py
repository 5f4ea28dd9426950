"""Per-request cost of the app's throttles against DRF's SimpleRateThrottle, and Redis memory per key.

Not a test.  Starts a throwaway redis-server on 127.0.0.1 (or uses
``--redis-url``), points Django's built-in RedisCache at it, and times
``allow_request`` (throttle construction included, as DRF builds one per
request) in interleaved rounds, alternating the order each round: the
sliding log (the Redis script), the buckets (the generic cache API, as on
memcached), the fixed-window script the sliding log replaced, and DRF's
``AnonRateThrottle``.  Every round starts from an empty Redis, so all see the
same histories.  Prints the median per-request cost of each, the ratios, and
``MEMORY USAGE`` of one client's key holding 10 to 10,000 requests.

    .venv/bin/python bench/throttle.py [--rounds 15] [--clients 20] [--requests 25]
"""

from __future__ import annotations

import argparse
import math
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


def _started(args: list[str], port: int, probe: bytes, answer: bytes) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(probe)
                if sock.recv(16).startswith(answer):
                    return process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    sys.exit(f"{args[0]} did not start")


def start_redis() -> tuple[str, subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install redis-server), or pass --redis-url")
    port, folder = _free_port(), tempfile.mkdtemp(prefix="bench-redis-")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", folder]
    return f"redis://127.0.0.1:{port}/0", _started(args, port, b"PING\r\n", b"+PONG"), folder


def start_memcached() -> tuple[str, subprocess.Popen[bytes]] | None:
    """A throwaway memcached on 127.0.0.1 for the buckets' real home; ``None`` if not installed."""
    binary = shutil.which("memcached")
    if binary is None:
        return None
    port = _free_port()
    args = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "64"]
    args += ["-u", "root"] if os.geteuid() == 0 else []
    return f"127.0.0.1:{port}", _started(args, port, b"version\r\n", b"VERSION")


def configure(redis_url: str, memcached_url: str | None) -> None:
    import django
    from django.conf import settings

    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    if memcached_url:
        caches["memcached"] = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"}
        caches["memcached"]["LOCATION"] = memcached_url
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
        CACHES=caches,
        REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "1000/min"}},
        # Fail closed: a cache error stops the benchmark instead of passing quietly.
        API_ERRORS={"RATELIMIT_HEADERS": True, "THROTTLE_FAIL_OPEN": False},
    )
    django.setup()


# The fixed-window script of 0.1.0, which the sliding log replaced.
FIXED_WINDOW = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return redis.call('INCR', KEYS[1])
"""


def fixed_window_hit(cache, key, limit, duration, now):  # type: ignore[no-untyped-def]
    from django_api_errors.throttling import _counting as counting
    from django_api_errors.throttling import _redis

    cache = counting.resolve(cache)
    script = fixed_window_hit.scripts.get(cache)  # type: ignore[attr-defined]
    if script is None:
        script = _redis.redis_client(cache).register_script(FIXED_WINDOW)
        fixed_window_hit.scripts[cache] = script  # type: ignore[attr-defined]
    index = math.floor(now / duration)
    reset = (index + 1) * duration - now
    count = int(script(keys=[cache.make_key(f"{key}:{duration}:{index}")], args=[math.ceil(reset) + 5]))
    return counting.Window(count, limit, duration, reset, count <= limit)


fixed_window_hit.scripts = {}  # type: ignore[attr-defined]


def run(rounds: int, clients: int, per_client: int) -> dict[str, list[float]]:
    from django.core.cache import caches
    from rest_framework import throttling as drf
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    from django_api_errors import throttling
    from django_api_errors.throttling import _counting as counting
    from django_api_errors.throttling import _redis

    factory = APIRequestFactory()
    requests = []
    for n in range(clients * per_client):
        request = factory.get("/", REMOTE_ADDR=f"10.0.{n % clients // 256}.{n % clients % 256}")
        request.user = None
        requests.append(request)
    real_sliding_log, real_hit = _redis.sliding_log, counting.hit

    def batch(throttle_class: type, path: str = "sliding") -> float:
        _redis.sliding_log = (lambda *args: None) if path == "buckets" else real_sliding_log  # type: ignore
        counting.hit = fixed_window_hit if path == "fixed" else real_hit  # type: ignore
        for alias in caches:
            caches[alias].clear()
        view = APIView()
        view.headers = {}
        start = time.perf_counter()
        for request in requests:
            if not throttle_class().allow_request(request, view):
                raise SystemExit("a request was throttled: raise the rate")
        return (time.perf_counter() - start) / len(requests) * 1e6

    contenders: dict[str, Callable[[], float]] = {
        SLIDING: lambda: batch(throttling.AnonRateThrottle),
        BUCKETS: lambda: batch(throttling.AnonRateThrottle, "buckets"),
        FIXED: lambda: batch(throttling.AnonRateThrottle, "fixed"),
        DRF: lambda: batch(drf.AnonRateThrottle),
    }
    if "memcached" in caches:

        class OnMemcached(throttling.AnonRateThrottle):
            cache = caches["memcached"]

        class DRFOnMemcached(drf.AnonRateThrottle):
            cache = caches["memcached"]

        contenders[BUCKETS_MEMCACHED] = lambda: batch(OnMemcached)
        contenders[DRF_MEMCACHED] = lambda: batch(DRFOnMemcached)
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for name in contenders:  # warm-up: connections, imports
        contenders[name]()
    order = list(contenders)
    for number in range(rounds):
        for name in order if number % 2 == 0 else reversed(order):
            results[name].append(contenders[name]())
    _redis.sliding_log, counting.hit = real_sliding_log, real_hit
    return results


def memory_per_key(limits: tuple[int, ...] = (10, 100, 1000, 10000)) -> dict[int, dict[str, int]]:
    """Bytes Redis holds for one client whose period counts ``limit`` requests."""
    from django.core.cache import caches

    from django_api_errors.throttling import _redis

    backend = caches["default"]
    client = _redis.redis_client(backend)
    found: dict[int, dict[str, int]] = {}
    for limit in limits:
        backend.clear()
        period_us, start = 86400 * 1_000_000, 1_800_000_000 * 1_000_000
        for n in range(limit):  # one request every 5 ms, as a busy client sends them
            _redis.sliding_log(backend, "mem:log", limit, period_us, start + n * 5000)
        stamps = [1_800_000_000 + n * 0.005 for n in range(limit)]  # DRF's history: a pickled list of floats
        backend.set("mem:drf", stamps)
        client.set("mem:fixed", limit)
        found[limit] = {
            SLIDING: client.memory_usage(backend.make_key("mem:log"), samples=0),
            DRF: client.memory_usage(backend.make_key("mem:drf"), samples=0),
            FIXED: client.memory_usage("mem:fixed", samples=0),
        }
    backend.clear()
    return found


SLIDING = "sliding log (Redis script)"
BUCKETS = "buckets (generic cache API)"
FIXED = "fixed window (0.1.0 script)"
DRF = "DRF SimpleRateThrottle"
BUCKETS_MEMCACHED = "buckets (memcached)"
DRF_MEMCACHED = "DRF SimpleRateThrottle (memcached)"


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
    memcached = start_memcached()
    try:
        configure(url, memcached[0] if memcached else None)
        results = run(args.rounds, args.clients, args.requests)
        memory = memory_per_key()
    finally:
        if process is not None:
            process.terminate()
            process.wait()
            shutil.rmtree(folder or "", ignore_errors=True)
        if memcached is not None:
            memcached[1].terminate()
            memcached[1].wait()

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
        print(f"  {name:36s} median {median:8.1f} us/request")
    for name in (SLIDING, BUCKETS, FIXED):
        print(f"  ratio {name} / DRF: {medians[name] / medians[DRF]:.2f}")
    print(f"  ratio {SLIDING} / {FIXED}: {medians[SLIDING] / medians[FIXED]:.2f}")
    if BUCKETS_MEMCACHED in medians:
        ratio = medians[BUCKETS_MEMCACHED] / medians[DRF_MEMCACHED]
        print(f"  ratio {BUCKETS_MEMCACHED} / {DRF_MEMCACHED}: {ratio:.2f}")
    print(f"Redis MEMORY USAGE of one client's key, bytes ({' '.join(server[:3])}, default settings):")
    print(f"  {'requests in the period':>24s} {'sliding log':>12s} {'DRF history':>12s} {'fixed':>6s}")
    for limit, sizes in memory.items():
        print(f"  {limit:>24d} {sizes[SLIDING]:>12d} {sizes[DRF]:>12d} {sizes[FIXED]:>6d}")


if __name__ == "__main__":
    main()
