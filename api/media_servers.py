"""The media servers' endpoint (``/api/media-servers/``): its serializer and viewset.

The token is write-only (required when created, kept when omitted on update); reads
show only ``token_hint``. The URL, path mappings and library names are checked by
MediaServer.clean()."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.serializers.instances import ConnectionReportSerializer, PathMappingSerializer
from api.serializers.secrets import SecretField, SecretHintField, SecretsSerializer
from scanner import validators
from scanner.actions.check_media_server import server_report
from scanner.models import Instance, MediaServer


class MediaServerSerializer(SecretsSerializer[MediaServer]):
    token = SecretField(
        needed="A media server needs an API key.",
        help_text=_("The server's API key. Write-only: omit on update to keep the saved one."),
    )
    token_hint = SecretHintField("token")
    path_mappings = PathMappingSerializer(
        many=True,
        required=False,
        help_text=_("remote: the server's folder; local: the same folder as Taggarr sees it."),
    )
    libraries = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=100,
        required=False,
        help_text=_("Library names to write in; empty: every library."),
    )
    instances = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Instance.objects.all(),
        required=False,
        help_text=_("The instances whose tags this server gets."),
    )

    class Meta:
        model = MediaServer
        fields = (
            "id", "name", "kind", "url", "token", "token_hint", "enabled", "instances",
            "path_mappings", "libraries", "write_tags", "refresh_after_nfo", "set_person_tracks",
            "write_badges", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("created_at", "updated_at")

    def validate_token(self, value: str) -> str:
        try:
            return validators.clean_server_token(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = copy.copy(self.instance) if self.instance else MediaServer()
        checked = (
            "url", "path_mappings", "libraries", "kind", "write_tags", "refresh_after_nfo",
            "set_person_tracks",
        )  # fmt: skip
        for name in checked:
            if name in attrs:
                value = attrs[name]
                setattr(
                    candidate, name, [dict(v) for v in value] if name == "path_mappings" else value
                )
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        for name in checked:
            if name in attrs:
                attrs[name] = getattr(candidate, name)
        return super().validate(attrs)  # then the token


class MediaServerViewSet(ReaderLanguageMixin, viewsets.ModelViewSet[MediaServer]):
    """Jellyfin and Emby servers the tags are also written to. Saving never contacts
    the server; ``POST /api/media-servers/{id}/test/`` does."""

    queryset = MediaServer.objects.prefetch_related("instances")
    serializer_class = MediaServerSerializer
    filterset_fields = ("kind", "enabled")
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    # Testing sends the saved token: change, as the admin's action asks.
    action_permissions = {"test": ["scanner.change_mediaserver"]}

    @extend_schema(request=None, responses=ConnectionReportSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Version, libraries, series and movies seen, items matched; never raises."""
        report = server_report(self.get_object())
        return Response(ConnectionReportSerializer(report).data)
