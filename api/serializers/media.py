"""Media for lists (one row each, no nested rows) and for the detail page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scanner import names, validators
from scanner.actions.original_language import set_original_override
from scanner.models import Media, MediaFile, Season


class FileNameField(serializers.CharField):
    """A path as people read it: bytes that are not UTF-8 shown as U+FFFD."""

    def to_representation(self, value: str) -> str:
        return names.display(str(value))


class MediaSerializer(serializers.ModelSerializer):
    instance_name = serializers.CharField(source="instance.name", read_only=True)
    path = FileNameField(read_only=True, help_text=_("The local folder."))
    has_pending_change = serializers.BooleanField(
        read_only=True, help_text=_("A planned tag differs from the applied one.")
    )
    original_doubtful = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The *arr says English, but every counted file starts with "
            "original_suggestion: the *arr may not know the real original. Confirm it by "
            "setting original_override."
        ),
    )

    class Meta:
        model = Media
        fields = (
            "id",
            "instance",
            "instance_name",
            "kind",
            "arr_id",
            "title",
            "path",
            "original_language",
            "original_override",
            "original_suggestion",
            "original_doubtful",
            "unknown_language",
            "needs_review",
            "review_reasons",
            "review_confirmed",
            "variety_unknown",
            "applied_tag",
            "planned_tag",
            "applied_labels",
            "planned_labels",
            "has_pending_change",
            "language_verdicts",
            "subtitle_verdicts",
            "coverage",
            "lowest_coverage",
            "file_count",
            "error_file_count",
            "error",
            "last_scanned_at",
        )
        read_only_fields = fields
        # DRF drops allow_blank from read-only fields; "" (never decided) is sent all the same.
        extra_kwargs = {"planned_tag": {"allow_blank": True}}


class MediaOriginalSerializer(serializers.ModelSerializer):
    """``PATCH /api/media/{id}/``: set or clear (``""``) the original-language override.
    The verdict is decided again from the stored tracks at once (nothing is probed);
    the next scan writes the new tag."""

    original_override = serializers.CharField(
        max_length=50,
        allow_blank=True,
        help_text=_("A language code or name (ja, jpn, Japanese); empty clears the override."),
    )

    class Meta:
        model = Media
        fields = ("original_override",)

    def validate_original_override(self, value: str) -> str:
        try:
            return validators.clean_language(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "original_override" not in attrs:  # a PATCH is partial, but this is the point
            raise serializers.ValidationError({"original_override": ["This field is required."]})
        return attrs

    def update(self, media: Media, validated_data: dict[str, Any]) -> Media:
        request = self.context.get("request")
        user = request.user.get_username() if request is not None else "?"
        return set_original_override(
            media, validated_data["original_override"], user=user, via="API"
        )

    def to_representation(self, media: Media) -> dict[str, Any]:
        return MediaDetailSerializer(media, context=self.context).data


class SeasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = (
            "number",
            "monitored",
            "status",
            "file_count",
            "files_with_all",
            "files_with_some",
            "error_count",
            "coverage",
        )
        read_only_fields = fields


class MediaFileSerializer(serializers.ModelSerializer):
    season = serializers.IntegerField(source="season.number", read_only=True, allow_null=True)
    path = FileNameField(read_only=True, help_text=_("Relative to the item's folder."))

    class Meta:
        model = MediaFile
        fields = (
            "path",
            "season",
            "episodes",
            "size",
            "audio_tracks",
            "subtitle_tracks",
            "source",
            "source_note",
            "result",
            "error",
            "probed_at",
        )
        read_only_fields = fields
        extra_kwargs = {"result": {"allow_blank": True}}  # "": not decided yet


class MediaDetailSerializer(MediaSerializer):
    seasons = SeasonSerializer(many=True, read_only=True)
    files = MediaFileSerializer(many=True, read_only=True)

    class Meta(MediaSerializer.Meta):
        fields = (
            *MediaSerializer.Meta.fields,
            "arr_path",
            "tvdb_id",
            "tmdb_id",
            "imdb_id",
            "genres",
            "monitored",
            "unmonitored_seasons",
            "verdict_reasons",
            "seasons",
            "files",
        )
        read_only_fields = fields
