"""Bodies without Content-Length are read or refused, never silently dropped."""

import gzip
import io
import json
import socket
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.test import AsyncClient, Client, RequestFactory, override_settings
from gunicorn.http.errors import InvalidChunkSize

from django_api_errors import _body, _stream
from django_api_errors.classify import Incomplete, Unclosed
from tests.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("middleware_paths")]

CHUNKED = {"HTTP_TRANSFER_ENCODING": "chunked"}


def _wsgi_request(
    body: bytes,
    *,
    terminated: bool,
    content_type: str = "application/json",
    method="POST",
    path="/plain/echo/",
) -> WSGIRequest:
    environ = RequestFactory().generic(method, path).environ
    environ.pop("CONTENT_LENGTH", None)
    environ["CONTENT_TYPE"] = content_type
    environ.update(CHUNKED, **{"wsgi.input": io.BytesIO(body)})
    if terminated:
        environ["wsgi.input_terminated"] = True
    return WSGIRequest(environ)


def test_a_server_that_dechunks_gets_the_whole_body_read():
    request = _wsgi_request(b'{"title": "chunked"}', terminated=True)
    assert _body.complete(request) is None
    assert request.META["CONTENT_LENGTH"] == "20"
    assert request.body == b'{"title": "chunked"}'


def test_a_server_that_does_not_say_gets_411():
    problem = _body.complete(_wsgi_request(b'{"title": "x"}', terminated=False))
    assert (problem.status, problem.code) == (411, "invalid_request")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_a_chunked_body_past_the_limit_gets_413():
    problem = _body.complete(_wsgi_request(b"x" * 11, terminated=True))
    assert (problem.status, problem.code) == (413, "invalid_request")
    assert _body.complete(_wsgi_request(b"x" * 10, terminated=True)) is None


def test_a_request_with_content_length_is_untouched():
    request = RequestFactory().post("/plain/echo/", data=b"{}", content_type="application/json")
    assert _body.complete(request) is None
    assert request.META["CONTENT_LENGTH"] == "2"


# The first 14 bytes of a 40-byte representation, which a view that does not
# look at Content-Range stores as the whole.
PART = b'{"title": "a"}'
RANGE = {"headers": {"Content-Range": "bytes 0-13/40"}}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("path", ["/drf/echo/", "/plain/echo/"])
def test_a_partial_put_is_refused(kind, path):
    args = (path, PART, "application/json")
    if kind == "sync":
        response = Client(raise_request_exception=False).put(*args, **RANGE)
    else:
        response = async_to_sync(AsyncClient(raise_request_exception=False).put)(*args, **RANGE)
    assert "Content-Range" in assert_error(response, 400, "invalid_request")["error_description"]


def test_content_range_is_only_refused_on_put(client):
    # RFC 9110 §14.4: recipients ignore it with other methods; without it a PUT is whole.
    assert client.patch("/drf/echo/", {"a": 1}, "application/json", **RANGE).status_code == 200
    assert client.put("/drf/echo/", {"a": 1}, "application/json").status_code == 200
    assert_error(client.put("/drf/nowhere/", {"a": 1}, "application/json", **RANGE), 404, "not_found")
    # as_view(accepts_partial_put=False) on a class that takes them
    assert_error(client.put("/plain/part-off/", PART, "application/json", **RANGE), 400, "invalid_request")


@pytest.mark.parametrize("path", ["/drf/upload/", "/drf/post-viewset/", "/plain/get-only/"])
def test_a_partial_put_to_a_view_without_put_is_405(client, path):
    # An APIView, a ViewSet's actions and a Django view class without PUT: the
    # method is refused before its content would be (RFC 9110 §15.5.6).
    response = client.put(path, PART, "application/json", **RANGE)
    assert response.status_code == 405 and response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("path", "seen"),
    [
        # accepts_partial_put on an APIView, a ViewSet, a Django view class, a function
        ("/drf/part/", {"data": {"title": "a"}}),
        ("/drf/part-viewset/", {"data": {"title": "a"}}),
        ("/plain/part-class/", {"range": "bytes 0-13/40", "body": PART.decode()}),
        ("/plain/part/", {"range": "bytes 0-13/40", "body": PART.decode()}),
        ("/drf/part-on/", {"data": {"title": "a"}}),  # as_view(accepts_partial_put=True)
    ],
)
def test_a_view_that_takes_partial_puts_gets_them(client, path, seen):
    response = client.put(path, PART, "application/json", **RANGE)
    assert response.status_code == 200 and response.json() == seen


