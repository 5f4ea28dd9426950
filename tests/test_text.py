"""Body text DRF would mangle or fail to store is refused on DRF views.

Forms not in their charset (stored with U+FFFD), JSON escaping half a
surrogate pair (a 500 when saved or rendered).
"""

import gzip
import io
import json

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.wsgi import WSGIRequest
from django.test import AsyncClient, Client, RequestFactory
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser

from django_api_errors import _body, _text
from tests.conftest import assert_error
from tests.models import Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("middleware_paths")]

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=b1"


def _multipart(*parts: bytes, preamble: bytes = b"", epilogue: bytes = b"") -> bytes:
    body = b"".join(b"--b1\r\n" + part + b"\r\n" for part in parts)
    return (preamble + b"\r\n" if preamble else b"") + body + b"--b1--\r\n" + epilogue


def _field(name: bytes, value: bytes) -> bytes:
    return b'Content-Disposition: form-data; name="' + name + b'"\r\n\r\n' + value


BINARY_FILE = b'Content-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n\xff\xfe\x00\xe9'


def _post(kind: str, path: str, body: bytes, content_type: str):
    # generic() sends bytes as they are; post() would re-encode them in the charset.
    if kind == "sync":
        return Client(raise_request_exception=False).generic("POST", path, body, content_type)

    async def send():
        return await AsyncClient(raise_request_exception=False).generic("POST", path, body, content_type)

    return async_to_sync(send)()


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"title=caf%E9", FORM),  # Latin-1 sent as if UTF-8
        (b"titl%E9=x", FORM),  # a name, too
        (b"title=caf\xe9", FORM),  # not even percent-encoded
        (_multipart(_field(b"title", b"caf\xe9")), MULTIPART),
        (_multipart(_field(b"titl\xe9", b"x")), MULTIPART),
        (_multipart(BINARY_FILE, _field(b"title", b"caf\xe9")), MULTIPART),
        (b"title=caf%C3%A9", f"{FORM}; charset=ascii"),  # UTF-8 sent as if ASCII
        (b"title=caf%E9", f"{FORM}; charset=no-such-charset"),  # Django decodes in UTF-8 then
        # A charset that is not ASCII-compatible: 200 and no field, the title unchanged.
        (b"title=tea", f"{FORM}; charset=cp037"),
        (b"title=tea!", f"{FORM}; charset=utf-16"),
    ],
)
def test_form_text_that_is_not_in_its_charset_is_refused_on_a_drf_view(kind, body, content_type):
    # Without the check DRF's parsers store "caf\ufffd" and answer 200.
    response = _post(kind, "/drf/upload/", body, content_type)
    assert "charset" in assert_error(response, 400, "invalid_request")["error_description"]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        (b"title=caf%C3%A9", FORM, "café"),
        ("title=tea".encode("utf-16"), f"{FORM}; charset=utf-16", "tea"),  # really sent in it
        (b"title=caf%E9", f"{FORM}; charset=latin-1", "café"),
        (_multipart(BINARY_FILE, _field(b"title", "café".encode())), MULTIPART, "café"),
        (_multipart(_field(b"title", b"caf\xe9")), f"{MULTIPART}; charset=latin-1", "café"),
        # Django ignores what lies before the first delimiter and after the last.
        (_multipart(_field(b"title", b"tea"), preamble=b"\xff", epilogue=b"\xe9\xff"), MULTIPART, "tea"),
    ],
)
def test_form_text_in_its_charset_passes(kind, body, content_type, title):
    response = _post(kind, "/drf/upload/", body, content_type)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == title


def test_a_plain_view_gets_the_bytes_it_was_sent(client):
    # A Django view may decode the form itself, in a charset the form names.
    response = client.post("/plain/echo/", b"title=caf%E9&charset=latin-1", FORM)
    assert response.status_code == 200 and response.json()["body"] == "title=caf%E9&charset=latin-1"


