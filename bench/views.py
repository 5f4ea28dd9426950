"""The views every configuration serves: one success and one view per error kind."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

ITEMS = {1: {"id": 1, "name": "bench", "qty": 3}}


class SignupSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=50)
    age = serializers.IntegerField(min_value=0)
    email = serializers.EmailField()
    score = serializers.IntegerField(max_value=100)
    slug = serializers.SlugField()


class LineSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    qty = serializers.IntegerField(min_value=1)


class AddressSerializer(serializers.Serializer[Any]):
    city = serializers.CharField()
    postcode = serializers.RegexField(r"^\d{5}$")


class OrderSerializer(serializers.Serializer[Any]):
    customer = serializers.CharField()
    items = LineSerializer(many=True)
    address = AddressSerializer(required=False)


class ItemView(APIView):
    """A retrieve view: 200 for a known id, 404 as ``get_object_or_404`` raises it."""

    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(ITEMS[pk])
        except KeyError:
            raise Http404("No Item matches the given query.") from None


class SignupView(APIView):
    def post(self, request: Request) -> Response:
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class OrderView(APIView):
    def post(self, request: Request) -> Response:
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class Refuse(BaseThrottle):
    """A throttle whose window is full: DRF raises ``Throttled(wait=30)``."""

    def allow_request(self, request: Any, view: Any) -> bool:
        return False

    def wait(self) -> float:
        return 30.0


class ThrottledView(APIView):
    throttle_classes = [Refuse]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})  # pragma: no cover - always throttled


class BoomView(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("bench: an unexpected failure")
