"""Request bodies before any view: read whole, or refused.

A chunked body (HTTP/1.1 ``Transfer-Encoding: chunked``) or an HTTP/2 body
has no ``Content-Length``.  Django and DRF then read nothing, and a view
would answer 2xx having ignored what the client sent.  Where the server hands
the application the whole body (every ASGI server; a WSGI server that says so
with ``wsgi.input_terminated``, as gunicorn does) it is read here, bounded by
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a multipart one spooled, its files not held
in memory), and ``Content-Length`` is filled in; where it cannot be read
safely, the request is refused with 411 (RFC 9110 §15.5.12).

A body in a ``Content-Encoding`` nothing in the stack decodes (gzip, br, ...)
would be parsed as if it were plain: a form becomes garbage fields, and a
``PATCH`` answers 200 having changed nothing.  It is refused with 415 and
``Accept-Encoding`` (RFC 9110 §15.5.16), unless ``REQUEST_CONTENT_CODINGS``
names the coding.  So is a body whose ``Transfer-Encoding`` names a coding
besides ``chunked`` (gunicorn takes ``gzip, chunked``, removes the chunking
and hands the application the compressed bytes).

A ``POST`` naming another method in ``X-HTTP-Method-Override`` (or
``X-HTTP-Method``, ``X-Method-Override``) would be taken as a ``POST``: a
``DELETE`` tunnelled through it creates a row.  It is refused with 400.

A ``PUT`` with ``Content-Range`` sends part of a representation; a view that
does not know it stores the part as the whole (an upload truncated to its
first chunk, with 200).  It is refused with 400 (RFC 9110 §14.5) unless the
view says it takes partial ``PUT``s (``accepts_partial_put = True``).

A body that stops short is not the body the client sent.  Under a WSGI server
a client that goes away mid-body leaves the view a prefix (``title=the+wh``)
to store as if whole; a multipart body cut short, or delimited by another
boundary than its ``Content-Type`` names, parses into half a value or one
garbage field, and one whose lines end in a bare LF into nothing.  Small
bodies are checked once read: shorter than ``Content-Length``, or multipart
without CRLF and its closing boundary (RFC 2046 §5.1.1), is a 400.  A larger
body, left to stream, fails when it runs dry, or, multipart, when it ends
without that boundary.  A small form going to a DRF view whose text is not
in its charset, or JSON escaping half a surrogate pair, is a 400 too
(:mod:`._text`).
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.http import HttpRequest, UnreadablePostError
from django.utils.translation import gettext_lazy as _

from django_api_errors import _routing, _text, conf
from django_api_errors._stream import Framed, Whole
from django_api_errors.classify import INCOMPLETE, TOO_BIG, UNCLOSED, Incomplete
from django_api_errors.problem import Problem

LENGTH_REQUIRED = _("Send the request body with a Content-Length header.")
PARTIAL_PUT = _(
    "This resource does not accept a partial PUT: send the whole representation without Content-Range."
)
UNSUPPORTED_CODING = _(
    "The request body's Content-Encoding is not supported: send it in a coding listed in Accept-Encoding."
)
UNSUPPORTED_TRANSFER_CODING = _(
    "The request body's Transfer-Encoding is not supported: send it chunked or with a Content-Length, "
    "compressed only in a Content-Encoding listed in Accept-Encoding."
)
OVERRIDDEN = _("This API does not take a method from a header: send the request with the method it names.")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UTF8 = frozenset({"utf-8", "UTF-8", "utf8", "UTF8"})  # other spellings take the long way
# Headers some clients send to tunnel a method through POST; Django and DRF ignore them.
_OVERRIDES = ("HTTP_X_HTTP_METHOD_OVERRIDE", "HTTP_X_HTTP_METHOD", "HTTP_X_METHOD_OVERRIDE")
_FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _unannounced(request: HttpRequest) -> bool:
    meta = request.META
    # Chunked framing overrides a Content-Length sent with it (RFC 9112 §6.3);
    # h11 (uvicorn) takes both, and DRF would read the 0 and nothing.
    if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
        return True
    if meta.get("CONTENT_LENGTH"):
        return False
    # HTTP/2 and HTTP/3 carry bodies without either header; only ASGI sees them.
    return isinstance(request, ASGIRequest)


def _open_wsgi_input(request: Any, limit: int | None) -> bool:
    """Let ``request.body`` read the whole de-chunked input; False where it cannot."""
    environ = getattr(request, "environ", {})
    if not environ.get("wsgi.input_terminated") or "wsgi.input" not in environ:
        return False
    # WSGIRequest built its stream for a length of 0; the stream is private,
    # and tests/test_body.py fails by name if Django renames it.
    stream: Any = Framed(environ["wsgi.input"])  # LimitedStream calls read and readline
    request._stream = LimitedStream(stream, (limit + 1) if limit is not None else 2**63)
    return True


def _spool(request: Any) -> Problem | None:
    """Give a multipart body without ``Content-Length`` its length, files left out of memory.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds a form's fields, not its files: with
    a length, Django streams a large upload to disk, so this one must not be
    read into memory (and refused) to learn its length.  Under ASGI the body is
    already in a spooled file; under WSGI it is copied into one, as Django's
    ASGI handler does.
    """
    stream = request._stream  # private, as in _open_wsgi_input
    if not isinstance(request, ASGIRequest):
        spooled = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the request reads it after we return
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        request._stream = spooled
        while True:
            try:
                chunk = stream.read(2**16)
            except OSError:  # the client went away mid-body; a full disk (write) stays a 500
                return Problem.for_code("invalid_request", INCOMPLETE)
            except Incomplete as exc:  # Unframed
                return Problem.for_code("invalid_request", exc.description)
            if not chunk:
                break
            spooled.write(chunk)
        stream = spooled
    request.META["CONTENT_LENGTH"] = str(stream.seek(0, io.SEEK_END))
    stream.seek(0)
    return None


def _read_early(request: HttpRequest) -> Problem | None:
    """Read a small body now, before any view opens a transaction; 400 if it is not whole.

    A client that trickles its body would otherwise hold whatever the view
    holds while it waits (an ``ATOMIC_REQUESTS`` transaction, SQLite's write
    lock).  Bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (past which Django writes an upload to
    disk; the bound when the first is ``None``) are left to stream as Django
    streams them, through :class:`._stream.Whole` (under ASGI the body has all
    arrived, so only a multipart one is wrapped).
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= 0:
        return None
    limit, files = settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    # A body in a coding of REQUEST_CONTENT_CODINGS is decoded after us: only its length can be checked.
    encoded = bool(_codings(request))
    close = None if encoded else _close_delimiter(request)
    if length > (files if limit is None else min(limit, files)):
        if close or isinstance(request, WSGIRequest):
            # Django's private stream, as in _open_wsgi_input.
            request._stream = Whole(request._stream, length, close)  # type: ignore[assignment]
        return None
    try:
        body = request.body  # kept by the request; DRF and Django read it from there
    except UnreadablePostError:
        body = b""
    if len(body) < length:
        return Problem.for_code("invalid_request", INCOMPLETE)
    if encoded:
        return None
    # The close delimiter is near the end.
    if close and not body.startswith(close) and body.rfind(b"\r\n" + close) < 0:
        return Problem.for_code("invalid_request", UNCLOSED)
    return _not_text(request, body, close)


