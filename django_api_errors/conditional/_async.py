"""adrf's async actions for ``ConditionalRequestMixin``: the sync actions, off the event loop.

adrf routes async viewsets to ``alist``, ``aretrieve``, ``acreate``,
``aupdate``, ``partial_aupdate`` and ``adestroy``.  Each runs the mixin's sync
action in one ``sync_to_async`` call: reading, comparing, writing (in its
transaction, holding its lock) and serializing happen on one thread and one
database connection, never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync, sync_to_async
from rest_framework.request import Request
from rest_framework.response import Response


class AsyncActions:
    """The async actions; the sync ones and their cores are ``ConditionalRequestMixin``'s."""

    if TYPE_CHECKING:

        def list(self, request: Request, *args: Any, **kwargs: Any) -> Response: ...
        def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response: ...
        def _create(self, request: Request, save: Callable[[Any], Any]) -> Response: ...
        def _update(self, request: Request, partial: bool, save: Callable[[Any], Any]) -> Response: ...
        def _destroy(self, request: Request, delete: Callable[[Any], Any]) -> Response: ...

    async def alist(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await sync_to_async(self.list)(request, *args, **kwargs)

    async def aretrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await sync_to_async(self.retrieve)(request, *args, **kwargs)

    async def acreate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await sync_to_async(self._create)(request, self._save_hook("create"))

    async def aupdate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        return await sync_to_async(self._update)(request, partial, self._save_hook("update"))

    async def partial_aupdate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return await self.aupdate(request, *args, **kwargs)

    async def adestroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await sync_to_async(self._destroy)(request, self._save_hook("destroy"))

    def _save_hook(self, action: str) -> Callable[[Any], Any]:
        """The view's ``perform_a<action>`` if it overrides adrf's, else ``perform_<action>``.

        An overriding coroutine runs through ``async_to_sync`` from inside the
        transaction; asgiref sends its ORM calls (``asave``, ``adelete``) back
        to this thread, so they write on the connection that holds the lock.
        adrf's own hooks only call ``asave``/``adelete``: the sync hook does
        the same without the round trip, and works with DRF's serializers.
        """
        hook = getattr(type(self), f"perform_a{action}", None)
        if hook is None or getattr(hook, "__module__", None) == "adrf.mixins":
            return getattr(self, f"perform_{action}")  # type: ignore[no-any-return]
        return async_to_sync(getattr(self, f"perform_a{action}"))
