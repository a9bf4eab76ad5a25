from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import EventFilter
from api.language import ReaderLanguageMixin
from api.serializers.events import EventSerializer
from scanner.models import Event
from scanner.searches.lost_dub_undo import undo_mark_failed


class EventViewSet(ReaderLanguageMixin, viewsets.ReadOnlyModelViewSet[Event]):
    """History: tag changes, scans, failures, webhooks, configuration changes."""

    queryset = Event.objects.select_related("instance", "media")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    search_fields = ("message",)
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at", "-id")
    # Undoing changes the *arr's blocklist: those who may edit its connection may, as in
    # the admin (checked before the event is looked up: no answer tells who exists).
    action_permissions = {"undo": ("scanner.change_instance",)}

    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        """Undo a lost dub's mark as failed (issue 67): the release taken off the *arr's
        blocklist; the event, with the outcome in ``data.undo``. 409 when the event
        holds no mark as failed to undo (or it was undone already)."""
        event = self.get_object()
        if undo_mark_failed(event.pk, request.user.get_username()) is None:
            detail = gettext("This event holds no mark as failed to undo.")
            return Response({"detail": detail}, status=status.HTTP_409_CONFLICT)
        event.refresh_from_db()
        return Response(self.get_serializer(event).data)
