"""Media for lists (one row each, no nested rows) and for the detail page."""

from __future__ import annotations

from rest_framework import serializers

from scanner.models import Media, MediaFile, Season


class MediaSerializer(serializers.ModelSerializer):
    instance_name = serializers.CharField(source="instance.name", read_only=True)
    has_pending_change = serializers.BooleanField(
        read_only=True, help_text="A planned tag differs from the applied one."
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
            "applied_tag",
            "planned_tag",
            "has_pending_change",
            "file_count",
            "error_file_count",
            "error",
            "last_scanned_at",
        )
        read_only_fields = fields


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
        )
        read_only_fields = fields


class MediaFileSerializer(serializers.ModelSerializer):
    season = serializers.IntegerField(source="season.number", read_only=True, allow_null=True)

    class Meta:
        model = MediaFile
        fields = (
            "path",
            "season",
            "episodes",
            "size",
            "audio_tracks",
            "result",
            "error",
            "probed_at",
        )
        read_only_fields = fields


class MediaDetailSerializer(MediaSerializer):
    seasons = SeasonSerializer(many=True, read_only=True)
    files = MediaFileSerializer(many=True, read_only=True)

    class Meta(MediaSerializer.Meta):
        fields = (
            *MediaSerializer.Meta.fields,
            "arr_path",
            "genres",
            "monitored",
            "unmonitored_seasons",
            "verdict_reasons",
            "seasons",
            "files",
        )
        read_only_fields = fields
