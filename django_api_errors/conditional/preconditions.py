"""Entity tags and the evaluation of HTTP preconditions (RFC 9110 §13).

Pure functions of the request headers and the resource's current validators
(and of ``IF_MATCH_WEAKENED``), so the order of evaluation (§13.2.2) is tested
without a view or a database.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from rest_framework.utils.encoders import JSONEncoder

from django_api_errors import conf
from django_api_errors.exceptions import FAILED_PRECONDITIONS

ANY = "*"
WEAKENED = _(
    "If-Match holds the current ETag in its weak form (W/), which a compressing proxy made and a strong "
    "comparison never matches: send it without W/."
)
NO_TAG = _(
    "If-Match holds no entity tag this server can read: send the ETag of the version you hold, "
    "in double quotes."
)

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')


@dataclass(frozen=True)
class EntityTag:
    """One member of an ``If-Match`` / ``If-None-Match`` list."""

    opaque: str
    weak: bool = False


def _skip_ows(value: str, position: int) -> int:
    while position < len(value) and value[position] in " \t":
        position += 1
    return position


def parse_etags(value: str) -> list[EntityTag] | str | None:
    """``"*"``, the list of tags in ``value``, or ``None`` when it is malformed.

    Unlike ``django.utils.http.parse_etags``, one malformed member makes the
    whole value malformed: an ``If-Match`` a server cannot read must fail.
    """
    value = value.strip(" \t")
    if value == ANY:
        return ANY
    tags: list[EntityTag] = []
    position = 0
    while position < len(value):
        if value[position] == ",":  # empty list members are allowed (RFC 9110 §5.6.1)
            position = _skip_ows(value, position + 1)
            continue
        match = _ENTITY_TAG.match(value, position)
        if match is None:
            return None
        tags.append(EntityTag(match.group(2), weak=bool(match.group(1))))
        position = _skip_ows(value, match.end())
        if position < len(value) and value[position] != ",":
            return None
    return tags or None


def strong_match(tags: list[EntityTag], current: str) -> bool:
    """Strong comparison: a weak tag never matches (RFC 9110 §8.8.3.2)."""
    return any(not tag.weak and tag.opaque == current for tag in tags)


def weak_match(tags: list[EntityTag], current: str) -> bool:
    """Weak comparison: ``W/"x"`` matches ``"x"``."""
    return any(tag.opaque == current for tag in tags)


def if_match_passes(tags: list[EntityTag], current: str) -> bool:
    """``If-Match``'s strong comparison, or a weak one where ``IF_MATCH_WEAKENED`` says so.

    The mixin's tags are all strong, so a ``W/"x"`` naming the current one
    can only be that tag weakened on its way to the client by a compressor.
    """
    return strong_match(tags, current) or (conf.settings.IF_MATCH_WEAKENED and weak_match(tags, current))


def version_tag(*parts: object) -> str:
    """An opaque tag for a version of a resource, without serializing it."""
    key = "\x1f".join(str(part) for part in parts).encode()
    return hashlib.blake2b(key, digest_size=12).hexdigest()


def representation_tag(data: Any) -> str:
    """An opaque tag that changes whenever the representation ``data`` does."""
    text = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Outcome(enum.Enum):
    PROCEED = "proceed"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


@dataclass(frozen=True)
class Decision:
    """What the preconditions of a request decide, and which header decided."""

    outcome: Outcome
    header: str = ""


def _date(meta: Mapping[str, Any], key: str) -> int | None:
    value = meta.get(key)
    return parse_http_date_safe(value) if isinstance(value, str) else None


def _header(meta: Mapping[str, Any], key: str) -> str:
    value = meta.get(key, "")
    return value.strip(" \t") if isinstance(value, str) else ""


def evaluate(method: str, meta: Mapping[str, Any], etag: str, last_modified: int | None) -> Decision:
    """Evaluate the request's preconditions against an existing resource.

    ``etag`` is the opaque part of the resource's current strong tag and
    ``last_modified`` its modification time in whole seconds, if it has one.
    Follows the order of RFC 9110 §13.2.2.
    """
    if "HTTP_IF_MATCH" in meta:
        # Empty, it lists no tag and matches nothing (RFC 9110 §13.1.1): a client
        # that sent "If-Match: ${etag}" with no tag must not write unconditionally.
        tags = parse_etags(_header(meta, "HTTP_IF_MATCH"))
        if tags is None or (isinstance(tags, list) and not if_match_passes(tags, etag)):
            return Decision(Outcome.FAILED, "If-Match")
    elif last_modified is not None:
        since = _date(meta, "HTTP_IF_UNMODIFIED_SINCE")
        if since is not None and last_modified > since:
            return Decision(Outcome.FAILED, "If-Unmodified-Since")
    safe = method in ("GET", "HEAD")
    if if_none_match := _header(meta, "HTTP_IF_NONE_MATCH"):
        tags = parse_etags(if_none_match)
        if tags is None:
            # Unreadable: a full response is always safe, a write is not.
            return Decision(Outcome.PROCEED if safe else Outcome.FAILED, "If-None-Match")
        if not isinstance(tags, list) or weak_match(tags, etag):
            return Decision(Outcome.NOT_MODIFIED if safe else Outcome.FAILED, "If-None-Match")
    elif safe and last_modified is not None:
        since = _date(meta, "HTTP_IF_MODIFIED_SINCE")
        if since is not None and last_modified <= since:
            return Decision(Outcome.NOT_MODIFIED, "If-Modified-Since")
    return Decision(Outcome.PROCEED)


def is_conditional(meta: Mapping[str, Any]) -> bool:
    """Whether the request carries any precondition header."""
    keys = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
    return "HTTP_IF_MATCH" in meta or any(_header(meta, key) for key in keys)


def names_a_version(meta: Mapping[str, Any]) -> bool:
    """Whether ``If-Match`` names versions (``*`` only asks that the resource exists)."""
    return _header(meta, "HTTP_IF_MATCH") not in ("", ANY)


def asserts_state(meta: Mapping[str, Any], has_last_modified: bool) -> bool:
    """Whether the request named the state it expects: a tag, or a date that counts."""
    if "HTTP_IF_MATCH" in meta:
        return names_a_version(meta)
    return has_last_modified and _date(meta, "HTTP_IF_UNMODIFIED_SINCE") is not None


def failure_description(header: str, meta: Mapping[str, str], etag: str | None) -> Any:
    """What a 412 for the failed ``header`` says (``None``: the code's own wording)."""
    if header != "If-Match":
        return FAILED_PRECONDITIONS.get(header)
    # "Changed since the version named" would mislead for these two.
    tags = parse_etags(meta.get("HTTP_IF_MATCH", ""))
    if tags is None:
        return NO_TAG  # empty, or malformed
    if isinstance(tags, list) and etag and weak_match(tags, etag):
        return WEAKENED  # nothing changed: gzip weakened the tag the client holds
    return None
