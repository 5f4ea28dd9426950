"""The central type: one error, classified, before it is rendered.

Every entry point (the DRF handler, the Django error views, the middleware)
turns what went wrong into a :class:`Problem`, and one renderer turns a
``Problem`` into the response.  The header rules every path shares live here
once: ``Retry-After`` and "a status with no row keeps its status".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django_api_errors import codes, conf

__all__ = ["Detail", "Details", "Problem"]


class _Located(TypedDict):
    field: str | None
    code: str
    message: str


# "in" is a Python keyword, hence the functional form for the optional members.
_Where = TypedDict("_Where", {"pointer": str, "in": str}, total=False)


class Detail(_Located, _Where):
    """One entry of the body's ``details`` list: ``field``, ``code``, ``message``,
    and ``pointer`` (RFC 6901) or ``in`` (``"query"``)."""


Details = list[Detail]


def retry_after(seconds: float | str | None) -> int:
    """Whole seconds for ``Retry-After``: rounded up, at least 1.

    An unknown or unparsable wait becomes ``API_ERRORS["RETRY_AFTER"]``; a
    known one, even 0, is rounded up to whole seconds, at least 1.
    """
    if isinstance(seconds, str):
        seconds = float(seconds) if seconds.strip().isdigit() else None
    if seconds is None:
        return max(1, conf.settings.RETRY_AFTER)
    return max(1, math.ceil(seconds))


@dataclass
class Problem:
    """What the body and the headers of one error response will say."""

    code: str
    status: int
    description: codes.Text
    details: Details | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_code(cls, code: str, description: codes.Text | None = None, **kwargs: Any) -> Problem:
        """A problem with ``code``'s status and, unless given, its wording."""
        entry = codes.get(code)
        if entry is None:
            raise KeyError(f"unknown error code {code!r}")
        # Not ``description or ...``: the truth test of a lazy text translates it.
        if description is None or (isinstance(description, str) and not description):
            description = entry.description
        return cls(code, entry.status, description, **kwargs)

    @classmethod
    def for_status(cls, status: int, description: codes.Text | None = None) -> Problem:
        """A status with no row of its own keeps its status and borrows the closest code."""
        problem = cls.for_code(codes.closest(status), description)
        problem.status = status
        return problem

    def wait(self, seconds: float | str | None) -> Problem:
        """Say when to retry: ``Retry-After`` and the body's ``retry_after`` agree."""
        wait = retry_after(seconds)
        self.extra.setdefault("retry_after", wait)
        self.headers.setdefault("Retry-After", str(wait))
        return self
