from __future__ import annotations

from rest_framework import serializers

from core.serializers import RejectUnknownFieldsMixin, StrictCharField
from notes.models import Note


class NoteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    # Stored exactly as sent: no trimming.
    title = StrictCharField(max_length=200, trim_whitespace=False)
    body = StrictCharField(
        max_length=10_000, allow_null=True, allow_blank=True, required=False, trim_whitespace=False
    )

    class Meta:
        model = Note
        fields = ("id", "title", "body", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
