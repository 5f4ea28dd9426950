"""Async twins (adrf ``APIView``) of the throttled and authenticated test views.

Each twin has the attributes its sync view has, and coroutine handlers: adrf
then runs authentication, permissions and throttles in a thread
(``sync_to_async(self.initial)``) and the handler on the event loop.
"""

from adrf.views import APIView
from django.db import transaction
from django.urls import include, path

from tests import auth_views
from tests.throttle_helpers import BurstHello, Hello


def _coroutine(handler):
    async def handle(self, request, *args, **kwargs):
        return handler(self, request, *args, **kwargs)  # no I/O: fine on the event loop

    return handle


def async_twin(view):
    """``view`` on adrf's ``APIView``: the attributes the test modules gave it, async handlers."""
    attrs = {}
    for cls in reversed(view.__mro__):
        if cls.__module__.startswith("tests."):
            attrs.update({k: v for k, v in vars(cls).items() if not k.startswith("__")})
    for method in ("get", "post"):
        if method in attrs:
            attrs[method] = _coroutine(attrs[method])
    return type(f"Async{view.__name__}", (APIView,), attrs)


VIEWS = {
    "hello/": Hello,
    "burst/": BurstHello,
    "session/": auth_views.SessionView,
    "expiring-token/": auth_views.ExpiringTokenView,
    "jwt/": auth_views.JWTView,
    "oauth/write/": auth_views.OAuthWriteView,
    "oauth/has-scope/": auth_views.OAuthHasScopeView,
    "oauth/stock-scope/": auth_views.OAuthStockScopeView,
}
# Django refuses ATOMIC_REQUESTS (on in the test settings) for async views.
_non_atomic = transaction.non_atomic_requests(using="default")

urlpatterns = [
    *[path(f"sync/{route}", view.as_view()) for route, view in VIEWS.items()],
    *[path(f"async/{route}", _non_atomic(async_twin(view).as_view())) for route, view in VIEWS.items()],
    path("authn/", include("tests.auth_urls")),
]

handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
