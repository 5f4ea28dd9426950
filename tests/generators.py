"""Running the client generators a client team would use: openapi-python-client and openapi-typescript.

openapi-python-client comes with the ``test`` extra; openapi-typescript and
TypeScript are pinned in ``tests/clients/package.json`` (``npm ci`` there,
as ``.ci/run`` does).  A missing generator skips locally and fails in CI.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from example_project.tests.live import ROOT
from tests.servers import unavailable

CLIENTS = ROOT / "tests" / "clients"
BIN = CLIENTS / "node_modules" / ".bin"


def require_generators() -> None:
    if importlib.util.find_spec("openapi_python_client") is None:
        unavailable("openapi-python-client is not installed (pip install -e '.[test]')")
    if shutil.which("npx") is None:
        unavailable("npx (Node.js) is not installed")
    for tool in ("openapi-typescript", "tsc"):
        if not (BIN / tool).exists():
            unavailable(f"{tool} is not installed (npm ci in tests/clients)")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, f"{command[:3]} failed:\n{run.stdout[-5000:]}\n{run.stderr[-5000:]}"
    return run


def python_client(schema: dict, folder: Path, package: str):
    """Generate ``package`` from ``schema`` into ``folder`` and import it; any warning fails."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schema.json").write_text(json.dumps(schema))
    # No post hooks: the generated code is used as generated, not reformatted by ruff.
    (folder / "config.json").write_text(json.dumps({"package_name_override": package, "post_hooks": []}))
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", "schema.json"]
    command += ["--output-path", package, "--meta", "none", "--config", "config.json", "--fail-on-warning"]
    run = _run(command, folder)
    output = run.stdout + run.stderr
    assert "Warning" not in output and "Error" not in output, output
    sys.path.insert(0, str(folder))
    try:
        importlib.import_module(f"{package}.models")
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


def typescript_types(schema: dict, folder: Path) -> str:
    """openapi-typescript's ``api.d.ts`` for ``schema``; any warning fails."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schema.json").write_text(json.dumps(schema))
    run = _run(
        [
            "npx",
            "--no",
            "--",
            "openapi-typescript",
            str(folder / "schema.json"),
            "-o",
            str(folder / "api.d.ts"),
        ],
        CLIENTS,
    )
    output = run.stdout + run.stderr
    assert "⚠" not in output and "warn" not in output.lower() and "error" not in output.lower(), output
    return (folder / "api.d.ts").read_text()


def compile_typescript(folder: Path) -> str:
    """``tsc --strict --noEmit`` over the generated types and the uses of them in ``check.ts``."""
    shutil.copy(CLIENTS / "check.ts", folder / "check.ts")
    files = [str(folder / "api.d.ts"), str(folder / "check.ts")]
    options = [
        "--strict",
        "--noEmit",
        "--target",
        "es2022",
        "--module",
        "es2022",
        "--moduleResolution",
        "bundler",
    ]
    run = _run(["npx", "--no", "--", "tsc", *options, *files], CLIENTS)
    return run.stdout + run.stderr
