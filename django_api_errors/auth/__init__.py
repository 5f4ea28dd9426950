"""Authentication and scopes (a wing): honest 401s, ``session_expired``, 403 ``insufficient_scope``.

Public paths: ``django_api_errors.authentication``, ``django_api_errors.permissions``
and ``django_api_errors.contrib.*``.
"""


def ready() -> None:
    """Plug the wing into the core (called by the app's ``AppConfig.ready``)."""
    from django.core import checks

    from django_api_errors.auth import _sessions
    from django_api_errors.auth.checks import check_token_models
    from django_api_errors.classify import register_refusal

    register_refusal(_sessions.refusal)
    checks.register(check_token_models)
