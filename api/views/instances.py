from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.serializers.instances import ConnectionReportSerializer, InstanceSerializer
from api.serializers.secrets import SHOWS_TOKEN
from scanner.actions.check_instance import test_and_record
from scanner.actions.instance_edits import new_webhook_token
from scanner.models import Event, Instance


class InstanceViewSet(ReaderLanguageMixin, viewsets.ModelViewSet[Instance]):
    """Sonarr/Radarr instances and library folders. Saving never contacts the *arr;
    ``POST /api/instances/{id}/test/`` does."""

    queryset = Instance.objects.all()
    serializer_class = InstanceSerializer
    filterset_fields = ("kind", "enabled")
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    # Testing sends the saved key: change, as the admin's action asks; so does making
    # a new webhook URL (it stops the one the *arr has).
    action_permissions = {
        "test": ["scanner.change_instance"],
        "webhook_url": ["scanner.change_instance"],
    }

    def get_serializer_context(self) -> dict[str, Any]:
        """The answers that make a webhook token show its URL, once; no read does."""
        shows = self.action in ("create", "webhook_url")
        return {**super().get_serializer_context(), SHOWS_TOKEN: shows}

    @extend_schema(request=None, responses=ConnectionReportSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Reach the *arr (status, version) and check the root folders; never raises."""
        instance = self.get_object()
        report = test_and_record(instance, user=request.user.get_username(), via=Event.Via.API)
        return Response(ConnectionReportSerializer(report).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NewWebhookUrl", {"webhook_url": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"], url_path="webhook-url")
    def webhook_url(self, request: Request, pk: str | None = None) -> Response:
        """A new webhook token, its URL shown in this answer only: the URL the *arr had
        stops working (paste this one there). A history line names who made it."""
        instance = self.get_object()
        if not instance.is_arr:
            raise NotFound(gettext("A library folder has no webhook."))
        new_webhook_token(instance, user=request.user.get_username(), via=Event.Via.API)
        return Response({"webhook_url": self.get_serializer(instance).data["webhook_url"]})
