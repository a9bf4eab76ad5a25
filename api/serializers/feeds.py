"""Feed tokens: the feed's URL is in the answer to their creation only (its token is
stored as a digest); reads show the prefix."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scanner.models import FeedToken, Instance


class FeedTokenSerializer(serializers.ModelSerializer[FeedToken]):
    # A declared field, not BaseSerializer.instance: DRF's SerializerMetaclass takes it out of
    # the class, which the stubs cannot know.
    instance = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Instance.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Whose news the feed carries; null: every instance's."),
    )
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = FeedToken
        fields: tuple[str, ...] = (
            "id", "name", "instance", "language", "prefix", "active", "created_by", "created_at",
            "last_used_at", "revoked_at",
        )  # fmt: skip
        read_only_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")


class FeedTokenCreatedSerializer(FeedTokenSerializer):
    url = serializers.CharField(
        read_only=True, help_text=_("The feed's address with its token: shown only now.")
    )

    class Meta(FeedTokenSerializer.Meta):
        fields = (*FeedTokenSerializer.Meta.fields, "url")
