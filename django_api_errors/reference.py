"""The error reference, as Markdown, generated from the table of codes."""

from __future__ import annotations

from django.utils.encoding import force_str

from django_api_errors import codes


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
