import uuid

from django.conf import settings
from django.db import models


class Note(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    checklist = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "title"], name="unique_title_per_owner")]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    # A note with comments cannot be deleted: the API answers 409.
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="comments")
    # A public reference for links, looked up as a UUID (/api/comment-refs/<ref>/).
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.CharField(max_length=500)

    def __str__(self) -> str:
        return self.text[:50]


class ApiToken(models.Model):
    """A bearer-style token with scopes and an expiry, as many APIs have."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    scopes = models.CharField(max_length=200, default="notes:read")
    expires = models.DateTimeField()

    def __str__(self) -> str:
        return f"token of {self.user_id}"
