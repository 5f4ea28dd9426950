"""The stream a body is read through when it is left to stream: it fails where the body is not whole."""

from __future__ import annotations

import io
from typing import Any

from django_api_errors.classify import INCOMPLETE, UNCLOSED, UNFRAMED, Incomplete, Unclosed, Unframed


class Whole(io.IOBase):
    """A body stream that fails, rather than ends, when the body stops short of its length.

    Given a multipart close delimiter, it also fails at the end of a body in
    which ``CRLF`` and that delimiter never appeared (the check
    :func:`._body._read_early` makes on small bodies, made as the chunks pass).
    Its errors are ``BadRequest``s, not ``OSError``s, so that nothing on the
    way (``CsrfViewMiddleware`` reading a form) takes them for a lost client.
    """

    def __init__(self, stream: Any, length: int, close: bytes | None = None) -> None:
        self._stream = stream
        self._left = length
        self._close = b"\r\n" + close if close else b""
        self._tail = b"\r\n"  # so a body that starts with the delimiter is found too

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        seekable = getattr(self._stream, "seekable", None)  # Python 3.10's SpooledTemporaryFile has none
        return bool(seekable and seekable())

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        # Django 6 measures a seekable (ASGI) body this way, then reads it from the start.
        return int(self._stream.seek(offset, whence))

    def _passed(self, data: bytes, short: bool) -> bytes:
        self._left -= len(data)
        if self._left > 0 and short:
            raise Incomplete(str(INCOMPLETE))
        if self._close:
            window = self._tail + data
            if self._close in window:
                self._close = b""
            elif self._left <= 0:
                raise Unclosed(str(UNCLOSED))
            else:
                self._tail = window[1 - len(self._close) :]
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        data: bytes = self._stream.read(size)
        # Empty before the end, or short when the whole rest was asked for.
        return self._passed(data, (not data and size != 0) or size is None or size < 0)

    def readline(self, size: int | None = -1, /) -> bytes:
        line: bytes = self._stream.readline(size)
        return self._passed(line, not line and size != 0)

    def close(self) -> None:
        self._stream.close()
        super().close()


class Framed:
    """A WSGI server's de-chunked input, whose framing errors become :class:`Unframed`.

    gunicorn raises its own exceptions (``InvalidChunkSize``, ...) from
    ``wsgi.input`` on a malformed chunked body; neither ``OSError`` nor
    Django's, they would reach the client as a 500 (with ``DEBUG``, Django's
    page).  ``OSError`` (the client went away) is left as it is.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, size: int | None = -1, /) -> bytes:
        return self._guarded(self._stream.read, size)

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._guarded(self._stream.readline, size)

    @staticmethod
    def _guarded(read: Any, size: int | None) -> bytes:
        try:
            return bytes(read(size))
        except OSError:
            raise
        except Exception as exc:  # whatever the server calls its parse errors
            raise Unframed(str(UNFRAMED)) from exc
