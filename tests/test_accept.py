"""One Accept parser (RFC 9110 §12.5.1) decides JSON, Problem Details and HTML."""

import pytest

from django_api_errors import _accept


def weigh(accept, *types):
    meta = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return [weight for weight, _ in _accept.weights(meta, *types)]


@pytest.mark.parametrize(
    ("accept", "html", "json"),
    [
        (None, 1.0, 1.0),
        ("", 1.0, 1.0),
        ("*/*", 1.0, 1.0),
        ("text/html", 1.0, 0.0),
        ("text/html;q=0, */*", 0.0, 1.0),  # the most specific range wins
        ("text/*;q=0.3, */*;q=0.5, application/json", 0.3, 1.0),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 1.0, 0.8),
        ("application/json;q=0.2, text/html;Q=0.7", 0.7, 0.2),
        ("TEXT/HTML", 1.0, 0.0),
        ("text/html;q=2", 1.0, 0.0),  # clamped to 1
        ("text/html;q=-1", 0.0, 0.0),  # clamped to 0
        ("text/html;q=abc, application/json", 0.0, 1.0),  # unparsable weight: not acceptable
        ("garbage, application/json", 0.0, 1.0),
    ],
)
def test_weights(accept, html, json):
    assert weigh(accept, "text/html", "application/json") == [html, json]


def test_specificity_is_reported():
    ranges = _accept.parse("application/*;q=0.5, application/problem+json, */*;q=0.1")
    assert _accept.quality(ranges, "application/problem+json") == (1.0, 2)
    assert _accept.quality(ranges, "application/json") == (0.5, 1)
    assert _accept.quality(ranges, "text/html") == (0.1, 0)
    assert _accept.quality(_accept.parse("application/json"), "text/html") == (0.0, -1)