def _not_text(request: HttpRequest, body: bytes, close: bytes | None) -> Problem | None:
    """400 for a form or JSON body going to a DRF view whose text DRF would mangle or not store."""
    content_type = request.content_type or ""
    if content_type in _FORMS and _text.undecodable(request, body, close):
        problem = Problem.for_code("invalid_request", _text.UNDECODABLE)
    elif _text.is_json(content_type) and (
        found := _text.lone_surrogates(body, request.encoding or settings.DEFAULT_CHARSET)
    ):
        problem = Problem.for_code("invalid_request", details=found)
    else:
        return None
    return (
        problem
        if _text.parsed_by_drf(_routing.handler(request), request.META.get("CONTENT_TYPE", ""))
        else None
    )


def _json_as_utf8(request: HttpRequest) -> None:
    """Have DRF read JSON labelled with a charset that is not Unicode as the UTF-8 JSON is (:mod:`._text`)."""
    if _text.labelled_not_unicode(request) and _text.parsed_by_drf(
        _routing.handler(request), request.META.get("CONTENT_TYPE", "")
    ):
        query = request.GET  # the query string stays decoded as it was
        request.encoding = "utf-8"
        request.GET = query


def _overridden(request: HttpRequest) -> bool:
    """Whether a ``POST`` asks, in a header, to be taken as another method (a ``DELETE`` created a row)."""
    meta = request.META
    for key in _OVERRIDES:
        if key in meta and meta[key].strip().upper() not in ("", "POST"):
            return _routing.handler(request) is not None  # a 404 or 405 comes first
    return False


