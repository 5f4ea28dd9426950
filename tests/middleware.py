from django.http import HttpRequest, HttpResponse


class BoomMiddleware:
    """Raises for one path, to show errors raised by middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/middleware/boom/":
            raise KeyError("secret-internal-detail")
        return self.get_response(request)