def test_a_form_past_the_early_read_bound_is_not_checked(client, settings):
    # Streamed bodies are not held to look at; Django decodes them as before.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 8
    response = client.post("/drf/upload/", b"title=caf%E9", FORM)
    assert response.status_code == 200 and response.json()["title"] == "caf\ufffd"


def test_drf_views_are_recognised():
    from tests import views

    json = "application/json"
    assert _text.parsed_by_drf(views.EchoAPIView.as_view(), json)
    assert _text.parsed_by_drf(views.drf_ratelimited, "*/*")  # @api_view; DRF's first parser takes */*
    assert _text.parsed_by_drf(views.PartViewSet.as_view({"put": "update"}), FORM)
    assert not _text.parsed_by_drf(views.echo_body, json)
    assert not _text.parsed_by_drf(views.PartView.as_view(), json)
    assert not _text.parsed_by_drf(None, json)
    # DRF's 415 comes first: no parser of the view takes the type.
    assert not _text.parsed_by_drf(views.EchoAPIView.as_view(), "application/merge-patch+json")
    assert not _text.parsed_by_drf(views.EchoAPIView.as_view(parser_classes=[JSONParser]), FORM)
    # A negotiation class that chooses parsers its own way (here given to as_view()): checked as before.

    class OwnChoice(DefaultContentNegotiation):
        def select_parser(self, request, parsers):
            return parsers[0]

    chosen = views.EchoAPIView.as_view(content_negotiation_class=OwnChoice)
    assert _text.parsed_by_drf(chosen, "application/merge-patch+json")


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_type_the_view_has_no_parser_for_gets_drfs_415_not_the_text_checks_400(kind):
    merge = _post(kind, "/drf/echo/", rb'{"title": "smile \ud83d"}', "application/merge-patch+json")
    assert assert_error(merge, 415, "invalid_content_type")["supported_media_types"]
    form = _post(kind, "/drf/json-echo/", b"title=caf%E9", FORM)
    assert_error(form, 415, "invalid_content_type")
    # A view whose get_parsers() adds the type: the half pair is refused, not parsed and then a 500.
    merge = _post(kind, "/drf/merge-patch/", rb'{"title": "smile \ud83d"}', "application/merge-patch+json")
    assert [item["code"] for item in assert_error(merge, 400, "invalid_request")["details"]] == [SURROGATE]


SURROGATE = "surrogate_characters_not_allowed"


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (rb'{"t": "\ud800"}', [("t", "/t", "U+D800")]),
        (rb'{"t": "x\udc00y"}', [("t", "/t", "U+DC00")]),  # the low half alone
        (rb'{"t": "\uD83D"}', [("t", "/t", "U+D83D")]),  # hex digits in either case
        (rb'{"a/b": {"c": ["ok", "\ud800"]}}', [("a/b.c.1", "/a~1b/c/1", "U+D800")]),
        (rb'{"\ud800x": 1, "o": {"\udfff": 2}}', [(None, "", "U+D800"), ("o", "/o", "U+DFFF")]),  # names
        (rb'["\ud83d\ud83d\ude00", "\ude00\ud83d"]', [("0", "/0", "U+D83D"), ("1", "/1", "U+DE00")]),
        (rb'{"t": "\\\ud800"}', [("t", "/t", "U+D800")]),  # an escaped backslash, then the escape
        (rb'{"t": "\ud83d\ude00"}', []),  # one character
        (rb'{"t": "\uD83D\uDE00"}', []),
        (rb'{"t": "\\ud800"}', []),  # a backslash, then the text "ud800"
        (rb'{"t": "\\\\ud800"}', []),
        (rb'{"t": "\u00e9\ud7ff\ue000"}', []),  # either side of the surrogates
        (b'{"t": "\xf0\x9f\x98\x80"}', []),  # the emoji in UTF-8
        (rb'{"t": "\ud800"', []),  # not JSON: DRF's parse error
    ],
)
def test_lone_surrogates_are_found_where_python_parses_them(body, found):
    entries = _text.lone_surrogates(body)
    assert [
        (entry["field"], entry["pointer"], entry["message"].split(": ")[1][:-1]) for entry in entries
    ] == found
    assert all(entry["code"] == SURROGATE for entry in entries)
    if found:  # what Python's parser, and so DRF, makes of it holds a surrogate
        assert any(0xD800 <= ord(char) <= 0xDFFF for char in json.dumps(json.loads(body), ensure_ascii=False))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "*/*", "application/*", "*/json"],
)
def test_json_with_half_a_surrogate_pair_is_refused_on_a_drf_view(kind, content_type):
    # DRF's JSONParser takes a wildcard Content-Type too.
    # Without the check DRF parses it, and its renderer fails: 500.
    response = _post(kind, "/drf/echo/", rb'{"title": "smile \ud83d"}', content_type)
    body = assert_error(response, 400, "invalid_request")
    assert [(item["pointer"], item["code"]) for item in body["details"]] == [("/title", SURROGATE)]


