"""DRF content negotiation that reads ``application/problem+json`` as being about errors.

``Accept: application/problem+json`` says how a client wants its errors, not
its successes.  DRF's default negotiation matches it against the view's
renderers, finds none, and answers 406 before the view runs; this class
leaves it out of renderer selection, so the request gets the same status it
would get without it::

    REST_FRAMEWORK = {"DEFAULT_CONTENT_NEGOTIATION_CLASS":
                      "django_api_errors.negotiation.ProblemDetailsNegotiation"}
"""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation

from django_api_errors.problem_details import PROBLEM_JSON

__all__ = ["ProblemDetailsNegotiation"]


class ProblemDetailsNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with ``application/problem+json`` left to the error path."""

    def get_accept_list(self, request: Any) -> list[str]:
        tokens: list[str] = super().get_accept_list(request)
        kept = [token for token in tokens if token.split(";", 1)[0].strip().lower() != PROBLEM_JSON]
        if len(kept) == len(tokens):
            return tokens
        # Only problem+json named: any representation of a success will do.
        return kept or ["*/*"]
