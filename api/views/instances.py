from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.serializers.instances import ConnectionReportSerializer, InstanceSerializer
from scanner.actions.check_instance import test_and_record
from scanner.models import Event, Instance


class InstanceViewSet(ReaderLanguageMixin, viewsets.ModelViewSet[Instance]):
    """Sonarr/Radarr instances and library folders. Saving never contacts the *arr;
    ``POST /api/instances/{id}/test/`` does."""

    queryset = Instance.objects.all()
    serializer_class = InstanceSerializer
    filterset_fields = ("kind", "enabled")
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    # Testing sends the saved key: change, as the admin's action asks.
    action_permissions = {"test": ["scanner.change_instance"]}

    @extend_schema(request=None, responses=ConnectionReportSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Reach the *arr (status, version) and check the root folders; never raises."""
        instance = self.get_object()
        report = test_and_record(instance, user=request.user.get_username(), via=Event.Via.API)
        return Response(ConnectionReportSerializer(report).data)
