"""Scan runs with their progress; starting one goes through scanner.actions.scans.start_scan."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from scanner.actions.scans import (
    NoSuchItems,
    NothingToApply,
    ScanAlreadyActive,
    apply_planned,
    media_scope,
    start_scan,
)
from scanner.errors import ConfigError
from scanner.models import Instance, RunRequest, ScanRun
from scanner.models.choices import Unheard
from scanner.reports.progress import PHASES, Progress, live_view, summary_lines
from scanner.reports.unheard import unheard_of


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The scan is not in a state that allows this."
    default_code = "conflict"


class ProgressSerializer(serializers.Serializer[Any]):
    phase = serializers.ChoiceField(choices=list(PHASES))
    applies_only = serializers.BooleanField(
        help_text=_("An apply run (mode apply): it writes planned tags and scans nothing.")
    )
    listed = serializers.BooleanField(
        help_text=_("The library was listed (false: the run failed before that).")
    )
    done = serializers.IntegerField(help_text=_("Items scanned or failed."))
    total = serializers.IntegerField(help_text=_("Items to scan (the unchanged are not)."))
    unchanged = serializers.IntegerField(
        help_text=_("Items whose files and settings had not changed.")
    )
    failed = serializers.IntegerField()
    percent = serializers.FloatField()
    files_probed = serializers.IntegerField()
    file_errors = serializers.IntegerField()
    tracks_heard = serializers.IntegerField(help_text=_("Audio tracks listened to so far."))
    tracks_to_hear = serializers.IntegerField()  # of the items read so far: heard or not
    tracks_unheard = serializers.IntegerField(
        help_text=_("Audio tracks not heard because listening could not run.")
    )
    unheard_reason = serializers.ChoiceField(
        choices=Unheard.choices, allow_blank=True, help_text=_("Why, as a code; empty when none.")
    )
    files_per_second = serializers.FloatField(
        allow_null=True, help_text=_("Over the reading phase; null when no file was read.")
    )
    eta_seconds = serializers.FloatField(allow_null=True)
    elapsed_seconds = serializers.FloatField()
    writing = serializers.CharField(
        help_text=_(
            "While tags are written: the step, m of n, its rate and time left; empty otherwise."
        )
    )


class LiveViewSerializer(serializers.Serializer[Any]):
    """The scan page's text, as it shows it (the page refreshes from this)."""

    status = serializers.CharField()
    phase = serializers.CharField()
    items = serializers.CharField()
    files = serializers.CharField()
    rate = serializers.CharField()
    eta = serializers.CharField()
    changes = serializers.CharField()
    started = serializers.CharField()
    finished = serializers.CharField()
    elapsed = serializers.CharField()
    error = serializers.CharField()
    listening = serializers.CharField(
        help_text=_("While the run goes on: why listening could not hear; empty otherwise.")
    )
    percent = serializers.CharField()
    bar_max = serializers.IntegerField()
    bar_value = serializers.IntegerField()


class UnheardSerializer(serializers.Serializer[Any]):
    """Listening was on and could not hear: why (a code and its words) and how many."""

    reason = serializers.ChoiceField(choices=Unheard.choices)
    reason_text = serializers.CharField(help_text=_("The reason in the request's language."))
    tracks = serializers.IntegerField(help_text=_("Audio tracks not heard for it."))


class ScanRunSerializer(serializers.ModelSerializer[ScanRun]):
    instance_name = serializers.CharField(source="instance.name", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    progress = serializers.SerializerMethodField()
    view = serializers.SerializerMethodField(help_text=_("The same figures as text for people."))
    summary = serializers.SerializerMethodField()
    summary_lines = serializers.SerializerMethodField(
        help_text=_("A finished run's figures as [label, value] pairs.")
    )
    not_heard = serializers.SerializerMethodField(
        help_text=_("Null, or why listening (on) could not hear, and how many tracks.")
    )

    class Meta:
        model = ScanRun
        fields = (
            "id",
            "instance",
            "instance_name",
            "trigger",
            "status",
            "is_active",
            "mode",
            "dry_run",
            "quick_mode",
            "scope",
            "cancel_requested",
            "progress",
            "view",
            "summary_lines",
            "items_total",
            "items_done",
            "items_skipped",
            "items_failed",
            "files_probed",
            "file_errors",
            "tracks_to_hear",
            "tracks_heard",
            "not_heard",
            "tags_changed",
            "arr_requests",
            "summary",
            "error",
            "created_at",
            "started_at",
            "planned_at",
            "finished_at",
            "heartbeat_at",
        )
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, run: ScanRun) -> dict[str, Any]:
        return asdict(Progress.of(run))

    @extend_schema_field(LiveViewSerializer)
    def get_view(self, run: ScanRun) -> dict[str, Any]:
        return live_view(run)

    @extend_schema_field(UnheardSerializer(allow_null=True))
    def get_not_heard(self, run: ScanRun) -> dict[str, object] | None:
        return unheard_of(run)

    @extend_schema_field(serializers.JSONField())
    def get_summary(self, run: ScanRun) -> dict[str, Any]:
        return run.published_summary()

    @extend_schema_field(
        serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_summary_lines(self, run: ScanRun) -> list[list[str]]:
        return [[label, value] for label, value in summary_lines(run)]


class InstanceIdField(serializers.PrimaryKeyRelatedField[Instance]):
    """A whole-number id: DRF alone would look up 1.5 as 1 and 1e400 (infinity) would
    overflow in the database driver."""

    def to_internal_value(self, data: Any) -> Instance:
        whole = isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        if isinstance(data, bool) or not whole:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) > 2**63 - 1:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ScanStartSerializer(serializers.Serializer[Any]):
    """``POST /api/scans/``: starts a scan; answers with the new run."""

    instance = InstanceIdField(queryset=Instance.objects.all())
    dry_run = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Default: the instance's.")
    )
    mode = serializers.ChoiceField(choices=ScanRun.Mode.choices, default=ScanRun.Mode.NORMAL)
    quick_mode = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Default: the instance's.")
    )
    media = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=10_000,
        help_text=_(
            "Media ids to scan (or, with mode apply, whose planned tags to write); "
            "empty: every item. Mode apply writes what a dry run planned and reads no file."
        ),
    )

    def create(self, validated_data: dict[str, Any]) -> ScanRun:
        instance = validated_data["instance"]
        media = validated_data.get("media") or None
        mode = validated_data["mode"]
        try:
            if mode == ScanRun.Mode.APPLY:
                if validated_data["dry_run"]:
                    raise serializers.ValidationError(
                        {"dry_run": ["mode apply writes: it cannot be a dry run"]}
                    )
                return apply_planned(instance, trigger=ScanRun.Trigger.API, media_ids=media)
            request = RunRequest(
                ScanRun.Trigger.API,
                dry_run=validated_data["dry_run"],
                mode=mode,
                scope=media_scope(instance, media) if media else (),
                quick_mode=validated_data["quick_mode"],
            )
            return start_scan(instance, request)
        except ScanAlreadyActive as exc:
            raise Conflict(str(exc)) from None
        except (NoSuchItems, NothingToApply) as exc:
            raise serializers.ValidationError({"media" if media else "mode": [str(exc)]}) from None
        except ConfigError as exc:
            raise serializers.ValidationError({"instance": [str(exc)]}) from None

    def to_representation(self, run: ScanRun) -> dict[str, Any]:
        return ScanRunSerializer(run, context=self.context).data
