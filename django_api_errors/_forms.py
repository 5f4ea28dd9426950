"""Form bodies whose text Django would mangle: refused rather than stored with U+FFFD.

Django decodes the names and values of a form (``application/x-www-form-urlencoded``,
and the fields of a multipart body) in the request's charset, putting U+FFFD
in place of bytes that are not text in it.  A client that sends Latin-1 bytes
without saying so (``name=caf%E9``) would have ``caf\ufffd`` stored and a 2xx,
where the same mistake in JSON is a 400.  :func:`undecodable` is asked about
small bodies, which are read before the view (``_body._read_early``), going
to DRF views: DRF's form parsers always decode in that charset, while a plain
Django view may read the bytes and decode them itself (a PayPal IPN handler
reads the charset from a field of the form).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.views import APIView

UNDECODABLE = _(
    "The form's field names or values are not text in its charset: say the charset the client used "
    "in Content-Type (charset=...)."
)


def _texts(request: HttpRequest, body: bytes, close: bytes | None) -> list[bytes]:
    """The bytes Django decodes as text: a whole urlencoded form, a multipart body's non-file parts."""
    if request.content_type == "application/x-www-form-urlencoded":
        return [unquote_to_bytes(body)]  # "&", "=" and "+" are ASCII: whole decodes iff each part does
    if close is None:
        return []
    # Split on CRLF and the delimiter; the first piece is a preamble unless the
    # body starts with the delimiter, the one after the close delimiter an epilogue.
    pieces = (b"\r\n" + body).split(b"\r\n" + close[:-2])[1:]
    return [
        piece
        for piece in pieces
        if not piece.startswith(b"--") and b"filename" not in piece.partition(b"\r\n\r\n")[0]
    ]


def undecodable(request: HttpRequest, body: bytes, close: bytes | None) -> bool:
    """Whether a form's names or values are not text in the request's charset."""
    encoding = request.encoding or settings.DEFAULT_CHARSET
    try:
        for text in _texts(request, body, close):
            text.decode(encoding)
    except UnicodeDecodeError:
        return True
    except LookupError:  # a charset that names no text codec: Django's to answer
        return False
    return False


def parsed_by_drf(view: Any) -> bool:
    """Whether ``view`` is a DRF view (``as_view()`` and ``@api_view`` keep the class as ``cls``)."""
    cls = getattr(view, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)
