from django.http import HttpRequest, HttpResponse


class BoomMiddleware:
    """Raises for one path, to show errors raised by middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/middleware/boom/":
            raise KeyError("secret-internal-detail")
        if request.path == "/middleware/conflict/":
            from django_api_errors.exceptions import Conflict

            raise Conflict("Raised by a middleware.", archived=True)
        return self.get_response(request)


# Every error response the suite produces with DEBUG=False, for the leak scan
# run when the session ends (see conftest.pytest_sessionfinish).
RECORDED: list[tuple[str, int, list[tuple[str, str]], bytes]] = []


class RecordErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        response = self.get_response(request)
        if response.status_code >= 400 and not settings.DEBUG and not response.streaming:
            RECORDED.append((request.path, response.status_code, list(response.items()), response.content))
        return response


def _unused_redirects():
    from django.contrib.redirects.middleware import RedirectFallbackMiddleware
    from django.core.exceptions import MiddlewareNotUsed

    class UnusedRedirects(RedirectFallbackMiddleware):
        """Switched off by its own settings: Django leaves it out of the chain."""

        def __init__(self, get_response):
            raise MiddlewareNotUsed

    return UnusedRedirects


def __getattr__(name):
    # Defined on first use: the redirects app's middleware imports its model.
    if name == "UnusedRedirects":
        return _unused_redirects()
    raise AttributeError(name)
