from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from example_project.notes.models import Comment, Note

REQUIRED = serializers.Field.default_error_messages["required"]


class ChecklistItemSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    done = serializers.BooleanField(default=False)

    def validate(self, attrs):
        # A PATCH of the note is partial, and DRF makes nested items partial too;
        # but the checklist is replaced whole, so every item still needs its text.
        if "text" not in attrs:
            raise serializers.ValidationError(
                {"text": self.fields["text"].error_messages["required"]}, code="required"
            )
        return {"done": False, **attrs}


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    owner_name = serializers.CharField(source="owner.username", read_only=True)
    checklist = ChecklistItemSerializer(many=True, required=False)
    labels = serializers.DictField(
        child=serializers.CharField(max_length=30), required=False, write_only=True
    )

    class Meta:
        model = Note
        fields = [
            "id",
            "owner",
            "owner_name",
            "title",
            "body",
            "checklist",
            "labels",
            "version",
            "updated_at",
        ]
        read_only_fields = ["version", "updated_at"]

    def validate_checklist(self, items):
        # A PATCH replaces the whole checklist, but DRF's partial flag reaches
        # nested items too and would let an item without its text through.
        errors = [
            {} if "text" in item else {"text": [ErrorDetail(REQUIRED, code="required")]} for item in items
        ]
        if any(errors):
            raise serializers.ValidationError(errors)
        return [{"done": False, **item} for item in items]

    def create(self, validated_data):
        validated_data.pop("labels", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("labels", None)
        return super().update(instance, validated_data)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Comment
        fields = ["id", "ref", "note", "author", "text"]
