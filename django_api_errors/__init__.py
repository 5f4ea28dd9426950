"""One documented JSON error body for every failure of a Django REST framework API."""

__version__ = "0.1.0"
