from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from example_project.notes.models import ApiToken, Comment, Note

# Demo credentials: public on purpose, for the example API only.
TOKENS = {
    "alice-full": ("alice", "notes:read notes:write notes:delete", 365),
    "alice-rw": ("alice", "notes:read notes:write", 365),
    "alice-expired": ("alice", "notes:read notes:write", -1),
    "bob-rw": ("bob", "notes:read notes:write", 365),
}


class Command(BaseCommand):
    help = "Create the example API's demo users, tokens and a commented note (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        users = {}
        for name in ("alice", "bob"):
            user, created = User.objects.get_or_create(username=name)
            if created:
                user.set_password(f"{name}-password")
                user.save()
            users[name] = user
        now = timezone.now()
        for key, (owner, scopes, days) in TOKENS.items():
            ApiToken.objects.update_or_create(
                key=key,
                defaults={"user": users[owner], "scopes": scopes, "expires": now + timedelta(days=days)},
            )
        note, _ = Note.objects.get_or_create(
            owner=users["alice"], title="Welcome", defaults={"body": "A note with a comment."}
        )
        if not note.comments.exists():
            Comment.objects.create(note=note, author=users["bob"], text="Nice note!")
        self.stdout.write(f"Demo data ready: users alice and bob, tokens {', '.join(TOKENS)}.")
