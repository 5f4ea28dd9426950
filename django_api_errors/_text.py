"""Body text a parser would mangle, or a view could not store: refused before the view.

Forms.  Django decodes the names and values of a form
(``application/x-www-form-urlencoded``, and the fields of a multipart body)
in the request's charset, putting U+FFFD in place of bytes that are not text
in it.  A client that sends Latin-1 bytes without saying so (``name=caf%E9``)
would have ``caf\ufffd`` stored and a 2xx, where the same mistake in JSON is
a 400.

JSON.  An escape of half a surrogate pair (``"\\ud83d"``, what JavaScript's
``JSON.stringify`` sends for an emoji cut in two by ``slice``) is valid JSON
but not text (RFC 8259 §8.2; I-JSON, RFC 7493 §2.1, forbids it).  Python's
parser takes it, and the view's save or DRF's renderer then fails to encode
it: a 500 for the client's mistake, after whatever the view wrote first.

JSON in a charset.  JSON is Unicode, exchanged as UTF-8 (RFC 8259 §8.1,
whose registration defines no ``charset``).  DRF's parser decodes it in the
``charset=`` of ``Content-Type``: UTF-8 text labelled ``iso-8859-1`` was
stored as ``cafÃ©`` with a 2xx.  A charset that is not a Unicode encoding is
set aside for JSON going to a DRF view (``_body``), so such a body is read
as the UTF-8 it is, and one really in Latin-1 is refused as not UTF-8.

Both are asked about small bodies, which are read before the view
(``_body._read_early``), going to DRF views: DRF's parsers decode as above,
while a plain Django view may read the bytes and decode them itself (a PayPal
IPN handler reads the charset from a field of the form).
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.mediatypes import media_type_matches
from rest_framework.validators import ProhibitSurrogateCharactersValidator as _SURROGATES
from rest_framework.views import APIView

from django_api_errors.problem import Details

UNDECODABLE = _(
    "The form's field names or values are not text in its charset: say the charset the client used "
    "in Content-Type (charset=...)."
)
URLENCODED = "application/x-www-form-urlencoded"
# Entries listed for half surrogate pairs: a body of them must not make a response ten times its size.
MAX_ENTRIES = 20
# A JSON escape: a surrogate pair, a lone half of one (group 1), or any other.
_ESCAPE = re.compile(
    rb"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(u[dD][89a-fA-F])|.)", re.DOTALL
)


def _texts(request: HttpRequest, body: bytes, close: bytes | None) -> list[bytes]:
    """The bytes Django decodes as text: a whole urlencoded form, a multipart body's non-file parts."""
    if request.content_type == URLENCODED:
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
        if request.content_type == URLENCODED and "=&".encode(encoding) != b"=&":
            # Not ASCII-compatible (UTF-16, EBCDIC): Django decodes the whole
            # body in it before splitting.  ASCII bytes labelled so decode into
            # one garbage name; a form really sent in it has its "=".
            return "=" not in body.decode(encoding)
        for text in _texts(request, body, close):
            text.decode(encoding)
    except UnicodeDecodeError:
        return True
    except LookupError:  # a charset that names no text codec: Django's to answer
        return False
    return False


def lone_surrogates(body: bytes, encoding: str = "utf-8") -> Details:
    """An entry for each string (or name) of a JSON body holding half a surrogate pair alone.

    DRF's ``CharField`` refuses these with the same code and message; its
    ``JSONField``, ``DictField`` names and a view reading ``request.data`` do not.
    ``encoding`` is the one DRF's parser reads the body in (the request's).
    """
    if encoding.replace("_", "-").lower() not in ("utf-8", "utf8"):
        try:  # a charset= in Content-Type that is not ASCII-compatible (UTF-16) hides the escapes
            body = body.decode(encoding).encode()
        except (LookupError, UnicodeError):
            return []  # DRF's to refuse
    if b"\\ud" not in body and b"\\uD" not in body:
        return []  # nearly every body: one search, no parse
    if not any(escape.group(1) for escape in _ESCAPE.finditer(body)):
        return []  # whole pairs only (ensure_ascii clients escape every emoji)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # DRF's to refuse (400, nested too deeply)
        return []
    return _found(data)


def _found(data: Any) -> Details:
    """The entries, in document order; a stack, not recursion: Python 3.13 parses deeper than it recurses."""
    out: Details = []
    stack: list[tuple[Any, str | None, str]] = [(data, None, "")]
    while stack and len(out) < MAX_ENTRIES:
        value, path, pointer = stack.pop()
        children: list[tuple[Any, str | None, str]] = []
        if isinstance(value, dict):
            for key, item in value.items():
                if _surrogate(key) is not None:  # the name itself, at its object: it cannot be echoed
                    children.append((key, path, pointer))
                else:
                    token = key.replace("~", "~0").replace("/", "~1")
                    children.append((item, f"{path}.{key}" if path else key, f"{pointer}/{token}"))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                children.append((item, f"{path}.{index}" if path else str(index), f"{pointer}/{index}"))
        elif isinstance(value, str) and (char := _surrogate(value)) is not None:
            message = str(_SURROGATES.message).format(code_point=ord(char))
            out.append({"field": path, "pointer": pointer, "code": _SURROGATES.code, "message": message})
        stack.extend(reversed(children))
    return out


def _surrogate(text: str) -> str | None:
    return next((char for char in text if 0xD800 <= ord(char) <= 0xDFFF), None)


def labelled_not_unicode(request: HttpRequest) -> bool:
    """Whether a JSON body's charset (or ``DEFAULT_CHARSET``) is not a Unicode encoding (UTF-16 is one)."""
    if not is_json(request.content_type or ""):
        return False
    try:
        name = codecs.lookup(request.encoding or settings.DEFAULT_CHARSET).name
    except LookupError:  # Django sets no encoding it cannot look up: a DEFAULT_CHARSET's
        return False
    return not name.startswith(("utf-8", "utf-16", "utf-32"))


def is_json(content_type: str) -> bool:
    """A type DRF's ``JSONParser`` may take: ``application/json``, ``+json`` (RFC 6839), wildcards.

    DRF matches a request's ``*/*`` or ``application/*`` to its first parser,
    JSON by default.
    """
    main, _, sub = content_type.partition("/")
    return main in ("application", "*") and (sub in ("json", "*") or sub.endswith("+json"))


def parsed_by_drf(view: Any, content_type: str) -> bool:
    """Whether ``view`` is a DRF view with a parser for ``content_type`` (without one, DRF's 415 comes first).

    ``as_view()`` and ``@api_view`` keep the class as ``cls``, and ``as_view()``'s arguments.
    """
    cls = getattr(view, "cls", None)
    if not (isinstance(cls, type) and issubclass(cls, APIView)):
        return False
    kwargs = getattr(view, "initkwargs", None) or {}
    negotiation = kwargs.get("content_negotiation_class", cls.content_negotiation_class)
    chooses = getattr(negotiation, "select_parser", None)
    if cls.get_parsers is not APIView.get_parsers or chooses is not DefaultContentNegotiation.select_parser:
        return True  # parsers or their choice of the view's own: it may parse anything
    parsers = kwargs.get("parser_classes", cls.parser_classes)
    return any(media_type_matches(parser.media_type, content_type) for parser in parsers)
