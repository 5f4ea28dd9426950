"""Conditional requests (a wing): ETags, 304, and If-Match writes that cannot lose an update.

The public class is :class:`django_api_errors.mixins.ConditionalRequestMixin`.
"""
