"""Authentication and scopes (a wing): honest 401s, ``session_expired``, 403 ``insufficient_scope``.

Public paths: ``django_api_errors.authentication``, ``django_api_errors.permissions``
and ``django_api_errors.contrib.*``.
"""