def test_djangos_private_stream_is_still_there():
    # _body swaps WSGIRequest._stream to read a de-chunked input; if Django
    # renames the attribute, chunked bodies would be refused instead.
    request = _wsgi_request(b"{}", terminated=True)
    assert hasattr(request, "_stream")


def test_the_test_client_chunked_post_is_refused_with_411(client):
    # The test client is not a server that de-chunks: like runserver, it cannot say.
    response = client.post(
        "/drf/echo/", data=b'{"a": 1}', content_type="application/json", CONTENT_LENGTH="", **CHUNKED
    )
    assert_error(response, 411, "invalid_request")


def test_asgi_reads_a_body_without_content_length():
    # ASGI servers always hand over the complete body; HTTP/2 may send no length.
    scope = {
        "type": "http",
        "method": "PATCH",
        "path": "/drf/echo/",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
    }
    request = ASGIRequest(scope, io.BytesIO(b'{"title": "async"}'))
    assert _body.complete(request) is None
    assert request.META["CONTENT_LENGTH"] == "18"
    assert json.loads(request.body) == {"title": "async"}


@pytest.mark.parametrize("length", [b"0", b"5", b"100"])
def test_chunked_framing_overrides_a_content_length_sent_with_it(length):
    # h11 (uvicorn) frames such a body as chunked (RFC 9112 §6.3) and passes
    # both headers on; DRF read the 0 and answered 200 having changed nothing.
    scope = {
        "type": "http",
        "method": "PATCH",
        "path": "/drf/echo/",
        "query_string": b"",
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", length),
            (b"transfer-encoding", b"chunked"),
        ],
    }
    request = ASGIRequest(scope, io.BytesIO(b'{"title": "async"}'))
    assert _body.complete(request) is None
    assert request.META["CONTENT_LENGTH"] == "18"
    assert json.loads(request.body) == {"title": "async"}
    wsgi = _wsgi_request(b'{"title": "wsgi"}', terminated=True)
    wsgi.META["CONTENT_LENGTH"] = length.decode()
    assert _body.complete(wsgi) is None and json.loads(wsgi.body) == {"title": "wsgi"}


class _BadChunks(io.BytesIO):
    """gunicorn's wsgi.input on a malformed chunked body: its own exception, not an OSError."""

    def read(self, size=-1):
        raise InvalidChunkSize(b"+12")

    readline = read


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=b1"])
def test_a_chunked_body_the_server_cannot_dechunk_is_a_400(client, content_type):
    request = _wsgi_request(b"", terminated=True, content_type=content_type)
    request.environ["wsgi.input"] = _BadChunks()
    problem = _body.complete(request)
    assert (problem.status, problem.code) == (400, "invalid_request")
    assert "chunked framing" in str(problem.description)
    # A client that went away is still told so.
    gone = _wsgi_request(b"", terminated=True, content_type=content_type)
    gone.environ["wsgi.input"] = io.BufferedReader(_Gone())
    assert "ended before" in str(_body.complete(gone).description)


class _Gone(io.RawIOBase):
    def readable(self):
        return True

    def readinto(self, buffer):
        raise ConnectionResetError