@pytest.mark.parametrize("charset", ["utf-16", "utf-32-le", "latin-1"])
def test_json_in_another_charset_is_looked_at_in_it(charset):
    # DRF's parser decodes JSON in the charset Content-Type names; in UTF-16 the
    # escape's bytes are not b"\\ud800", and the 500 came back.
    content_type = f"application/json; charset={charset}"
    half = _post("sync", "/drf/echo/", r'{"title": "\ud800"}'.encode(charset), content_type)
    assert [item["pointer"] for item in assert_error(half, 400, "invalid_request")["details"]] == ["/title"]
    whole = _post("sync", "/drf/echo/", r'{"title": "\ud83d\ude00"}'.encode(charset), content_type)
    assert whole.status_code == 200 and whole.json() == {"data": {"title": "\U0001f600"}}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252", "ascii"])
def test_json_labelled_in_a_charset_that_is_not_unicode_is_read_as_utf8(kind, charset, django_user_model):
    # JSON is UTF-8 (RFC 8259 §8.1); DRF decoded it in the label's charset and
    # stored "cafÃ© â\x98\x95" with a 201.
    django_user_model.objects.create(username="owner")
    prefix = "/conditional/async/hashed/" if kind == "async" else "/conditional/hashed/"
    sent = '{"title": "café ☕", "body": "", "checklist": []}'.encode()
    response = _post(kind, prefix, sent, f"application/json; charset={charset}")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == Note.objects.get().title == "café ☕"
    # A body really in Latin-1 is not UTF-8: refused, nothing stored.
    latin = '{"title": "thé", "body": "", "checklist": []}'.encode("latin-1")
    assert_error(_post(kind, prefix, latin, f"application/json; charset={charset}"), 400, "invalid_request")
    assert Note.objects.count() == 1


def test_the_query_string_and_plain_views_keep_the_labels_charset():
    # Only DRF's parser is told that JSON is UTF-8: the query string is decoded
    # as before, and a plain view reading request.encoding still gets the label.
    latin = "application/json; charset=iso-8859-1"
    drf = _post("sync", "/drf/echo/?q=caf%E9", '{"title": "thé"}'.encode(), latin)
    assert drf.json() == {"data": {"title": "thé"}, "query": {"q": "café"}}
    plain = _post("sync", "/plain/echo-decoded/", '{"title": "thé"}'.encode("latin-1"), latin)
    assert plain.status_code == 200 and plain.json()["decoded"] == '{"title": "thé"}'


