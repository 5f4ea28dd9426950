"""The example's schema through real client generators, and the generated client against the real API.

openapi-python-client generates the client and openapi-typescript the types
from the schema the running example serves; any generator warning fails.
The Python client then makes requests that end in every documented code and
the test checks each error arrives as its own typed model, with every member
it carries declared (nothing left in ``additional_properties``).  The
TypeScript types compile under ``tsc --strict`` together with
``tests/clients/check.ts``, which uses each documented member by its type.
"""

import re

import httpx
import pytest
import requests

from django_api_errors import codes
from django_api_errors.openapi._components import component_name
from example_project.tests.live import example_api
from tests.generators import compile_typescript, python_client, require_generators, typescript_types

pytestmark = pytest.mark.e2e

BIG_BODY = "x" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB)


def _schema(base_url):
    response = requests.get(f"{base_url}/api/schema/", params={"format": "json"}, timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The example twice: JSON errors by default, and Problem Details by default."""
    require_generators()
    env = {"EXAMPLE_SEARCH_RATE": "3/min", "EXAMPLE_PING_RATE": "3/m"}
    with example_api(tmp_path_factory.mktemp("json"), workers=1, extra_env=env) as json_url:
        problem_env = {**env, "EXAMPLE_PROBLEM_DETAILS": "1"}
        with example_api(tmp_path_factory.mktemp("problem"), workers=1, extra_env=problem_env) as problem_url:
            yield json_url, problem_url


@pytest.fixture(scope="module")
def generated(servers, tmp_path_factory):
    json_url, problem_url = servers
    folder = tmp_path_factory.mktemp("clients")
    return (
        python_client(_schema(json_url), folder / "json", "notes_client"),
        python_client(_schema(problem_url), folder / "problem", "notes_problem_client"),
    )


def _call(package, module, client, **kwargs):
    group, name = module.split(".")
    endpoint = __import__(f"{package.__name__}.api.{group}.{name}", fromlist=["sync_detailed"])
    return endpoint.sync_detailed(client=client, **kwargs)


def _parse(package, module, client, response):
    """The generated parser of ``module`` over a response it cannot ask for (405, 415, 428)."""
    group, name = module.split(".")
    endpoint = __import__(f"{package.__name__}.api.{group}.{name}", fromlist=["_build_response"])
    return endpoint._build_response(client=client, response=response)


def _typed(parsed, model, status, code):
    assert type(parsed).__name__ == model, (status, type(parsed), parsed)
    assert parsed.additional_properties == {}, (model, parsed.additional_properties)
    assert parsed.error.value == code
    assert isinstance(parsed.error_description, str) and parsed.error_description
    assert re.fullmatch(r"[0-9a-f]{32}", parsed.request_id)
    assert parsed.error_uri == f"https://example.com/docs/errors#{code}"
    return parsed


def test_one_model_per_code_and_nothing_per_operation(generated):
    client_package, _ = generated
    from pathlib import Path

    models = {path.stem for path in (Path(client_package.__file__).parent / "models").glob("*.py")}
    errors = {name for name in models if name.endswith("_error")}
    expected = {re.sub(r"(?<!^)(?=[A-Z])", "_", component_name(code)).lower() for code in codes.all_codes()}
    assert errors == expected | {"api_error"}
    assert not [name for name in models if re.search(r"response_\d{3}", name)]
    assert {"problem_details", "api_error_detail"} <= models
    print(
        f"\ngenerated models: {len(models)} files, {len(errors) - 1} error models for {len(codes.all_codes())} codes"
    )


def test_every_documented_code_arrives_typed(servers, generated):
    json_url, _ = servers
    package, _ = generated
    m = package.models
    alice = package.AuthenticatedClient(base_url=json_url, token="alice-full")
    writer = package.AuthenticatedClient(base_url=json_url, token="alice-rw")

    created = _call(package, "notes.notes_create", writer, body=m.NoteRequest(title="Typed client"))
    assert created.status_code == 201 and isinstance(created.parsed, m.Note)
    note = created.parsed
    etag = created.headers["ETag"]

    bad = _call(package, "notes.notes_create", writer, body=m.NoteRequest(title=""))
    detail = _typed(bad.parsed, "InvalidRequestError", 400, "invalid_request").details[0]
    assert (detail.field, detail.code, type(detail.message)) == ("title", "blank", str)
    assert detail.additional_properties == {}

    anonymous = package.Client(base_url=json_url)
    _typed(
        _call(package, "notes.notes_list", anonymous).parsed,
        "UnauthorizedClientError",
        401,
        "unauthorized_client",
    )
    expired = package.AuthenticatedClient(base_url=json_url, token="alice-expired")
    _typed(_call(package, "notes.notes_list", expired).parsed, "SessionExpiredError", 401, "session_expired")

    bob = package.AuthenticatedClient(base_url=json_url, token="bob-rw")
    denied = _call(
        package, "notes.notes_partial_update", bob, id=note.id, body=m.PatchedNoteRequest(body="x")
    )
    _typed(denied.parsed, "AccessDeniedError", 403, "access_denied")
    scope = _call(package, "notes.notes_destroy", writer, id=note.id)
    assert _typed(scope.parsed, "InsufficientScopeError", 403, "insufficient_scope").scope == "notes:delete"

    missing = _call(package, "notes.notes_retrieve", alice, id=999999999)
    _typed(missing.parsed, "NotFoundError", 404, "not_found")
    plain = _call(package, "plain_views.notes_text", alice, id=999999999)
    _typed(plain.parsed, "NotFoundError", 404, "not_found")
    refused = _call(package, "plain_views.notes_text", anonymous, id=note.id)
    _typed(refused.parsed, "UnauthorizedClientError", 401, "unauthorized_client")

    wrong_method = httpx.delete(f"{json_url}/api/search/", headers={"Authorization": "Bearer alice-full"})
    not_allowed = _parse(package, "search.search_retrieve", alice, wrong_method)
    _typed(not_allowed.parsed, "InvalidRequestError", 405, "invalid_request")
    assert not_allowed.status_code == 405
    # A client of its own: with_headers() also changes the httpx client it shares.
    xml_only = package.AuthenticatedClient(
        base_url=json_url, token="alice-full", headers={"Accept": "application/xml"}
    )
    unacceptable = _call(package, "notes.notes_list", xml_only)
    assert unacceptable.status_code == 406
    _typed(unacceptable.parsed, "InvalidRequestError", 406, "invalid_request")

    duplicate = _call(package, "notes.notes_create", writer, body=m.NoteRequest(title="Typed client"))
    assert _typed(duplicate.parsed, "ConflictError", 409, "conflict").details[0].code == "unique"
    welcome = next(n for n in _call(package, "notes.notes_list", alice).parsed if n.title == "Welcome")
    protected = _call(package, "notes.notes_destroy", alice, id=welcome.id)
    assert _typed(protected.parsed, "ConflictError", 409, "conflict").blocked_by == ["notes.Comment"]

    not_modified = _call(package, "notes.notes_retrieve", alice, id=note.id, if_none_match=etag)
    assert (not_modified.status_code, not_modified.parsed) == (304, None)
    assert not_modified.headers["ETag"] == etag
    saved = _call(
        package,
        "notes.notes_partial_update",
        writer,
        id=note.id,
        body=m.PatchedNoteRequest(body="1"),
        if_match=etag,
    )
    assert saved.status_code == 200 and saved.headers["ETag"] != etag
    stale = _call(
        package,
        "notes.notes_partial_update",
        writer,
        id=note.id,
        body=m.PatchedNoteRequest(body="2"),
        if_match=etag,
    )
    _typed(stale.parsed, "PreconditionFailedError", 412, "precondition_failed")
    assert stale.status_code == 412 and stale.headers["ETag"] == saved.headers["ETag"]

    too_big = _call(package, "notes.notes_create", writer, body=m.NoteRequest(title="Big", body=BIG_BODY))
    assert too_big.status_code == 413
    _typed(too_big.parsed, "InvalidRequestError", 413, "invalid_request")

    xml = httpx.post(
        f"{json_url}/api/notes/",
        content=b"<note/>",
        headers={"Authorization": "Bearer alice-rw", "Content-Type": "application/xml"},
    )
    unsupported = _parse(package, "notes.notes_create", writer, xml).parsed
    assert _typed(
        unsupported, "InvalidContentTypeError", 415, "invalid_content_type"
    ).supported_media_types == ["application/json"]

    unconditional = httpx.patch(
        f"{json_url}/api/shared-notes/{note.id}/",
        json={"body": "3"},
        headers={"Authorization": "Bearer alice-rw"},
    )
    required = _parse(package, "shared_notes.shared_notes_partial_update", writer, unconditional)
    assert required.status_code == 428
    _typed(required.parsed, "PreconditionFailedError", 428, "precondition_failed")

    for _ in range(10):
        searched = _call(package, "search.search_retrieve", alice, q="typed")
        if searched.status_code == 429:
            break
        assert "RateLimit" in searched.headers
    limited = _typed(searched.parsed, "UsageLimitExceededError", 429, "usage_limit_exceeded")
    assert (
        isinstance(limited.retry_after, int) and str(limited.retry_after) == searched.headers["Retry-After"]
    )
    for _ in range(10):
        pinged = _call(package, "plain_views.ping", anonymous)
        if pinged.status_code == 429:
            break
        assert pinged.parsed.pong is True
    assert isinstance(
        _typed(pinged.parsed, "UsageLimitExceededError", 429, "usage_limit_exceeded").retry_after, int
    )

    broken = _call(package, "stats.stats_retrieve", bob)
    _typed(broken.parsed, "ServerError", 500, "server_error")


def test_problem_details_arrive_typed_from_a_problem_details_server(servers, generated):
    _, problem_url = servers
    _, package = generated
    alice = package.AuthenticatedClient(base_url=problem_url, token="alice-full")
    missing = _call(package, "notes.notes_retrieve", alice, id=999999999)
    assert missing.headers["Content-Type"] == "application/problem+json"
    problem = missing.parsed
    assert type(problem).__name__ == "ProblemDetails" and problem.additional_properties == {}
    assert (problem.status, problem.error.value, problem.instance) == (
        404,
        "not_found",
        "/api/notes/999999999/",
    )
    for _ in range(10):
        searched = _call(package, "search.search_retrieve", alice, q="typed")
        if searched.status_code == 429:
            break
    limited = searched.parsed
    assert type(limited).__name__ == "ProblemDetails" and limited.additional_properties == {}
    assert isinstance(limited.retry_after, int) and limited.status == 429
    assert searched.headers["Content-Type"] == "application/problem+json"


def test_a_428_title_does_not_say_the_resource_changed(servers):
    _, problem_url = servers
    response = requests.patch(
        f"{problem_url}/api/shared-notes/1/",
        json={"body": "x"},
        headers={"Authorization": "Bearer alice-rw"},
        timeout=30,
    )
    assert response.status_code == 428
    assert "changed" not in response.json()["title"]


def test_typescript_types_compile_strictly(servers, tmp_path):
    json_url, problem_url = servers
    for name, url in (("json", json_url), ("problem", problem_url)):
        types = typescript_types(_schema(url), tmp_path / name)
        assert "retry_after: number;" in types and "supported_media_types?: string[];" in types
        # No member typed unknown (the index signature of headers aside).
        assert not re.findall(r"^\s*[\w\"-]+\??: unknown;", types, re.M)
        compile_typescript(tmp_path / name)


def test_the_example_schema_is_a_model(servers):
    from example_project.urls import NOT_IN_SCHEMA
    from tests.routes import served_paths

    schema = _schema(servers[0])
    components = schema["components"]["schemas"]
    assert set(components["NoteRequest"]["properties"]) == {"title", "body", "checklist", "labels"}
    assert components["NoteRequest"]["properties"]["title"]["minLength"] == 1
    assert components["ChecklistItemRequest"]["properties"]["text"]["minLength"] == 1
    assert components["LoginRequest"]["properties"]["username"]["minLength"] == 1
    assert "minLength" not in components["NoteRequest"]["properties"]["body"]  # blank bodies are fine
    documented = set(schema["paths"])
    served = served_paths("example_project.urls")
    assert served - documented == set(NOT_IN_SCHEMA), served - documented
    assert documented <= served


def test_a_missing_generator_fails_in_ci(monkeypatch, tmp_path):
    from _pytest.outcomes import Failed, Skipped

    from tests import generators

    monkeypatch.setattr(generators, "BIN", tmp_path)  # no openapi-typescript, no tsc
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="openapi-typescript is not installed"):
        generators.require_generators()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(Skipped):
        generators.require_generators()
