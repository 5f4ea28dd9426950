"""``ConditionalRequestMixin``: ETags, 304s and writes that cannot lose updates.

::

    class NoteViewSet(ConditionalRequestMixin, viewsets.ModelViewSet):
        etag_version_field = "version"       # bumped on every write through the view
        etag_modified_field = "updated_at"   # Last-Modified, If-(Un)Modified-Since

Preconditions of a write are evaluated after authentication, permissions and
the object lookup, before the body is read; comparing and writing are one
atomic step.  With a version field the write is a conditional ``UPDATE ...
WHERE version = <the version compared>``; without one the ETag is a hash of
the representation and the row is locked (``SELECT ... FOR UPDATE``) while it
is compared and written.  SQLite has no row locks: there, unsafe requests take
the database's write lock before their transaction reads anything.  On
adrf's async views and viewsets the same actions run off the event loop
(:mod:`django_api_errors.conditional._async`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from django_api_errors import conf
from django_api_errors.conditional import _db as db
from django_api_errors.conditional import versions
from django_api_errors.conditional._async import AsyncActions
from django_api_errors.conditional.preconditions import (
    Decision,
    Outcome,
    asserts_state,
    evaluate,
    failure_description,
    is_conditional,
    names_a_version,
    representation_tag,
    version_tag,
)
from django_api_errors.exceptions import (
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
)

if TYPE_CHECKING:
    from rest_framework import generics, mixins

    class _View(
        mixins.CreateModelMixin,
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        mixins.UpdateModelMixin,
        mixins.DestroyModelMixin,
        generics.GenericAPIView[Any],
    ): ...

else:
    _View = object

WRITES = frozenset({"PUT", "PATCH", "DELETE"})
UNSAFE = WRITES | {"POST"}

CHANGED = _("The resource changed while this request was being processed.")


class ConditionalRequestMixin(AsyncActions, _View):
    """Strong ETags, Last-Modified, 304, 412 and 428 for a DRF generic view or viewset.

    List it before the DRF class: ``class V(ConditionalRequestMixin, ModelViewSet)``;
    on adrf's async views and viewsets too (:class:`AsyncActions`).
    """

    #: An integer field bumped by every write through the view: cheap ETags and
    #: optimistic writes.  ``None``: ETags hash the representation, writes lock the row.
    etag_version_field: str | None = None
    #: A datetime field with the time of the last change (``auto_now=True``).
    etag_modified_field: str | None = None
    #: Sent with the validators; ``None`` leaves ``Cache-Control`` alone.
    etag_cache_control: str | None = "private, no-cache"
    #: Writes without ``If-Match`` get 428; ``None`` follows ``API_ERRORS["REQUIRE_IF_MATCH"]``.
    require_if_match: bool | None = None

    _defer_large_fields = False

    # Validators -------------------------------------------------------

    def get_etag(self, instance: Model, data: Any = None) -> str:
        """The opaque part of ``instance``'s strong ETag (``data``: its representation)."""
        if self.etag_version_field:
            return version_tag(instance._meta.label, instance.pk, getattr(instance, self.etag_version_field))
        return representation_tag(self.get_serializer(instance).data if data is None else data)

    def get_last_modified(self, instance: Model) -> int | None:
        """``instance``'s modification time in whole seconds, or ``None``."""
        value = getattr(instance, self.etag_modified_field, None) if self.etag_modified_field else None
        return int(value.timestamp()) if value is not None else None

    def validator_headers(self, etag: str, last_modified: int | None) -> dict[str, str]:
        headers = {"ETag": f'"{etag}"'}
        if last_modified is not None:
            headers["Last-Modified"] = http_date(last_modified)
        if self.etag_cache_control:
            headers["Cache-Control"] = self.etag_cache_control
        return headers

    def _answer(self, decision: Decision, etag: str, mtime: int | None, body: Callable[[], Any]) -> Response:
        if decision.outcome is Outcome.FAILED:
            raise self._failed(decision.header, etag)
        headers = self.validator_headers(etag, mtime)
        if decision.outcome is Outcome.NOT_MODIFIED:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(body(), headers=headers)

    def _failed(self, header: str, etag: str | None) -> PreconditionFailed:
        description = failure_description(header, self.request.META, etag)
        return PreconditionFailed(description, headers={"ETag": f'"{etag}"'} if etag else {})

    # Reads ------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self._defer_large_fields:
            keep = (self.etag_version_field, self.etag_modified_field)
            queryset = queryset.defer(*db.large_fields(queryset.model, keep))
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A conditional GET with a version field first reads only the small
        # columns: a 304 or a 412 then costs neither the large ones nor a
        # serialization.  A 200 reads the rest in one more query.
        light = bool(self.etag_version_field) and is_conditional(request.META)
        self._defer_large_fields = light
        try:
            instance = self.get_object()
        finally:
            self._defer_large_fields = False
        data = None if self.etag_version_field else self.get_serializer(instance).data
        etag, last_modified = self.get_etag(instance, data), self.get_last_modified(instance)
        decision = evaluate(request.method or "GET", request.META, etag, last_modified)
        deferred = instance.get_deferred_fields()
        if light and decision.outcome is Outcome.PROCEED and deferred:
            # Read the version again with the rest, so body and ETag agree.
            fields = {*deferred, self.etag_version_field, self.etag_modified_field} - {None}
            instance.refresh_from_db(fields=list(fields))
            etag, last_modified = self.get_etag(instance), self.get_last_modified(instance)
        return self._answer(decision, etag, last_modified, lambda: data or self.get_serializer(instance).data)

    def _listed(self) -> Response:
        """The collection as a GET of this URL (its page, its filters) shows it."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(queryset, many=True).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self._listed()
        etag = representation_tag(response.data)
        decision = evaluate(request.method or "GET", request.META, etag, None)
        answer = self._answer(decision, etag, None, lambda: response.data)
        if answer.status_code == status.HTTP_200_OK:
            for name, value in answer.items():
                response[name] = value
            return response
        return answer

    # Writes -----------------------------------------------------------

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        queryset = getattr(self, "queryset", None)
        if request.method in UNSAFE and isinstance(queryset, QuerySet):
            # Before authentication reads: see take_sqlite_write_lock.
            db.take_sqlite_write_lock(db.write_database(queryset), queryset.model)
        super().initial(request, *args, **kwargs)

    @contextmanager
    def _atomic_write(self) -> Iterator[str]:
        queryset = self.get_queryset()
        alias = db.write_database(queryset)
        with transaction.atomic(using=alias):
            db.take_sqlite_write_lock(alias, queryset.model)
            yield alias

    def _checked_instance(self, request: Request, alias: str) -> Model:
        """The object to write, its preconditions passed (404, 412, 428 otherwise)."""
        instance: Model = self.get_object()
        if not self.etag_version_field:
            instance = self._locked(instance, alias)
        etag = self.get_etag(instance)
        required = conf.settings.REQUIRE_IF_MATCH if self.require_if_match is None else self.require_if_match
        if required and request.method in WRITES and not names_a_version(request.META):
            raise PreconditionRequired()
        decision = evaluate(request.method or "", request.META, etag, self.get_last_modified(instance))
        if decision.outcome is not Outcome.PROCEED:
            raise self._failed(decision.header, etag)
        return instance

    def _locked(self, instance: Model, alias: str) -> Model:
        """``instance`` read again, its row locked until the transaction ends."""
        queryset = db.for_update(self.filter_queryset(self.get_queryset()), alias)
        locked: Model | None = queryset.filter(pk=instance.pk).first()
        if locked is None:  # deleted since get_object()
            raise Http404
        self.check_object_permissions(self.request, locked)
        return locked

    def _claim(self, instance: Model, alias: str) -> None:
        """Bump the version if it is still the one compared; 412 (or 409) if not."""
        field = self.etag_version_field
        if not field or db.bump_version(instance, field, alias):
            if field:
                versions.bumped(instance)  # the save that follows must not bump it again
            return  # without a version field, the row is locked
        now = db.stored_version(instance, field, alias)
        if now is None:
            raise Http404
        if not asserts_state(self.request.META, self.etag_modified_field is not None):
            raise Conflict(CHANGED)
        header = "If-Match" if names_a_version(self.request.META) else "If-Unmodified-Since"
        raise self._failed(header, version_tag(instance._meta.label, instance.pk, now))

    def _written(self, instance: Any, data: Any, code: int = status.HTTP_200_OK, **headers: str) -> Response:
        if isinstance(instance, Model):
            etag = self.get_etag(instance, data)
            headers.update(self.validator_headers(etag, self.get_last_modified(instance)))
        return Response(data, status=code, headers=headers)

    # The sync actions call these cores with DRF's save hooks; the async
    # actions (_async.AsyncActions) call the very same cores with adrf's.

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._create(request, self.perform_create)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, kwargs.pop("partial", False), self.perform_update)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._destroy(request, self.perform_destroy)

    def _create(self, request: Request, save: Callable[[Any], Any]) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if is_conditional(request.META):
            # A POST's preconditions concern the collection it adds to (RFC 9110
            # §13.1): compared with the ETag a GET of this URL would carry.
            with self._atomic_write():
                etag = representation_tag(self._listed().data)
                decision = evaluate(request.method or "POST", request.META, etag, None)
                if decision.outcome is not Outcome.PROCEED:
                    raise self._failed(decision.header, etag)
                save(serializer)
        else:
            save(serializer)
        headers = self.get_success_headers(serializer.data)
        return self._written(serializer.instance, serializer.data, status.HTTP_201_CREATED, **headers)

    def _update(self, request: Request, partial: bool, save: Callable[[Any], Any]) -> Response:
        with self._atomic_write() as alias:
            instance = self._checked_instance(request, alias)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self._claim(instance, alias)
            save(serializer)
        if getattr(instance, "_prefetched_objects_cache", None):
            instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        return self._written(instance, serializer.data)

    def _destroy(self, request: Request, delete: Callable[[Any], Any]) -> Response:
        with self._atomic_write() as alias:
            instance = self._checked_instance(request, alias)
            self._claim(instance, alias)
            delete(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)
