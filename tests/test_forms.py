"""Form text Django would decode into U+FFFD is refused on DRF views, not stored."""

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client

from django_api_errors import _forms
from tests.conftest import assert_error

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

    assert _forms.parsed_by_drf(views.EchoAPIView.as_view())
    assert _forms.parsed_by_drf(views.drf_ratelimited)  # @api_view
    assert _forms.parsed_by_drf(views.PartViewSet.as_view({"put": "update"}))
    assert not _forms.parsed_by_drf(views.echo_body)
    assert not _forms.parsed_by_drf(views.PartView.as_view())
    assert not _forms.parsed_by_drf(None)
