"""Reading ``Accept`` (RFC 9110 §12.5.1): one parser for every format decision.

Each media range may carry a weight ``q`` from 0 to 1; ``q=0`` means "not
acceptable".  A type's weight is the one of the most specific range that
matches it (``text/html;q=0`` beats ``*/*``); a type no range matches is not
acceptable.  No ``Accept`` at all accepts everything.
"""

from __future__ import annotations

from functools import lru_cache

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
HTML = "text/html"

Ranges = tuple[tuple[str, str, float], ...]


@lru_cache(maxsize=256)
def parse(accept: str) -> Ranges:
    """The media ranges of an ``Accept`` value as ``(type, subtype, q)``."""
    ranges = []
    for item in accept.split(","):
        media_range, *params = item.split(";")
        kind, _, subtype = media_range.strip().lower().partition("/")
        if not kind or not subtype:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((kind, subtype, quality))
    return tuple(ranges)


def quality(ranges: Ranges, media_type: str) -> tuple[float, int]:
    """``media_type``'s weight and how specifically it was named (2 exact, 1 ``type/*``, 0 ``*/*``)."""
    kind, _, subtype = media_type.partition("/")
    best: tuple[int, float] | None = None
    for range_kind, range_subtype, weight in ranges:
        if range_kind == kind and range_subtype == subtype:
            rank = 2
        elif range_kind == kind and range_subtype == "*":
            rank = 1
        elif range_kind == "*" and range_subtype == "*":
            rank = 0
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, weight)
    if best is None:
        return 0.0, -1
    return best[1], best[0]


def weights(request_meta: dict[str, str], *media_types: str) -> list[tuple[float, int]]:
    """The weight and specificity of each of ``media_types`` for a request's ``Accept``."""
    accept = request_meta.get("HTTP_ACCEPT", "").strip()
    if not accept:
        return [(1.0, 0)] * len(media_types)
    ranges = parse(accept)
    return [quality(ranges, media_type) for media_type in media_types]
