import json

from django.core.management.base import BaseCommand, CommandError

from example_project.notes import demo

SHOWN_HEADERS = (
    "content-type",
    "www-authenticate",
    "set-cookie",
    "retry-after",
    "ratelimit-policy",
    "ratelimit",
    "allow",
    "etag",
    "x-request-id",
)


class Command(BaseCommand):
    help = "Walk through every documented error code (and a 304) against the running example API."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where the example API runs")

    def handle(self, *args, url, **options):
        failures = 0

        def report(result: demo.Result) -> None:
            nonlocal failures
            step = result.step
            code = result.body.get("error") if isinstance(result.body, dict) else None
            ok = result.status == step.expect_status and code == step.expect_error
            failures += not ok
            mark = "ok " if ok else "UNEXPECTED"
            expected = step.expect_error or "no error"
            self.stdout.write(f"\n== {expected} ({step.expect_status}) {mark}: {step.title}")
            sent = f"  [token {step.token}]" if step.token else ""
            sent += f"  [cookies {', '.join(step.cookies)}]" if step.cookies else ""
            self.stdout.write(f"   {step.method} {step.path}{sent}")
            self.stdout.write(f"   -> {result.status}")
            for name in SHOWN_HEADERS:
                if name in result.headers:
                    self.stdout.write(f"   {name}: {result.headers[name]}")
            if result.body is None:
                self.stdout.write("   (no body)")
            else:
                self.stdout.write("   " + json.dumps(result.body, indent=2).replace("\n", "\n   "))

        try:
            demo.run(url, report)
        except OSError as exc:  # refused, reset, unreachable: no example API there
            reason = exc.strerror or type(exc).__name__
            raise CommandError(
                f"Nothing answers at {url} ({reason}): start the example API with `make run` first, "
                "in another terminal; for another address give both the same ADDR "
                "(`make run ADDR=127.0.0.1:8001`, `make demo ADDR=127.0.0.1:8001`)."
            ) from None
        if failures:
            self.stderr.write(f"\n{failures} step(s) did not answer as documented.")
            raise SystemExit(1)
        self.stdout.write("\nEvery step answered with its documented code.")
