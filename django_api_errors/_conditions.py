"""A conditional write that DRF's own code would carry out unconditionally: 412, not a silent write.

RFC 9110 §13.1.1 asks a server to evaluate ``If-Match`` before it performs
the method.  DRF's ``create``, ``update``, ``partial_update`` and ``destroy``
(and adrf's ``a``-twins, and the generic views' handlers that call them)
never read it: a viewset without ``ConditionalRequestMixin`` makes the
change the client made conditional and answers 2xx, and a ``PUT`` or
``POST`` with ``If-None-Match: *`` ("only where nothing exists yet")
overwrites.  Such a view has no entity tag that could match ``If-Match``,
and what its write reaches exists (DRF's update and destroy answer 404
where it does not): both conditions are false, so ``ErrorMiddleware``
answers 412 before the view runs.

Only writes made by that code, unchanged, are judged: an action the view
overrides (as the mixin and drf-extensions' ``ETAGMixin`` do), a
``dispatch`` it overrides or decorates, an ``@action``, an ``@api_view`` and
a view wrapped in Django's ``@condition``/``@etag`` may evaluate the
headers and are left alone.  A view that evaluates them elsewhere
(``get_object``, ``perform_update``, a permission) says
``evaluates_preconditions = True``.  ``If-Match: *`` passes: the resource
exists, or the view answers 404.  The view is resolved only for a write
carrying either header, so other requests pay nothing.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition
from rest_framework import generics, mixins, views

from django_api_errors import _routing
from django_api_errors.problem import Problem

SAYS = "evaluates_preconditions"
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

# Each write action, and the actions it calls (partial_update is update with partial=True).
_CALLS = {
    "create": ("create",),
    "update": ("update",),
    "partial_update": ("partial_update", "update"),
    "destroy": ("destroy",),
    "acreate": ("acreate",),
    "aupdate": ("aupdate",),
    "partial_aupdate": ("partial_aupdate", "aupdate"),
    "adestroy": ("adestroy",),
}
_DRF_HANDLERS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}
_ADRF_HANDLERS = {"post": "acreate", "put": "aupdate", "patch": "partial_aupdate", "delete": "adestroy"}


def _handlers(module: ModuleType, actions: dict[str, str]) -> dict[Any, str]:
    """The generic views' handlers of writes in ``module``, each with the action it calls."""
    return {
        function: actions[method]
        for cls in vars(module).values()
        if isinstance(cls, type) and cls.__module__ == module.__name__
        for method in actions
        if (function := cls.__dict__.get(method)) is not None
    }


def _stock() -> tuple[frozenset[Any], frozenset[Any], dict[Any, str]]:
    """DRF's (and, installed, adrf's) write actions, ``dispatch`` methods and generic handlers."""
    sources: list[ModuleType] = [mixins]
    dispatches, handlers = {views.APIView.dispatch}, _handlers(generics, _DRF_HANDLERS)
    try:
        from adrf import generics as async_generics  # type: ignore[import-untyped]
        from adrf import mixins as async_mixins
        from adrf import views as async_views
    except ImportError:
        pass
    else:
        sources.append(async_mixins)
        dispatches.add(async_views.APIView.dispatch)
        handlers.update(_handlers(async_generics, _ADRF_HANDLERS))
    actions = {
        getattr(cls, name)
        for module in sources
        for cls in (module.CreateModelMixin, module.UpdateModelMixin, module.DestroyModelMixin)
        for name in _CALLS
        if name in cls.__dict__
    }
    return frozenset(actions), frozenset(dispatches), handlers


async def _async_view(request: HttpRequest) -> None: ...


_ACTIONS, _DISPATCHES, _HANDLERS = _stock()
# Django's @condition (and @etag, @last_modified, which call it) wrap a view in one of these.
_CONDITIONED = frozenset(condition()(view).__code__ for view in (lambda request: None, _async_view))


def refusal(request: HttpRequest) -> Problem | None:
    """412 for a write whose condition its view would not evaluate; ``None`` otherwise."""
    meta = request.META
    if meta.get("HTTP_IF_MATCH", "*").strip() != "*":
        header = "If-Match"
    elif meta.get("HTTP_IF_NONE_MATCH", "").strip() == "*":
        header = "If-None-Match"
    else:
        return None
    if not ignores_preconditions(_routing.handler(request), (request.method or "").lower()):
        return None
    return Problem.for_code("precondition_failed", UNEVALUATED[header])


def ignores_preconditions(view: Any, method: str) -> bool:
    """Whether ``view`` carries out ``method`` with DRF's (or adrf's) own write code, unchanged."""
    cls = getattr(view, "cls", None)
    if cls is None or method not in cls.http_method_names or cls.dispatch not in _DISPATCHES:
        return False  # not DRF's, a 405, or a dispatch of the project's own
    actions = getattr(view, "actions", None)
    action = actions.get(method) if isinstance(actions, dict) else _HANDLERS.get(getattr(cls, method, None))
    calls = _CALLS.get(action or "")
    if not calls or _routing.says(view, SAYS) or _conditioned(view):
        return False
    return all(getattr(cls, name, None) in _ACTIONS for name in calls)


def _conditioned(view: Any) -> bool:
    """Whether a decorator wrapped around ``view`` is Django's ``@condition``."""
    for _hop in range(16):  # __wrapped__ chains are short; a loop in one must not hang a request
        if view is None:
            return False
        if getattr(view, "__code__", None) in _CONDITIONED:
            return True
        view = getattr(view, "__wrapped__", None)
    return False