def _asgi_request(body: bytes, content_type: str) -> ASGIRequest:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/plain/upload/",
        "query_string": b"",
        "headers": [(b"content-type", content_type.encode())],
    }
    return ASGIRequest(scope, io.BytesIO(body))


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40, FILE_UPLOAD_MAX_MEMORY_SIZE=60)
@pytest.mark.parametrize("kind", ["wsgi", "asgi"])
def test_a_chunked_upload_past_the_data_limit_streams_like_one_with_a_length(kind):
    # The limit is on a multipart body's fields, not its files: with a
    # Content-Length, Django takes this upload; sent chunked it was read into
    # memory whole to learn its length, and refused with 413.
    upload = _multipart("b1", TITLE, FILE.replace(b"x" * 50, b"x" * 5000))
    content_type = "multipart/form-data; boundary=b1"
    if kind == "wsgi":
        request = _wsgi_request(upload, terminated=True, content_type=content_type)
    else:
        request = _asgi_request(upload, content_type)
    assert _body.complete(request) is None
    assert request.META["CONTENT_LENGTH"] == str(len(upload))
    assert not _started(request)  # past the bound: left to stream, checked as it passes
    assert request.POST["title"] == "the whole title" and request.FILES["f"].size == 5000
    unclosed = upload[: -len(b"--b1--\r\n")]
    if kind == "wsgi":
        request = _wsgi_request(unclosed, terminated=True, content_type=content_type)
    else:
        request = _asgi_request(unclosed, content_type)
    assert _body.complete(request) is None
    with pytest.raises(Unclosed):
        request.POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40)
@pytest.mark.parametrize("kind", ["wsgi", "asgi"])
def test_a_chunked_form_past_the_data_limit_is_still_refused(kind):
    form = b"title=" + b"x" * 60
    content_type = "application/x-www-form-urlencoded"
    if kind == "wsgi":
        request = _wsgi_request(form, terminated=True, content_type=content_type)
    else:
        request = _asgi_request(form, content_type)
    problem = _body.complete(request)
    assert (problem.status, problem.code) == (413, "invalid_request")


