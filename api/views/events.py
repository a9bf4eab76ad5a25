from __future__ import annotations

from rest_framework import viewsets

from api.filters import EventFilter
from api.serializers.events import EventSerializer
from scanner.models import Event


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """History: tag changes, scans, failures, webhooks, configuration changes."""

    queryset = Event.objects.select_related("instance", "media")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    search_fields = ("message",)
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at", "-id")
