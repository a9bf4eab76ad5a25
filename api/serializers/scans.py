"""Scan runs with their progress; starting one goes through scanner.scans.start_scan."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from scanner.errors import ConfigError
from scanner.models import Instance, ScanRun
from scanner.progress import Progress
from scanner.scans import ScanAlreadyActive, start_scan


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The scan is not in a state that allows this."
    default_code = "conflict"


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Items done or failed.")
    total = serializers.IntegerField()
    percent = serializers.FloatField()
    files_per_second = serializers.FloatField(allow_null=True)
    eta_seconds = serializers.FloatField(allow_null=True)
    elapsed_seconds = serializers.FloatField()


class ScanRunSerializer(serializers.ModelSerializer):
    instance_name = serializers.CharField(source="instance.name", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    progress = serializers.SerializerMethodField()

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
            "items_total",
            "items_done",
            "items_skipped",
            "items_failed",
            "files_probed",
            "file_errors",
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


class InstanceIdField(serializers.PrimaryKeyRelatedField):
    """A whole-number id: DRF alone would look up 1.5 as 1 and 1e400 (infinity) would
    overflow in the database driver."""

    def to_internal_value(self, data: Any) -> Instance:
        whole = isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        if isinstance(data, bool) or not whole:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) > 2**63 - 1:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ScanStartSerializer(serializers.Serializer):
    """``POST /api/scans/``: starts a scan; answers with the new run."""

    instance = InstanceIdField(queryset=Instance.objects.all())
    dry_run = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Default: the instance's."
    )
    mode = serializers.ChoiceField(choices=ScanRun.Mode.choices, default=ScanRun.Mode.NORMAL)
    quick_mode = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Default: the instance's."
    )

    def create(self, validated_data: dict[str, Any]) -> ScanRun:
        instance = validated_data["instance"]
        try:
            return start_scan(
                instance,
                trigger=ScanRun.Trigger.API,
                dry_run=validated_data["dry_run"],
                mode=validated_data["mode"],
                quick_mode=validated_data["quick_mode"],
            )
        except ScanAlreadyActive as exc:
            raise Conflict(str(exc)) from None
        except ConfigError as exc:
            raise serializers.ValidationError({"instance": [str(exc)]}) from None

    def to_representation(self, run: ScanRun) -> dict[str, Any]:
        return ScanRunSerializer(run, context=self.context).data