def raw_http(base_url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as is (a chunked body needs a raw socket) and read the answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def chunked(method: str, path: str, body: bytes, headers: dict[str, str], transfer: str = "chunked") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: {transfer}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    halves = [body[: len(body) // 2], body[len(body) // 2 :]]
    payload = b"".join(b"%x\r\n%s\r\n" % (len(half), half) for half in halves if half) + b"0\r\n\r\n"
    return head.encode() + b"\r\n" + payload


def _started(request) -> bool:
    return request._read_started  # noqa: SLF001 - what Django sets once the stream is read


def test_a_small_body_is_read_before_the_view():
    request = RequestFactory().post("/plain/echo/", data=b'{"a": 1}', content_type="application/json")
    assert _body.complete(request) is None
    assert _started(request) and request.body == b'{"a": 1}'


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4)
def test_large_bodies_are_left_to_stream():
    large = RequestFactory().post("/plain/echo/", data=b'{"a": 1}', content_type="application/json")
    upload = RequestFactory().post("/plain/echo/", data={"f": "x"})  # multipart, over 4 bytes
    bogus = RequestFactory().post("/plain/echo/", data=b"{}", content_type="application/json")
    bogus.META["CONTENT_LENGTH"] = "two"
    for request in (large, upload, bogus):
        assert _body.complete(request) is None
        assert not _started(request)
    assert isinstance(large._stream, _stream.Whole)  # noqa: SLF001


def test_a_small_upload_is_read_before_the_view():
    upload = RequestFactory().post("/plain/echo/", data={"f": "x"})
    assert _body.complete(upload) is None
    assert _started(upload) and upload.POST["f"] == "x"


def _multipart(boundary: str, *parts: bytes, close: bool = True) -> bytes:
    body = b"".join(b"--%s\r\n%s\r\n" % (boundary.encode(), part) for part in parts)
    return body + (b"--%s--\r\n" % boundary.encode() if close else b"")


TITLE = b'Content-Disposition: form-data; name="title"\r\n\r\nthe whole title'
FILE = (
    b'Content-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n'
    + b"x" * 50
)
UNCLOSED = {
    "another boundary": ("zz", _multipart("other", TITLE)),
    "a value cut short": ("b1", _multipart("b1", TITLE)[:-20]),
    "no closing boundary": ("b1", _multipart("b1", TITLE, close=False)),
    "a file cut short": ("b1", _multipart("b1", TITLE, FILE)[:-30]),
    "bare LF line ends": ("b1", _multipart("b1", TITLE).replace(b"\r\n", b"\n")),
}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("path", ["/drf/echo/", "/plain/echo/"])
@pytest.mark.parametrize("case", UNCLOSED)
def test_a_multipart_body_without_its_closing_boundary_is_refused(kind, path, case):
    # Django parses these into half a value, one field holding the whole body,
    # or nothing at all; the echo views would answer 200 with that.
    boundary, body = UNCLOSED[case]
    args = (path, body, f"multipart/form-data; boundary={boundary}")
    if kind == "sync":
        response = Client(raise_request_exception=False).patch(*args)
    else:
        response = async_to_sync(AsyncClient(raise_request_exception=False).patch)(*args)
    body = assert_error(response, 400, "invalid_request")
    assert "closing boundary" in body["error_description"]


@pytest.mark.parametrize(
    ("body", "data"),
    [
        (_multipart("b1", TITLE), {"title": "the whole title"}),
        (b"a preamble\r\n" + _multipart("b1", TITLE) + b"an epilogue", {"title": "the whole title"}),
        (b"--b1--\r\n", {}),
    ],
    ids=["whole", "preamble and epilogue", "no parts"],
)
def test_a_whole_multipart_body_passes(client, body, data):
    response = client.patch("/drf/echo/", body, content_type='multipart/form-data; boundary="b1"')
    assert response.status_code == 200 and response.json() == {"data": data}


def test_an_unusable_boundary_is_left_to_django(client):
    response = client.patch("/drf/echo/", b"--\xe9--", content_type="multipart/form-data; boundary=\xe9")
    assert_error(response, 400, "invalid_request")


def _cut(client, path: str, body: bytes, content_type: str, sent: int | None = None):
    """POST ``body`` announced whole; the client sends ``sent`` bytes of it, then goes away."""
    extra = {"CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type}
    return client.post(path, **extra, **{"wsgi.input": io.BytesIO(body[:sent])})


SHORT = {
    # What a WSGI server hands the view when the client goes away mid-body:
    # the prefix, as if it were whole ("title=the+wh").
    "a form read early": ({}, b"title=the+whole+title", "application/x-www-form-urlencoded", 12),
    # Streamed, then read with read() as Django's request.body and DRF's JSON parser do.
    "a document streamed": (
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": None, "FILE_UPLOAD_MAX_MEMORY_SIZE": 10},
        b'{"title": "the whole title", "body": "and more"}',
        "application/json",
        30,
    ),
}


@pytest.mark.parametrize("path", ["/drf/echo/", "/plain/echo/"])
@pytest.mark.parametrize("case", SHORT)
def test_a_body_shorter_than_its_content_length_is_refused(settings, path, case):
    overrides, body, content_type, sent = SHORT[case]
    for name, value in overrides.items():
        setattr(settings, name, value)
    client = Client(raise_request_exception=False)
    cut = _cut(client, path, body, content_type, sent=sent)
    assert "Content-Length" in assert_error(cut, 400, "invalid_request")["error_description"]
    assert _cut(client, path, body, content_type).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40)
@pytest.mark.parametrize("path", ["/drf/upload/", "/plain/upload/"])
def test_a_streamed_upload_cut_short_is_refused(path):
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE, the body streams into Django's parser,
    # which took an early end for the end: the title kept, the file dropped.
    client = Client(raise_request_exception=False)
    upload = (_multipart("b1", TITLE, FILE), "multipart/form-data; boundary=b1")
    cut = _cut(client, path, *upload, sent=len(upload[0]) - 30)
    assert "Content-Length" in assert_error(cut, 400, "invalid_request")["error_description"]
    whole = _cut(client, path, *upload)
    assert whole.status_code == 200
    assert whole.json() == {"title": "the whole title", "files": {"f": 50}}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40)
@pytest.mark.parametrize("path", ["/drf/upload/", "/plain/upload/"])
@pytest.mark.parametrize("case", UNCLOSED)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_streamed_multipart_body_without_its_closing_boundary_is_refused(kind, path, case):
    # Past the early-read bound the body streams into Django's parser, which
    # takes the end of the body for the end of the last part (or of none).
    boundary, body = UNCLOSED[case]
    content_type = f"multipart/form-data; boundary={boundary}"
    if kind == "sync":
        cut = _cut(Client(raise_request_exception=False), path, body, content_type)
    else:
        cut = async_to_sync(AsyncClient(raise_request_exception=False).post)(path, body, content_type)
    assert "closing boundary" in assert_error(cut, 400, "invalid_request")["error_description"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40)
@pytest.mark.parametrize("sent", ["cut short", "unclosed"])
def test_a_streamed_form_that_fails_is_not_handed_to_a_csrf_protected_view_empty(sent):
    # CsrfViewMiddleware reads a POST's form and swallows UnreadablePostError;
    # with the token in X-CSRFToken the view would then read an empty form.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = "a" * 32  # a CSRF secret, sent both ways
    client.cookies["csrftoken"] = token
    body = _multipart("b1", TITLE, FILE)
    wsgi = {"CONTENT_TYPE": "multipart/form-data; boundary=b1", "HTTP_X_CSRFTOKEN": token}
    if sent == "cut short":
        wsgi.update(CONTENT_LENGTH=str(len(body)), **{"wsgi.input": io.BytesIO(body[:-30])})
    else:
        body = body[: -len(b"--b1--\r\n")]
        wsgi.update(CONTENT_LENGTH=str(len(body)), **{"wsgi.input": io.BytesIO(body)})
    response = client.post("/plain/csrf/", **wsgi)
    assert_error(response, 400, "invalid_request")
    whole = _multipart("b1", TITLE, FILE)
    wsgi.update(CONTENT_LENGTH=str(len(whole)), **{"wsgi.input": io.BytesIO(whole)})
    assert client.post("/plain/csrf/", **wsgi).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=40)
