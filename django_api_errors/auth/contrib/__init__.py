"""Adapters for optional packages; each module imports its package, so import only what you use."""
