"""Public paths of the adapters for optional packages (the code is in :mod:`django_api_errors.auth.contrib`).

Each module imports its package, so import only what you use.
"""