def _close_delimiter(request: HttpRequest) -> bytes | None:
    """``--boundary--`` for a multipart body; ``None`` for others and bad boundaries (Django's to refuse)."""
    if request.content_type != "multipart/form-data":
        return None
    boundary = (request.content_params or {}).get("boundary", "")
    return b"--%s--" % boundary.encode() if boundary and boundary.isascii() else None


def _refused_coding(request: HttpRequest, description: Any) -> Problem | None:
    if _routing.handler(request) is None:
        return None
    problem = Problem.for_code("invalid_content_type", description)
    problem.headers["Accept-Encoding"] = ", ".join(
        [*sorted(conf.settings.REQUEST_CONTENT_CODINGS), "identity"]
    )
    return problem


def _codings(request: HttpRequest) -> list[str]:
    """The body's content codings but ``identity`` (``"identity,"`` names none)."""
    names = request.META.get("HTTP_CONTENT_ENCODING", "").lower().split(",")
    return [name for name in map(str.strip, names) if name and name != "identity"]


def _undecoded(request: HttpRequest) -> Problem | None:
    """415 for a body in a coding nothing decodes; ``None`` without a body or a coding."""
    if "HTTP_CONTENT_ENCODING" not in request.META or request.META.get("CONTENT_LENGTH", "0") in ("", "0"):
        return None
    accepted = conf.settings.REQUEST_CONTENT_CODINGS
    if any(name not in accepted for name in _codings(request)):
        return _refused_coding(request, UNSUPPORTED_CODING)
    return None


def _transfer_coded(request: HttpRequest) -> Problem | None:
    """415 for a body still in a transfer coding other than ``chunked`` (RFC 9112 §6.1)."""
    codings = request.META.get("HTTP_TRANSFER_ENCODING", "").lower().split(",")
    if any(name.strip() not in ("chunked", "identity", "") for name in codings):
        return _refused_coding(request, UNSUPPORTED_TRANSFER_CODING)
    return None


def complete(request: HttpRequest) -> Problem | None:
    """Make a body without ``Content-Length`` readable; the refusal where it is not.

    Small bodies are read before the view runs (see :func:`_read_early`).
    """
    if request.method not in _BODY_METHODS:
        return None  # GET and HEAD bodies have no meaning (RFC 9110 §9.3.1): one set lookup
    if (request.encoding or conf.settings.default_charset) not in _UTF8:
        _json_as_utf8(request)
    if request.method == "POST" and _overridden(request):
        return Problem.for_code("invalid_request", OVERRIDDEN)
    if "HTTP_CONTENT_RANGE" in request.META and request.method == "PUT":
        view = _routing.handler(request)
        if view is not None and not _routing.says(view, "accepts_partial_put"):
            return Problem.for_code("invalid_request", PARTIAL_PUT)
    if not _unannounced(request):
        return _undecoded(request) or _read_early(request)
    refused = _transfer_coded(request)
    if refused is not None:
        return refused
    multipart = request.content_type == "multipart/form-data"
    limit = None if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not isinstance(request, ASGIRequest) and not _open_wsgi_input(request, limit):
        return Problem.for_status(411, LENGTH_REQUIRED)
    if multipart:
        return _spool(request) or _undecoded(request) or _read_early(request)
    try:
        body = request.body
    except RequestDataTooBig:
        return Problem.for_status(413, TOO_BIG)
    except UnreadablePostError:
        return Problem.for_code("invalid_request", INCOMPLETE)
    except Incomplete as exc:  # Unframed
        return Problem.for_code("invalid_request", exc.description)
    if limit is not None and len(body) > limit:
        return Problem.for_status(413, TOO_BIG)
    request.META["CONTENT_LENGTH"] = str(len(body))
    return _undecoded(request) or _read_early(request)
