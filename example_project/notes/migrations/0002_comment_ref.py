import uuid

from django.db import migrations, models


def give_each_comment_a_ref(apps, schema_editor):
    Comment = apps.get_model("notes", "Comment")
    db = schema_editor.connection.alias  # migrate --database=... must not touch "default"
    for comment in Comment.objects.using(db).filter(ref__isnull=True):
        comment.ref = uuid.uuid4()
        comment.save(using=db, update_fields=["ref"])


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [
        migrations.AddField("comment", "ref", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_each_comment_a_ref, migrations.RunPython.noop),
        migrations.AlterField(
            "comment", "ref", models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
        ),
    ]
