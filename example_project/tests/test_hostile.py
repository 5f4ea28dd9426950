"""Hostile input: whatever arrives, a documented 4xx, no leak, nothing written."""

import json
import re

import pytest
import rest_framework
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_project.notes.models import Comment, Note
from tests.conftest import LEAK_MARKERS

pytestmark = pytest.mark.django_db

DRF = tuple(int(part) for part in rest_framework.VERSION.split(".")[:2])
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER_SAFE = re.compile(r"[\x21-\x7e ]*")


def snapshot():
    return (
        Note.objects.count(),
        Comment.objects.count(),
        Note.objects.aggregate(v=Sum("version"))["v"],
        tuple(Note.objects.order_by("pk").values_list("title", "body")),
    )


def check(response, before):
    """A client error in the documented body, nothing leaked, nothing written."""
    assert response.status_code < 500, response.content
    for name, value in response.items():
        assert HEADER_SAFE.fullmatch(value), (name, value)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert isinstance(body["error"], str) and body["request_id"] == response["X-Request-ID"]
        assert not LEAK_MARKERS.search(response.content.decode()), response.content
        assert snapshot() == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
note_like = st.fixed_dictionaries(
    {},
    optional={
        "title": json_values,
        "body": json_values,
        "checklist": json_values,
        "labels": json_values,
        "version": json_values,
    },
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "application/json; charset=nonsense",
        "application/json; ===",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/plain",
        "",
        "*/*",
        "application/json\x00",
    ]
)


@FUZZ
@given(payload=note_like, method=st.sampled_from(["post", "put", "patch"]))
def test_json_shaped_bodies(alice, payload, method):
    before = snapshot()
    path = "/api/notes/" if method == "post" else f"/api/notes/{Note.objects.order_by('pk').first().pk}/"
    response = getattr(alice, method)(path, payload, format="json")
    check(response, before)


@FUZZ
@given(body=st.binary(max_size=300), content_type=content_types)
def test_arbitrary_bytes(alice, body, content_type):
    before = snapshot()
    check(alice.generic("POST", "/api/notes/", body, content_type=content_type), before)


@FUZZ
@given(
    if_match=st.text(max_size=300),
    request_id=st.text(max_size=300),
    accept=st.text(max_size=200),
    since=st.text(max_size=100),
)
def test_garbage_headers(alice, if_match, request_id, accept, since):
    before = snapshot()
    response = alice.get(
        "/api/notes/",
        HTTP_IF_MATCH=if_match,
        HTTP_IF_NONE_MATCH=if_match,
        HTTP_IF_MODIFIED_SINCE=since,
        HTTP_X_REQUEST_ID=request_id,
        HTTP_ACCEPT=accept,
    )
    check(response, before)
    if response.has_header("X-Request-ID"):
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,200}", response["X-Request-ID"])


@FUZZ
@given(segment=st.text(min_size=1, max_size=60), query=st.text(max_size=60))
def test_paths_and_queries(alice, segment, query):
    from urllib.parse import quote

    before = snapshot()
    response = alice.get(f"/api/notes/{quote(segment, safe='')}/", {"q": query, "page": query})
    check(response, before)
    response = alice.get("/api/search/", {"q": query})
    check(response, before)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"title": "x",', "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
        (b'{"title": "\xff\xfe"}', "application/json", 400),
        (b'{"title": "a\\u0000b"}', "application/json", 400),
        (b'{"title": ' + b"9" * 5000 + b"}", "application/json", 400),
        (b'{"title": "a", "title": 5, "body": []}', "application/json", 400),
        (b"[]", "application/json", 400),
        (b'"title"', "application/json", 400),
        # A multipart body without its closing boundary is refused before any
        # view (400); a whole one reaches the view, which takes only JSON (415).
        (
            b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx',
            "multipart/form-data; boundary=x",
            400,
        ),
        (
            b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n',
            "multipart/form-data; boundary=x",
            415,
        ),
        (b"&".join(b"f%d=1" % i for i in range(2000)), "application/x-www-form-urlencoded", 415),
        # DRF applies DATA_UPLOAD_MAX_MEMORY_SIZE to parsed bodies from 3.18 on (413);
        # before, the body parses and the serializer refuses the title (400).
        (b'{"title": "' + b"x" * 3_000_000 + b'"}', "application/json", 413 if DRF >= (3, 18) else 400),
        (b'{"title": "x"}', "application/vnd.unknown+json", 415),
    ],
)
def test_hand_written_bodies(alice, body, content_type, status):
    before = snapshot()
    response = alice.generic("POST", "/api/notes/", body, content_type=content_type)
    assert response.status_code == status, response.content
    check(response, before)


@pytest.mark.parametrize(
    "path",
    [
        "/api/notes/%00/",
        "/api/%ff%fe/",
        "/api/" + "a" * 8000 + "/",
        "/api/notes/99999999999999999999999/",
        "/api/notes/-1/",
        "/api/notes/1.5/",
        "/api/notes/99999999999999999999999/text/",
        "/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_hand_written_paths(alice, path):
    before = snapshot()
    response = alice.get(path)
    assert response.status_code == 404
    check(response, before)


def test_host_not_allowed(alice):
    before = snapshot()
    response = alice.post("/api/notes/", {"title": "evil"}, format="json", HTTP_HOST="evil.example")
    assert response.status_code == 400
    check(response, before)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=abc", 404),
        ("page=0", 404),
        ("page=999999", 404),
        ("page=" + "9" * 400, 404),
        ("note=abc", 400),
        ("note=-1", 400),
        ("note=" + "9" * 400, 400),
        ("note=1%00", 400),
    ],
)
def test_invalid_pagination_and_filter_values(alice, query, status):
    before = snapshot()
    response = alice.get(f"/api/comment-refs/?{query}")
    assert response.status_code == status, response.content
    check(response, before)


@pytest.mark.parametrize(
    "ref",
    [
        "not-a-uuid",
        "00000000-0000-0000-0000-00000000000g",
        "1",
        "%00",
        "x" * 300,
        "00000000-0000-0000-0000-000000000000",
    ],
)
def test_invalid_uuid_lookups(alice, ref):
    before = snapshot()
    response = alice.get(f"/api/comment-refs/{ref}/")
    assert response.status_code == 404, response.content
    check(response, before)


def test_valid_uuid_lookup_and_page(alice):
    comment = Comment.objects.get()
    assert alice.get(f"/api/comment-refs/{comment.ref}/").json()["text"] == comment.text
    page = alice.get(f"/api/comment-refs/?note={comment.note_id}&page=1").json()
    assert [item["ref"] for item in page["results"]] == [str(comment.ref)]
