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
        """What adrf would save with: the view's ``perform_a<action>``, else the serializer's ``asave()``.

        An overriding coroutine runs through ``async_to_sync`` from inside the
        transaction; asgiref sends its ORM calls (``asave``, ``adelete``) back
        to this thread, so they write on the connection that holds the lock.
        Where adrf's own hook would run, an adrf serializer saves with
        ``asave()`` (its ``acreate``/``aupdate`` are what adrf calls), a DRF
        serializer with the view's ``perform_<action>``, which may be the
        view's own.
        """
        hook = getattr(type(self), f"perform_a{action}", None)
        if hook is not None and getattr(hook, "__module__", None) != "adrf.mixins":
            return async_to_sync(getattr(self, f"perform_a{action}"))
        sync_hook: Callable[[Any], Any] = getattr(self, f"perform_{action}")
        if action == "destroy" or getattr(sync_hook, "__module__", None) != "rest_framework.mixins":
            return sync_hook  # adrf's adelete() is delete(); a perform_<action> of the view's own runs

        def save(serializer: Any) -> Any:
            if hasattr(serializer, "asave"):
                return async_to_sync(serializer.asave)()
            return sync_hook(serializer)

        return save
