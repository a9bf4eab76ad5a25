from __future__ import annotations

from rest_framework import serializers

from scanner.models import Event


class EventSerializer(serializers.ModelSerializer[Event]):
    # Null for an event of no instance (a setting) or of no item (a scan's end).
    instance_name = serializers.CharField(source="instance.name", read_only=True, allow_null=True)
    media_title = serializers.CharField(source="media.title", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "created_at",
            "kind",
            "instance",
            "instance_name",
            "media",
            "media_title",
            "run",
            "message",
            "data",
        )
        read_only_fields = fields
