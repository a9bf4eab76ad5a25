from __future__ import annotations

from rest_framework import serializers

from scanner.models import Event


class EventSerializer(serializers.ModelSerializer):
    instance_name = serializers.CharField(source="instance.name", read_only=True, default=None)
    media_title = serializers.CharField(source="media.title", read_only=True, default=None)

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
