"""A conditional write to a DRF view that would not evaluate the condition: 412, not a silent write.

RFC 9110 §13.1.1 asks a server to evaluate ``If-Match`` before it performs
the method.  A DRF view without entity tags ignores it and makes the change
the client made conditional, answering 2xx; a ``PUT`` or ``POST`` with
``If-None-Match: *`` ("only where nothing exists yet") overwrites.  A view
without an entity tag has nothing that matches ``If-Match``, and what a DRF
write reaches exists (or the view answers 404): both conditions are false,
so ``ErrorMiddleware`` answers 412 before such a view runs.

A view evaluates these headers where it says ``evaluates_preconditions``
(see :mod:`._routing`).  ``ConditionalRequestMixin`` says it for its own
actions; an ``@action`` says it for itself: ``@action(...,
evaluates_preconditions=True)``.  ``If-Match: *`` passes (the resource
exists, or the view answers 404), and views that are not DRF's are left to
themselves (Django's ``@condition`` evaluates them).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from django_api_errors import _routing
from django_api_errors.problem import Problem

SAYS = "evaluates_preconditions"
# The actions DRF's and adrf's viewsets route writes to; any other is an @action.
_ACTIONS = frozenset(
    {"create", "update", "partial_update", "destroy", "acreate", "aupdate", "partial_aupdate", "adestroy"}
)
UNEVALUATED = {
    "If-Match": _(
        "This resource does not evaluate If-Match, so nothing was changed; without the header "
        "the change would be made unconditionally."
    ),
    "If-None-Match": _(
        "This resource does not evaluate If-None-Match, so nothing was changed; without the header "
        "the change would be made unconditionally."
    ),
}


def refusal(request: HttpRequest) -> Problem | None:
    """412 for a write whose condition its DRF view would ignore; ``None`` otherwise."""
    meta = request.META
    if meta.get("HTTP_IF_MATCH", "*").strip() != "*":
        header = "If-Match"
    elif meta.get("HTTP_IF_NONE_MATCH", "").strip() == "*":
        header = "If-None-Match"
    else:
        return None
    view = _routing.handler(request)
    if getattr(view, "cls", None) is None or evaluates(view, request.method or ""):
        return None  # a 404 or 405 first, or not a DRF view
    return Problem.for_code("precondition_failed", UNEVALUATED[header])


def evaluates(view: Any, method: str) -> bool:
    """Whether the DRF ``view`` says it evaluates preconditions for ``method``."""
    action = (getattr(view, "actions", None) or {}).get(method.lower())
    return _routing.says(view, SAYS, by_class=action is None or action in _ACTIONS)
