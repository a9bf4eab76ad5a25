"""Instances: every option validated by scanner.validators (as the model's clean() does),
so a 400 names the field; the API key is write-only and shown only as a hint."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.secrets import SHOWS_TOKEN, SecretField, SecretHintField, SecretsSerializer
from scanner import validators
from scanner.actions.instance_edits import MAX_CONNECT_TIMEOUT, MAX_READ_TIMEOUT, save_instance
from scanner.connect.sentences import said
from scanner.models import Event, Instance, tag_label_validator
from scanner.models.instance_option_list import api_fields


class PathMappingSerializer(serializers.Serializer[Any]):
    remote = serializers.CharField(max_length=1000, help_text=_("The folder as the *arr sees it."))
    local = serializers.CharField(
        max_length=1000, trim_whitespace=False, help_text=_("The same folder here (absolute).")
    )


def _languages(help_text: Any = None, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=50,
        help_text=help_text
        or _("Language codes or names: en, de, jpn, Japanese, pt-BR. Stored as ISO 639-3 codes."),
        **kwargs,
    )


def _strings(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=1000, trim_whitespace=False),
        max_length=100,
        required=False,
        help_text=help_text,
    )


class InstanceSerializer(SecretsSerializer[Instance]):
    api_key = SecretField(
        needed="Sonarr and Radarr need an API key.",
        allow_blank=True,
        help_text=_("Write-only. Omit or leave empty on update to keep the saved key."),
    )
    api_key_hint = SecretHintField("api_key")
    webhook_url = serializers.SerializerMethodField(
        help_text=_(
            "Paste into Sonarr/Radarr, Settings → Connect → Webhook. Keep it private. "
            "Shown once: in the answer that creates the instance and in that of "
            "POST /api/instances/{id}/webhook-url/ (a new one); null in every other answer "
            "and for a library folder."
        )
    )
    root_folders = _strings("Local folders in scope (absolute); empty means everything.")
    path_mappings = PathMappingSerializer(many=True, required=False)
    target_languages = _languages(
        _(
            "Language codes or names: en, de, jpn, Japanese, stored as ISO 639-3 codes (any "
            "French: fra); or a variety, kept as its BCP-47 tag: fr-CA, es-419, pt-BR, yue, "
            "also given as people call it: VFQ, Latino, Spanish (Latino), Castellano (met "
            "only by a track known to be that variety)."
        ),
        required=False,
        min_length=1,
    )
    allowed_extra_languages = _languages(required=False)
    genre_filter = _strings("Only items with one of these genres; empty means all.")
    tag_dub = serializers.CharField(max_length=50, required=False)
    tag_semi_dub = serializers.CharField(max_length=50, required=False)
    tag_wrong_dub = serializers.CharField(max_length=50, required=False)
    waits_for_first_scan = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "A new instance writes nothing and has no schedule until a person starts "
            "its first scan (POST /api/scans/, dry run or not)."
        ),
    )

    class Meta:
        model = Instance
        # The options (scanner.models.instance_option_list), then what the API adds.
        fields = (
            "id",
            *api_fields(),
            "api_key_hint",
            "next_scan_at",
            "first_scan_at",
            "waits_for_first_scan",
            "webhook_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("next_scan_at", "first_scan_at", "created_at", "updated_at")
        extra_kwargs = {
            "original_language": {"max_length": 50},
            "connect_timeout": {"max_value": MAX_CONNECT_TIMEOUT},
            "read_timeout": {"max_value": MAX_READ_TIMEOUT},
        }

    def get_webhook_url(self, instance: Instance) -> str | None:
        """The URL holds the token: only in the answer that made it (``SHOWS_TOKEN``)."""
        if not self.context.get(SHOWS_TOKEN) or not instance.is_arr:
            return None
        if not Instance.webhook_token.readable(instance):
            return None
        path = reverse("webhook", args=[instance.get_webhook_token()])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    # --- checks: Instance.clean() once, on the would-be instance -----------------------

    def validate_api_key(self, value: str) -> str:
        try:
            return validators.clean_api_key(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_tag_dub(self, value: str) -> str:
        return _tag_label(value)

    def validate_tag_semi_dub(self, value: str) -> str:
        return _tag_label(value)

    def validate_tag_wrong_dub(self, value: str) -> str:
        return _tag_label(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Instance.clean() on the would-be instance: every option checked and normalised
        once (languages to ISO 639-3, folders, URL), errors keyed by field."""
        candidate = copy.copy(self.instance) if self.instance else Instance()
        for name, value in attrs.items():
            if name != "api_key":
                setattr(candidate, name, _plain(value))
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        for name in attrs:
            if name != "api_key":
                attrs[name] = getattr(candidate, name)
        return super().validate(attrs)  # then the API key, if it needs one

    def secret_needed(self, name: str, attrs: dict[str, Any]) -> bool:
        kind: str = attrs.get("kind", self.instance.kind if self.instance else "")
        return kind != Instance.Kind.LIBRARY  # Sonarr and Radarr need an API key

    # --- saving: never contacts the *arr ---------------------------------------------

    def create(self, validated_data: dict[str, Any]) -> Instance:
        secrets = self.pop_secrets(validated_data)
        instance = Instance(**validated_data)
        self.set_secrets(instance, secrets)
        save_instance(instance, user=self._user(), via=Event.Via.API)
        return instance

    def update(self, instance: Instance, validated_data: dict[str, Any]) -> Instance:
        """Saved as the admin saves it (scanner.actions.instance_edits): the history
        line holds each old and new value and whether the tags will be decided again."""
        secrets = self.pop_secrets(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.set_secrets(instance, secrets)
        save_instance(instance, user=self._user(), via=Event.Via.API)
        return instance

    def _user(self) -> str:
        request = self.context.get("request")
        return request.user.get_username() if request is not None else "?"


def _plain(value: Any) -> Any:
    """Nested serializers hand out OrderedDicts; the model's cleaners take plain dicts."""
    if isinstance(value, list):
        return [dict(item) if isinstance(item, dict) else item for item in value]
    return value


def _tag_label(value: str) -> str:
    label = value.strip().lower()
    tag_label_validator(label)
    return label


class SaidField(serializers.CharField):
    """A connection test's line in the reader's language (scanner.connect.sentences)."""

    def to_representation(self, value: Any) -> str:
        return said(value)


class ConnectionReportSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    has_original_language = serializers.BooleanField(allow_null=True)
    lines = serializers.ListField(child=SaidField())


__all__ = ["ConnectionReportSerializer", "InstanceSerializer", "PathMappingSerializer"]
