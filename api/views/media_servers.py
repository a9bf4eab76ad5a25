from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.instances import ConnectionReportSerializer
from api.serializers.media_servers import MediaServerSerializer
from scanner.actions.check_media_server import server_report
from scanner.models import MediaServer


class MediaServerViewSet(viewsets.ModelViewSet):
    """Jellyfin and Emby servers the tags are also written to. Saving never contacts
    the server; ``POST /api/media-servers/{id}/test/`` does."""

    queryset = MediaServer.objects.prefetch_related("instances")
    serializer_class = MediaServerSerializer
    filterset_fields = ("kind", "enabled")
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    action_permissions = {"test": ["scanner.view_mediaserver"]}  # the admin's action asks so

    @extend_schema(request=None, responses=ConnectionReportSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Version, libraries, series and movies seen, items matched; never raises."""
        report = server_report(self.get_object())
        return Response(ConnectionReportSerializer(report).data)
