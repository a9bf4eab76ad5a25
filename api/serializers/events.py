from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scanner.history.event_text import event_message
from scanner.models import Event


class EventSerializer(serializers.ModelSerializer[Event]):
    # Null for an event of no instance (a setting) or of no item (a scan's end).
    instance_name = serializers.CharField(source="instance.name", read_only=True, allow_null=True)
    media_title = serializers.CharField(source="media.title", read_only=True, allow_null=True)
    message = serializers.CharField(
        read_only=True,
        help_text=_(
            "What happened, in English, as recorded: stable, for scripts and logs (with "
            "kind and data)."
        ),
    )
    text = serializers.SerializerMethodField(
        help_text=_(
            "The same event as a sentence for people, in the request's language "
            "(Accept-Language, or the user's saved language), as the admin shows it."
        )
    )

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
            "text",
            "data",
        )
        read_only_fields = fields

    def get_text(self, event: Event) -> str:
        """Made when read (scanner.history.event_text), from the event's kind and data."""
        return event_message(event)
