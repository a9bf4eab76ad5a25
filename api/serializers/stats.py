from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StatsQuerySerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=3650, default=30)
    limit = serializers.IntegerField(
        min_value=1, max_value=500, default=100, help_text=_("At most this many runs.")
    )


class TagDistributionSerializer(serializers.Serializer[Any]):
    instance = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    media = serializers.IntegerField()
    applied = serializers.DictField(child=serializers.IntegerField())
    planned = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("'undecided': never decided (no readable file)."),
    )
    pending_changes = serializers.IntegerField()
    with_errors = serializers.IntegerField()
    doubtful_original = serializers.IntegerField(
        help_text=_(
            "Items whose *arr original (English) is in doubt: filter the media "
            "with original_doubtful=true."
        )
    )
    needs_review = serializers.IntegerField(
        help_text=_(
            "Items whose verdict rests on a guess no person confirmed: filter the "
            "media with needs_review=true."
        )
    )


class TotalsSerializer(serializers.Serializer[Any]):
    applied = serializers.DictField(child=serializers.IntegerField())
    planned = serializers.DictField(child=serializers.IntegerField())
    media = serializers.IntegerField()
    pending_changes = serializers.IntegerField()
    doubtful_original = serializers.IntegerField()
    needs_review = serializers.IntegerField()


class ScanHistorySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    instance = serializers.IntegerField()
    instance_name = serializers.CharField()
    status = serializers.CharField()
    trigger = serializers.CharField()
    dry_run = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()
    duration_seconds = serializers.FloatField(allow_null=True)
    items = serializers.IntegerField(help_text=_("Items scanned."))
    items_unchanged = serializers.IntegerField(help_text=_("Items skipped: nothing had changed."))
    files_probed = serializers.IntegerField()
    tags_changed = serializers.IntegerField(help_text=_("Tag changes written (0 for a dry run)."))
    planned_changes = serializers.IntegerField()
    changes = serializers.CharField(help_text=_("The tag changes in words: planned or written."))


class LanguageCoverageSerializer(serializers.Serializer[Any]):
    instance = serializers.IntegerField()
    name = serializers.CharField()
    language = serializers.CharField(help_text=_("ISO 639-3 code of a target language."))
    language_name = serializers.CharField()
    full = serializers.IntegerField(help_text=_("Items with it in every counted file."))
    # A declared field, not BaseSerializer.partial: DRF's SerializerMetaclass takes it out of
    # the class, which the stubs cannot know.
    partial = serializers.IntegerField(  # type: ignore[assignment]
        help_text=_("Items with it in some counted files.")
    )
    none = serializers.IntegerField(help_text=_("Items without it."))


class StatsSerializer(serializers.Serializer[Any]):
    tags = TagDistributionSerializer(many=True)
    languages = LanguageCoverageSerializer(many=True)
    totals = TotalsSerializer()
    scans = ScanHistorySerializer(many=True)
