"""Models of the library tests: a unique constraint, a protected relation, a version."""

import uuid

from django.conf import settings
from django.db import models


class Note(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    checklist = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="tests_unique_title_per_owner")
        ]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    # A note with comments cannot be deleted: 409.
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="comments")
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)

    def __str__(self) -> str:
        return self.text


class ApiToken(models.Model):
    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.key
