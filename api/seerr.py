"""Seerr connections (``/api/seerr-connections/``) and their users
(``/api/seerr-users/``), issue 72. The API key is write-only (``api_key_hint`` shows a
little of it); ``webhook`` holds what to paste into Seerr's Webhook agent, once the
connection test passed (``POST .../{id}/test/``), its token (``authorization``) only in
the answer of ``POST .../{id}/webhook-token/``, which makes a new one (README,
"Security": shown once, when made). A user's ``person`` is the one field set here: Seerr
lists the rest — their Seerr id, their account kind (``user_type``: Seerr's userType, 1
Plex, 2 local, 3 Jellyfin, 4 Emby) and their ``email`` as Seerr holds it (a Jellyfin
user's name for one Jellyseerr imported)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.language import ReaderLanguageMixin
from api.serializers.secrets import SHOWS_TOKEN, SecretField, SecretHintField, SecretsSerializer
from scanner import validators
from scanner.models import Instance, SeerrConnection, SeerrUser
from scanner.seerr import settings as webhook_settings
from scanner.seerr.connection_test import new_webhook_token, test_connection


class SeerrWebhookSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.CharField()
    authorization = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The Authorization Header to paste. It holds the webhook token: shown once, in "
            "the answer of POST /api/seerr-connections/{id}/webhook-token/ (a new one); "
            "null in every other answer."
        ),
    )
    json_payload = serializers.CharField()
    notification_types = serializers.ListField(child=serializers.CharField())


class SeerrConnectionSerializer(SecretsSerializer[SeerrConnection]):
    api_key = SecretField(
        needed="A Seerr connection needs an API key.",
        help_text=_("Seerr's API key. Write-only: omit on update to keep the saved one."),
    )
    api_key_hint = SecretHintField("api_key")
    webhook = serializers.SerializerMethodField(
        help_text=_("What to paste into Seerr's Webhook agent; null until the test passed.")
    )
    instances = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Instance.objects.all(),
        required=False,
        help_text=_(
            "The instances whose items this Seerr requests; every instance when left out "
            "of a new connection."
        ),
    )

    class Meta:
        model = SeerrConnection
        fields = (
            "id", "name", "url", "api_key", "api_key_hint", "enabled", "instances", "version",
            "key_user_email", "tested_at", "webhook", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("version", "key_user_email", "tested_at", "created_at", "updated_at")

    def create(self, validated_data: dict[str, Any]) -> SeerrConnection:
        validated_data.setdefault("instances", list(Instance.objects.all()))
        return super().create(validated_data)

    def validate_url(self, value: str) -> str:
        try:
            return validators.clean_arr_url(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    @extend_schema_field(SeerrWebhookSerializer(allow_null=True))
    def get_webhook(self, connection: SeerrConnection) -> dict[str, Any] | None:
        """The settings to paste; the token only in the answer that made it."""
        shows = bool(self.context.get(SHOWS_TOKEN))
        if not connection.active and not shows:
            return None
        request = self.context.get("request")
        path = reverse("webhook-seerr")
        return {
            "url": request.build_absolute_uri(path) if request is not None else path,
            "authorization": webhook_settings.authorization(connection.get_webhook_token())
            if shows
            else None,
            "json_payload": webhook_settings.json_payload(),
            "notification_types": list(webhook_settings.TYPES),
        }


class SeerrUserSerializer(serializers.ModelSerializer[SeerrUser]):
    class Meta:
        model = SeerrUser
        fields = (
            "id", "connection", "seerr_id", "user_type", "email", "display_name",
            "may_report_issues", "person",
        )  # fmt: skip
        read_only_fields = (
            "connection", "seerr_id", "user_type", "email", "display_name", "may_report_issues",
        )  # fmt: skip


class SeerrConnectionViewSet(ReaderLanguageMixin, viewsets.ModelViewSet[SeerrConnection]):
    """Overseerr and Jellyseerr. Saving never contacts Seerr;
    ``POST /api/seerr-connections/{id}/test/`` does, and lists its users."""

    queryset = SeerrConnection.objects.all()
    serializer_class = SeerrConnectionSerializer
    filterset_fields = ("enabled",)
    search_fields = ("name",)
    ordering_fields = ("name", "id", "created_at")
    # Testing sends the saved key: change, as the admin's action asks; so does making a
    # new webhook token (it stops the one Seerr has).
    action_permissions = {
        "test": ["scanner.change_seerrconnection"],
        "webhook_token": ["scanner.change_seerrconnection"],
    }

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "SeerrTest",
            {
                "ok": serializers.BooleanField(),
                "text": serializers.CharField(),
                "users": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """The version, the key proven, the users listed; never raises."""
        result = test_connection(self.get_object())
        return Response({"ok": result.ok, "text": result.text, "users": result.users})

    @extend_schema(request=None, responses=SeerrWebhookSerializer)
    @action(detail=True, methods=["post"], url_path="webhook-token")
    def webhook_token(self, request: Request, pk: str | None = None) -> Response:
        """A new webhook token: the settings to paste, its Authorization Header shown in
        this answer only (the one Seerr had stops working). An event names who made it."""
        connection = self.get_object()
        new_webhook_token(connection, user=request.user.get_username())
        return Response(self.get_serializer(connection).data["webhook"])

    def get_serializer_context(self) -> dict[str, Any]:
        """Only the answer that makes a webhook token shows it, once; no read does."""
        shows = self.action == "webhook_token"
        return {**super().get_serializer_context(), SHOWS_TOKEN: shows}


class SeerrUserViewSet(
    ReaderLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[SeerrUser],
):
    """Seerr's users as its connection test listed them; ``person`` links one to a
    person of the household (their languages are what their requests ask for)."""

    queryset = SeerrUser.objects.select_related("connection", "person")
    serializer_class = SeerrUserSerializer
    filterset_fields = ("connection", "person")
    search_fields = ("display_name", "email")
    ordering_fields = ("display_name", "id")
