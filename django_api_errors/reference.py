"""The README's tables, as Markdown, generated from the table of codes and the settings' declarations."""

from __future__ import annotations

from django.utils.encoding import force_str

from django_api_errors import codes, conf

__all__ = ["markdown", "settings_markdown"]


def markdown() -> str:
    """The reference table: one row per known code, the user's own included."""
    lines = [
        "| `error` | HTTP status | what it means | what the client should do | headers |",
        "|---|---|---|---|---|",
    ]
    for entry in sorted(codes.all_codes().values(), key=lambda e: (e.status, e.code)):
        headers = ", ".join(f"`{h}`" for h in entry.headers) or "-"
        lines.append(
            f"| `{entry.code}` | {entry.status} | {force_str(entry.description)} "
            f"| {force_str(entry.action) or '-'} | {headers} |"
        )
    return "\n".join(lines) + "\n"


def settings_markdown() -> str:
    """The settings table: every key of ``API_ERRORS`` with its type, default and meaning."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for name, spec in conf.SPEC.items():
        default = "[]" if spec.default == () else "{}" if spec.default == {} else repr(spec.default)
        label = spec.label.replace("|", "\\|")
        lines.append(f"| `{name}` | `{label}` | `{default}` | {spec.doc} |")
    return "\n".join(lines) + "\n"
