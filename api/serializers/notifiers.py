"""Notifiers: the Apprise URL is write-only (required when created, kept when omitted
on update) and checked by Apprise; reads show only ``url_hint``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.language import creator_language
from api.serializers.secrets import SecretField, SecretHintField, SecretsSerializer
from scanner import validators
from scanner.models import (
    Instance,
    NotificationKind,
    Notifier,
    Person,
    expected_notification_kinds,
)
from scanner.notify.delivery import MAX_URL_LENGTH, url_problem


class NotifierSerializer(SecretsSerializer[Notifier]):
    url = SecretField(
        needed="A notifier needs an Apprise URL.",
        max_length=MAX_URL_LENGTH,
        help_text=_(
            "Any Apprise URL (ntfy://topic, tgram://token/chat ...). Write-only: "
            "omit on update to keep the saved one."
        ),
    )
    url_hint = SecretHintField("url", help_text=_("The scheme, '****' and the last 4."))
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationKind.choices),
        min_length=1,
        max_length=len(NotificationKind.values),
        required=False,
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=50,
        required=False,
        help_text=_(
            "dub_arrived / dub_lost only for these target languages (en, de, "
            "Japanese ...); empty: every one (a person's own notifier: their languages). "
            "Stored as ISO 639-3 codes."
        ),
    )
    instances = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Instance.objects.all(),
        required=False,
        help_text=_("Instance ids; empty: every instance."),
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "A person's id (/api/persons/): their own notifier, told Taggarr's answers to "
            "their Seerr requests and issues only, in their languages when its own are "
            "empty; null: the household's."
        ),
    )

    class Meta:
        model = Notifier
        fields = (
            "id", "name", "url", "url_hint", "enabled", "person", "events", "languages",
            "language", "instances", "rate_limit_minutes", "last_sent_at", "last_error",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("last_sent_at", "last_error", "created_at", "updated_at")

    def create(self, validated_data: dict[str, Any]) -> Notifier:
        """Without events: the news people expect; without a message language: its
        person's, else its maker's (Notifier.language_at_creation), as in the admin."""
        validated_data.setdefault("events", expected_notification_kinds())
        request = self.context.get("request")
        draft = Notifier(
            language=validated_data.get("language", ""), person=validated_data.get("person")
        )
        draft.language_at_creation(creator_language(getattr(request, "user", None)))
        validated_data["language"] = draft.language
        return super().create(validated_data)

    def validate_url(self, value: str) -> str:
        problem = url_problem(value.strip())
        if problem:
            raise serializers.ValidationError(
                _("Not a usable Apprise URL: %(problem)s.") % {"problem": problem}
            )
        return value.strip()

    def validate_events(self, value: list[str]) -> list[str]:
        return [kind for kind in NotificationKind.values if kind in value]

    def validate_languages(self, value: list[str]) -> list[str]:
        try:
            return validators.clean_languages(value, allow_empty=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class TestQueuedSerializer(serializers.Serializer[Any]):
    queued = serializers.BooleanField()
    detail = serializers.CharField()