@pytest.mark.parametrize("path", ["/drf/upload/", "/plain/upload/"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_streamed_multipart_body_with_a_preamble_and_an_epilogue_passes(kind, path):
    body = b"a preamble\r\n" + _multipart("b1", TITLE, FILE) + b"an epilogue " * 10
    content_type = "multipart/form-data; boundary=b1"
    if kind == "sync":
        whole = _cut(Client(raise_request_exception=False), path, body, content_type)
    else:
        whole = async_to_sync(AsyncClient(raise_request_exception=False).post)(path, body, content_type)
    assert whole.status_code == 200
    assert whole.json() == {"title": "the whole title", "files": {"f": 50}}


@pytest.mark.parametrize("size", [1, 2, 5, 7, 64])
def test_the_close_delimiter_is_found_across_reads(size):
    body = _multipart("b1", TITLE)
    for source in (body, b"--b1--", body.replace(b"--b1--", b"--b2--")):
        stream = _stream.Whole(io.BytesIO(source), len(source), b"--b1--")  # noqa: SLF001
        read = []
        if source.endswith(b"--b2--\r\n"):
            with pytest.raises(Unclosed, match="closing boundary"):
                while chunk := stream.read(size):
                    read.append(chunk)
            assert b"".join(read) == source[: len(b"".join(read))]
        else:
            while chunk := stream.read(size):
                read.append(chunk)
            assert b"".join(read) == source


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None, FILE_UPLOAD_MAX_MEMORY_SIZE=40)
def test_without_a_data_limit_the_upload_limit_bounds_what_is_read_early():
    # DATA_UPLOAD_MAX_MEMORY_SIZE = None, as sites taking large uploads set it:
    # a 2 GB upload must still stream to disk, not into memory here.
    small = RequestFactory().post("/plain/echo/", data=b'{"a": 1}', content_type="application/json")
    large = RequestFactory().post(
        "/plain/echo/", data=b'{"a": "' + b"x" * 40 + b'"}', content_type="application/json"
    )
    upload = RequestFactory().post("/plain/echo/", data={"f": "x" * 40})
    assert _body.complete(small) is None and _started(small)
    for request in (large, upload):
        assert _body.complete(request) is None
        assert not _started(request) and isinstance(request._stream, _stream.Whole)  # noqa: SLF001


def test_a_stream_that_runs_dry_fails_instead_of_ending():
    stream = _stream.Whole(io.BytesIO(b"abc\ndef"), 10)  # noqa: SLF001
    assert stream.read(0) == b""
    assert stream.readline() == b"abc\n"
    assert stream.read(4) == b"def"
    with pytest.raises(Incomplete):
        stream.read(4)
    assert _stream.Whole(io.BytesIO(b"abc"), 3).read() == b"abc"  # noqa: SLF001
    with pytest.raises(Incomplete):
        _stream.Whole(io.BytesIO(b"abc"), 5).read()  # noqa: SLF001


def test_the_stream_is_as_seekable_as_what_it_wraps():
    # Django 6 measures a seekable body before reading it; Python 3.10's
    # SpooledTemporaryFile has no seekable().
    assert _stream.Whole(io.BytesIO(b"abc"), 3).seekable()  # noqa: SLF001
    bare = type("Bare", (), {"read": io.BytesIO().read, "close": lambda self: None})()
    assert not _stream.Whole(bare, 3).seekable()  # noqa: SLF001


GZIPPED_FORM = gzip.compress(b"title=renamed")


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("path", ["/drf/echo/", "/plain/echo/"])
def test_a_body_in_an_undecoded_content_coding_is_refused_with_415(kind, path):
    # Parsed as plain, a gzipped form is garbage fields: a PATCH would answer
    # 200 having changed nothing.  The echo views answer 200; this is refused first.
    args = (path, GZIPPED_FORM, "application/x-www-form-urlencoded")
    headers = {"Content-Encoding": "gzip"}
    if kind == "sync":
        response = Client(raise_request_exception=False).patch(*args, headers=headers)
    else:
        response = async_to_sync(AsyncClient(raise_request_exception=False).patch)(*args, headers=headers)
    body = assert_error(response, 415, "invalid_content_type", headers=("Accept-Encoding",))
    assert response["Accept-Encoding"] == "identity"
    assert "Content-Encoding" in body["error_description"]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("path", ["/drf/echo/", "/plain/echo/"])
@pytest.mark.parametrize("header", ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"])
def test_a_post_that_names_another_method_is_refused(kind, path, header):
    # Django and DRF take it as the POST it is: a DELETE tunnelled this way created a row.
    args = (path, {"title": "x"}, "application/json")
    headers = {header: "delete"}
    if kind == "sync":
        response = Client(raise_request_exception=False).post(*args, headers=headers)
    else:
        response = async_to_sync(AsyncClient(raise_request_exception=False).post)(*args, headers=headers)
    assert "method" in assert_error(response, 400, "invalid_request")["error_description"]


def test_a_method_override_that_says_post_or_nothing_passes(client):
    for value in ("POST", "post", ""):
        response = client.post(
            "/drf/echo/", {"a": 1}, "application/json", headers={"X-HTTP-Method-Override": value}
        )
        assert response.status_code == 200, value
    # Only a POST tunnels; other methods, and paths with no route, answer as they would.
    patched = client.patch(
        "/drf/echo/", {"a": 1}, "application/json", headers={"X-HTTP-Method-Override": "DELETE"}
    )
    assert patched.status_code == 200
    missing = client.post(
        "/no/such/path/", {}, "application/json", headers={"X-HTTP-Method-Override": "DELETE"}
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/no/such/path/", 404),
        ("put", "/drf/upload/", 405),  # an APIView without PUT
        ("patch", "/plain/get-only/", 405),  # a Django view class without PATCH
        ("post", "/drf/post-viewset", 308),  # APPEND_SLASH: the repeated request gets the 415
    ],
)
def test_a_404_405_or_308_comes_before_a_refused_coding(client, method, path, status):
    headers = {"Content-Encoding": "gzip"}
    response = getattr(client, method)(
        path, GZIPPED_FORM, "application/x-www-form-urlencoded", headers=headers
    )
    assert response.status_code == status, response.content
    assert "Accept-Encoding" not in response
    form = "application/x-www-form-urlencoded"
    transfer = _wsgi_request(
        GZIPPED_FORM, terminated=True, content_type=form, method=method.upper(), path=path
    )
    transfer.META["HTTP_TRANSFER_ENCODING"] = "gzip, chunked"
    assert _body.complete(transfer) is None  # the same for a transfer coding


@pytest.mark.parametrize(
    ("coding", "accepted", "refused"),
    [
        ("gzip", [], True),
        ("GZIP", ["gzip"], False),
        ("gzip, br", ["gzip"], True),
        ("identity", [], False),
        ("br", ["gzip", "br"], False),
        ("x-custom", ["gzip"], True),
    ],
)
def test_codings_the_stack_decodes_pass(client, settings, coding, accepted, refused):
    settings.API_ERRORS = {"REQUEST_CONTENT_CODINGS": accepted}
    response = client.post(
        "/plain/echo/", b"{}", content_type="application/json", headers={"Content-Encoding": coding}
    )
    if refused:
        assert_error(response, 415, "invalid_content_type")
        assert response["Accept-Encoding"] == ", ".join([*sorted(accepted), "identity"])
    else:
        assert response.status_code == 200 and response.json() == {"length": 2, "body": "{}"}


def test_a_coding_on_an_empty_body_or_a_get_is_not_refused(client):
    empty = client.delete("/plain/echo/", headers={"Content-Encoding": "gzip"})
    assert empty.status_code == 200 and empty.json()["length"] == 0
    assert client.get("/plain/echo/", headers={"Content-Encoding": "gzip"}).status_code == 200


def test_a_chunked_body_in_an_undecoded_coding_is_read_then_refused():
    request = _wsgi_request(GZIPPED_FORM, terminated=True)
    request.META["HTTP_CONTENT_ENCODING"] = "gzip"
    problem = _body.complete(request)
    assert (problem.status, problem.code) == (415, "invalid_content_type")
    empty = _wsgi_request(b"", terminated=True)
    empty.META["HTTP_CONTENT_ENCODING"] = "gzip"
    assert _body.complete(empty) is None


@pytest.mark.parametrize("kind", ["wsgi", "asgi"])
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=b1"]
)
def test_a_body_in_another_transfer_coding_than_chunked_is_refused(kind, content_type):
    # gunicorn takes "gzip, chunked", removes the chunking and hands over the
    # compressed bytes: a form PATCH answered 200 having changed nothing.
    if kind == "wsgi":
        request = _wsgi_request(GZIPPED_FORM, terminated=True, content_type=content_type)
    else:
        request = _asgi_request(GZIPPED_FORM, content_type)
    request.META["HTTP_TRANSFER_ENCODING"] = "gzip, chunked"
    problem = _body.complete(request)
    assert (problem.status, problem.code) == (415, "invalid_content_type")
    assert problem.headers["Accept-Encoding"] == "identity"
    assert "Transfer-Encoding" in str(problem.description)
    assert not _started(request)  # refused before anything is read or spooled