def test_json_is_read_as_utf8_whatever_default_charset_says(settings, monkeypatch):
    settings.DEFAULT_CHARSET = "iso-8859-1"
    # The test client re-encodes a body from UTF-8 into DEFAULT_CHARSET; a client would not.
    monkeypatch.setattr("django.test.client.force_bytes", lambda data, *args, **kwargs: data)
    response = _post("sync", "/drf/echo/", '{"title": "café"}'.encode(), "application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["data"]["title"] == "café"  # DRF renders UTF-8


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_nothing_is_stored_from_json_with_half_a_surrogate_pair(kind, django_user_model):
    # DRF's CharField refuses a title like this itself; its JSONField stored
    # the list, and rendering the 201 failed: a 500 after the write.
    django_user_model.objects.create(username="owner")
    prefix = "/conditional/async/hashed/" if kind == "async" else "/conditional/hashed/"
    cut = rb'{"title": "t", "body": "", "checklist": ["cut \ud83d"]}'
    response = _post(kind, prefix, cut, "application/json")
    assert [item["pointer"] for item in assert_error(response, 400, "invalid_request")["details"]] == [
        "/checklist/0"
    ]
    assert not Note.objects.exists()
    whole = _post(
        kind, prefix, rb'{"title": "t", "body": "", "checklist": ["\ud83d\ude00"]}', "application/json"
    )
    assert whole.status_code == 201, whole.content
    assert Note.objects.get().checklist == ["\U0001f600"]


def test_a_plain_view_gets_json_bytes_as_sent(client):
    body = rb'{"title": "\ud800"}'
    response = client.post("/plain/echo/", body, "application/json")
    assert response.status_code == 200 and response.json()["body"] == body.decode()


def test_chunked_json_with_half_a_surrogate_pair_is_refused():
    request = WSGIRequest(
        {
            **RequestFactory().generic("POST", "/drf/echo/").environ,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": "",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(rb'{"title": "\udc00"}'),
            "wsgi.input_terminated": True,
        }
    )
    problem = _body.complete(request)
    assert (problem.status, problem.code) == (400, "invalid_request")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (gzip.compress(b"title=caf\xc3\xa9"), FORM),
        (gzip.compress(_multipart(_field(b"title", b"tea"))), MULTIPART),
        (gzip.compress(rb'{"title": "\ud83d\ude00"}'), "application/json"),
    ],
)
def test_a_body_in_an_accepted_coding_is_left_to_what_decodes_it(settings, body, content_type):
    # The bytes are compressed: read as text, or as multipart, they would be refused.
    settings.API_ERRORS = {"REQUEST_CONTENT_CODINGS": ["gzip"]}
    request = RequestFactory().generic(
        "POST", "/drf/upload/", body, content_type, headers={"Content-Encoding": "gzip"}
    )
    assert _body.complete(request) is None
    short = RequestFactory().generic(
        "POST", "/drf/upload/", body[:-3], content_type, headers={"Content-Encoding": "gzip"}
    )
    short.META["CONTENT_LENGTH"] = str(len(body))
    assert _body.complete(short).code == "invalid_request"  # the length still counts


def test_half_pairs_are_listed_up_to_a_bound():
    # A body of them must not make a response many times its size.
    body = json.dumps(["\ud800"] * 5000).encode()
    entries = _text.lone_surrogates(body)
    assert len(entries) == _text.MAX_ENTRIES and entries[-1]["pointer"] == f"/{_text.MAX_ENTRIES - 1}"


def test_nesting_deeper_than_python_recurses_is_a_400(client):
    # The check's own walk hit the recursion limit: a 500, Django's page with
    # DEBUG.  Python 3.11's parser stops first (DRF's 400, nested too deeply);
    # 3.13's parses it, and the walk finds the half pair.
    body = b'{"title": ' + b"[" * 5000 + rb'"\ud83d"' + b"]" * 5000 + b"}"
    found = _text.lone_surrogates(body)
    assert found == [] or [item["pointer"] for item in found] == ["/title" + "/0" * 5000]
    response = client.post("/drf/echo/", body, "application/json")
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize("coding", ["identity,", "identity, identity", ",", " , identity"])
def test_codings_that_name_only_identity_leave_the_body_checked(client, coding):
    # Taken as compressed, these skipped every check: a half pair stored, then 500.
    headers = {"Content-Encoding": coding}
    response = client.post("/drf/echo/", rb'{"t": "\ud800"}', "application/json", headers=headers)
    assert_error(response, 400, "invalid_request")
    form = client.generic("POST", "/drf/upload/", b"title=caf%E9", FORM, headers=headers)
    assert_error(form, 400, "invalid_request")
