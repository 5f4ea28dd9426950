"""Schemathesis against the example API's own schema, under gunicorn on 127.0.0.1.

Every operation of the served schema, with every check Schemathesis has
(example_project/tests/schemathesis.toml says where and why a few statuses are expected):
no 5xx; status codes, content types, headers and bodies as documented;
schema-valid requests accepted and schema-violating ones refused;
undeclared methods answered 405.  The
examples per operation are bounded; the seed is random unless FUZZ_SEED is
set, and a failing run prints it.  The token is alice's (all scopes): for
her, ``/api/stats/`` works, and her token cannot delete the comment by bob
that keeps it working (only authors change comments).  The deliberate
``server_error`` demo is bob's ``/api/stats/`` and stays out of this run.
"""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import requests

from example_project.tests.live import example_api

pytestmark = pytest.mark.e2e

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "60"))
PROBLEM_JSON = "application/problem+json"


def _operations(base_url):
    schema = requests.get(f"{base_url}/api/schema/", params={"format": "json"}, timeout=30).json()
    return {f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item}


def _tested(junit_path):
    suites = ET.parse(junit_path).getroot()
    tested, failed = set(), []
    for case in suites.iter("testcase"):
        tested.add(case.get("name"))
        failed.extend(case.get("name") for _ in case.findall("failure") + case.findall("error"))
    return tested, failed


def _statuses(har_path):
    entries = json.loads(Path(har_path).read_text())["log"]["entries"]
    return Counter(entry["response"]["status"] for entry in entries)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    # Search and login are limited to a few a minute; lift that so the fuzzer reaches the views themselves.
    rates = {"EXAMPLE_SEARCH_RATE": "100000/min", "EXAMPLE_LOGIN_RATE": "100000/min"}
    with example_api(tmp_path_factory.mktemp("fuzz"), extra_env=rates) as url:
        yield url


def test_docs_page_and_its_assets_need_no_network(base_url):
    page = requests.get(f"{base_url}/api/docs/", timeout=30)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert any("swagger-ui" in asset for asset in assets), assets
    assert "://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page.text))  # no CDN
    for asset in assets:
        assert requests.get(f"{base_url}{asset}", timeout=30).status_code == 200, asset


def test_problem_details_and_french_with_a_real_client(base_url):
    response = requests.get(
        f"{base_url}/api/notes/999999/",
        headers={
            "Authorization": "Bearer alice-full",
            "Accept": "application/problem+json",
            "Accept-Language": "fr",
        },
        timeout=30,
    )
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["error"], body["instance"]) == (404, "not_found", "/api/notes/999999/")
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert body["title"] == "La ressource demandée n'existe pas."


# The second run asks for Problem Details, so its error bodies are checked
# against the application/problem+json schemas; fewer examples, as the
# requests are the same.
@pytest.mark.parametrize(
    ("accept", "examples"),
    [("application/json", MAX_EXAMPLES), (f"application/json, {PROBLEM_JSON}", max(10, MAX_EXAMPLES // 4))],
    ids=["json", "problem-details"],
)
def test_schemathesis_finds_nothing(base_url, tmp_path, accept, examples):
    junit = tmp_path / "junit.xml"
    har = tmp_path / "requests.har"
    operations = _operations(base_url)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/api/schema/",
        "--header",
        "Authorization: Bearer alice-full",
        "--header",
        f"Accept: {accept}",
        "--max-examples",
        str(examples),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "junit,har",
        "--report-junit-path",
        str(junit),
        "--report-har-path",
        str(har),
        "--no-color",
    ]
    if os.environ.get("FUZZ_SEED"):
        command += ["--seed", os.environ["FUZZ_SEED"]]
    # A hard stop well inside five minutes; the examples bound the run long before.
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=290)
    print(run.stdout[-3000:])  # the summary: phases, test cases, seed
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    tested, failed = _tested(junit)
    assert failed == []
    statuses = _statuses(har)
    # The conditional headers' examples reach a 304 and a 412, beside the
    # errors any fuzzer reaches (406 needs an Accept it does not vary).
    assert {200, 201, 304, 400, 404, 405, 409, 412, 415} <= set(statuses), statuses
    print(f"schemathesis: {sum(statuses.values())} responses by status: {dict(sorted(statuses.items()))}")
    assert len(operations) >= 10
    assert operations <= tested, operations - tested