@pytest.mark.parametrize("transfer", ["chunked", "Chunked", "identity, chunked"])
def test_chunked_alone_is_read(transfer):
    request = _wsgi_request(b'{"title": "x"}', terminated=True)
    request.META["HTTP_TRANSFER_ENCODING"] = transfer
    assert _body.complete(request) is None
    assert request.body == b'{"title": "x"}'


@pytest.mark.parametrize("upload_limit", [2621440, 40], ids=["read early", "past the upload limit"])
def test_a_chunked_multipart_body_is_checked(settings, upload_limit):
    # Given its length, it is read early and checked, or left to stream and
    # checked as it passes, like a body that came with Content-Length.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = upload_limit
    kind = "multipart/form-data; boundary=b1"
    whole = _wsgi_request(_multipart("b1", TITLE), terminated=True, content_type=kind)
    assert _body.complete(whole) is None
    assert whole.POST["title"] == "the whole title"
    cut = _wsgi_request(_multipart("b1", TITLE)[:-10], terminated=True, content_type=kind)
    problem = _body.complete(cut)
    if upload_limit > len(_multipart("b1", TITLE)):
        assert (problem.status, problem.code) == (400, "invalid_request")
    else:
        assert problem is None
        with pytest.raises(Unclosed):
            cut.POST  # noqa: B018
