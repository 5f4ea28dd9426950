"""The HTTP contract around the bodies: request headers a client may send, headers it gets.

Conditional requests (RFC 9110 §13) for ``ConditionalRequestMixin`` views,
and the rate-limit header fields of throttled operations.
"""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from django_api_errors import codes, conf
from django_api_errors.openapi import _inspection as inspection

TEXT = {
    "If-Match": _("Only act if the resource still has one of these ETags (RFC 9110 §13.1.1)."),
    "If-None-Match": _("Answer 304 if the resource still has one of these ETags (RFC 9110 §13.1.2)."),
    "If-Modified-Since": _("Answer 304 if not modified since this HTTP-date (RFC 9110 §13.1.3)."),
    "If-Unmodified-Since": _("Only act if not modified since this HTTP-date (RFC 9110 §13.1.4)."),
    "ETag": _("The strong entity tag of the resource's current version."),
    "Last-Modified": _("When the resource last changed, as an HTTP-date."),
    "Cache-Control": _("Store, but revalidate before reuse."),
    "RateLimit": _("The quota left: requests available (a) within the next w seconds."),
    "RateLimit-Policy": _("The quota: requests (q) per window of w seconds."),
    "Retry-After": _("Seconds to wait before retrying."),
    "WWW-Authenticate": _("The authentication challenge (RFC 9110 §11.6.1)."),
    "Allow": _("The methods this path accepts."),
    "Accept-Patch": _(
        "The media types a PATCH body may have; sent when its Content-Type is refused (RFC 5789 §2.2)."
    ),
    "Accept-Encoding": _(
        "The content codings request bodies may use; sent when a body's Content-Encoding is refused "
        "(RFC 9110 §15.5.16)."
    ),
    "X-Request-ID": _("The request's id, also in the body as request_id."),
}
REQUIRED_TEXT = _(" Required: a write without it answers 428.")
# No minLength: an empty or unreadable date is ignored as if absent (RFC 9110
# §13.1.3), and an empty tag list matches nothing.  The examples, which
# Schemathesis sends first, reach a 304 ("*" on a read) and a 412 (a tag
# no resource has, on a write).
ETAG_LIST = {"type": "string", "example": '"0f4b2c1d"'}
ANY_ETAG = {"type": "string", "example": "*"}
HTTP_DATE = {"type": "string", "example": "Wed, 02 Dec 2026 10:00:00 GMT"}
SECONDS = {"type": "integer", "minimum": 1}


def _header(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    header: dict[str, Any] = {
        "schema": dict(schema),
        "description": force_str(TEXT[name]) if name in TEXT else name,
    }
    if required:
        header["required"] = True
    return header


def _parameter(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {
        "in": "header",
        "name": name,
        "schema": dict(schema),
        "required": required,
        "description": force_str(TEXT[name]) + (force_str(REQUIRED_TEXT) if required else ""),
    }


def parameters(
    contract: inspection.Conditional | None, method: str, detail_route: bool
) -> list[dict[str, Any]]:
    """The conditional request headers ``method`` evaluates."""
    if contract is None:
        return []
    method = method.upper()
    found = []
    if method in ("GET", "HEAD"):
        found.append(_parameter("If-None-Match", ANY_ETAG))
        if contract.last_modified:
            found.append(_parameter("If-Modified-Since", HTTP_DATE))
        found.append(_parameter("If-Match", ETAG_LIST))  # evaluated on reads too: 412
        if contract.last_modified:
            found.append(_parameter("If-Unmodified-Since", HTTP_DATE))
    elif method == "POST" and not detail_route:
        # Compared with the collection's ETag, the one a GET of this URL carries.
        found += [_parameter("If-Match", ETAG_LIST), _parameter("If-None-Match", ETAG_LIST)]
    elif detail_route and method in inspection.WRITE_METHODS:
        found.append(_parameter("If-Match", ETAG_LIST, contract.if_match_required))
        if contract.last_modified:
            found.append(_parameter("If-Unmodified-Since", HTTP_DATE))
    return found


def validator_headers(contract: inspection.Conditional) -> dict[str, Any]:
    """``ETag``, ``Last-Modified``, ``Cache-Control`` of a response carrying a version."""
    headers = {"ETag": _header("ETag", {"type": "string"}, required=True)}
    if contract.last_modified:
        headers["Last-Modified"] = _header("Last-Modified", {"type": "string"})
    if contract.cache_control:
        headers["Cache-Control"] = _header("Cache-Control", {"type": "string"})
    return headers


def ratelimit_headers() -> dict[str, Any]:
    """The rate-limit fields a throttled operation's responses carry."""
    return {name: _header(name, {"type": "string"}) for name in ("RateLimit", "RateLimit-Policy")}


def not_modified(contract: inspection.Conditional) -> dict[str, Any]:
    """The 304 of a conditional read: no body, the validators in the headers."""
    return {
        "description": force_str(_("Not Modified: the ETag in If-None-Match is still current.")),
        "headers": validator_headers(contract),
    }


def error_headers(status: int, error_codes: list[str], throttled: bool, method: str = "") -> dict[str, Any]:
    """The headers of an error response; the request id on every one."""
    headers = {conf.settings.REQUEST_ID_HEADER: _header("X-Request-ID", {"type": "string"}, required=True)}
    if status == 405:
        headers["Allow"] = _header("Allow", {"type": "string"})
    if status == 415:
        headers["Accept-Encoding"] = _header("Accept-Encoding", {"type": "string"})
        if method.upper() == "PATCH":
            headers["Accept-Patch"] = _header("Accept-Patch", {"type": "string"})
    for code in error_codes:
        entry = codes.get(code)
        for name in entry.headers if entry is not None else ():
            if name == "Retry-After":
                headers[name] = _header(name, SECONDS, required=True)
            elif name == "ETag":
                headers[name] = _header(name, {"type": "string"})
            else:
                headers.setdefault(name, _header(name, {"type": "string"}))
    if status == 429 and throttled:
        headers.update(ratelimit_headers())
    return headers
