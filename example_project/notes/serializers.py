from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from example_project.notes.models import Comment, Note

REQUIRED = serializers.Field.default_error_messages["required"]


# DRF's CharField takes 12 for "12" and its BooleanField takes "yes" and 1;
# the schema says string and boolean, so these refuse anything else (400
# "invalid"): a client generated from the schema sends what it says anyway.
class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
    }
    serializer_related_field = StrictPrimaryKeyField


class ChecklistItemSerializer(serializers.Serializer):
    text = StrictCharField(max_length=200)
    done = StrictBooleanField(default=False)

    def validate(self, attrs):
        # A PATCH of the note is partial, and DRF makes nested items partial too;
        # but the checklist is replaced whole, so every item still needs its text.
        if "text" not in attrs:
            raise serializers.ValidationError(
                {"text": self.fields["text"].error_messages["required"]}, code="required"
            )
        return {"done": False, **attrs}


class NoteSerializer(StrictModelSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    owner_name = serializers.CharField(source="owner.username", read_only=True)
    checklist = ChecklistItemSerializer(many=True, required=False)
    labels = serializers.DictField(child=StrictCharField(max_length=30), required=False, write_only=True)

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


class CommentSerializer(StrictModelSerializer):
    author = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Comment
        fields = ["id", "ref", "note", "author", "text"]
