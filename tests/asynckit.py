"""Helpers of the async tests: one request through either handler, and "the same answer"."""

import json

from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import AsyncClient, Client


def send(kind, method, path, body=None, *, cookie=None, **headers):
    """One request through the sync (``Client``) or the async (``AsyncClient``) handler.

    ``body`` is sent as JSON; ``headers`` by name, ``_`` for ``-``:
    ``IF_MATCH='"..."'``, ``Authorization="Bearer ..."``; ``cookie``: a session key.
    """
    client = (Client if kind == "sync" else AsyncClient)(raise_request_exception=False)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
    kwargs["headers"] = {name.replace("_", "-"): value for name, value in headers.items()}
    call = getattr(client, method)
    return call(path, **kwargs) if kind == "sync" else async_to_sync(call)(path, **kwargs)


def assert_same_answer(sync, asynchronous, headers):
    """The async answer is the sync one: status, body (but its request id) and ``headers``."""
    assert asynchronous.status_code == sync.status_code, asynchronous.content
    if sync.content or asynchronous.content:
        body, expected = asynchronous.json(), sync.json()
        if isinstance(expected, dict) and "request_id" in expected:
            assert body.pop("request_id") != expected.pop("request_id")
        assert body == expected
    for name in headers:
        assert asynchronous.get(name) == sync.get(name), name
