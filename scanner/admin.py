"""The admin: the UI users live in. Tracking models (runs, files, events) are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scanner.forms import InstanceForm
from scanner.models import Event, Instance, Media, MediaFile, ScanRun, Season


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by scans: viewable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    form = InstanceForm
    list_display = ("name", "kind", "url", "enabled", "dry_run", "scan_interval_minutes")
    list_filter = ("kind", "enabled", "dry_run")
    search_fields = ("name", "url")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "kind", "library_content", "enabled")}),
        ("Connection", {"fields": ("url", "api_key", "connect_timeout", "read_timeout")}),
        ("Folders", {"fields": ("root_folders", "path_mappings")}),
        (
            "Languages and tags",
            {
                "fields": (
                    "target_languages",
                    "allowed_extra_languages",
                    "original_language",
                    ("tag_dub", "tag_semi_dub", "tag_wrong_dub"),
                )
            },
        ),
        (
            "What counts",
            {
                "fields": (
                    "quick_mode",
                    "count_specials",
                    "count_unmonitored",
                    "unknown_first_track",
                    "genre_filter",
                )
            },
        ),
        (
            "Writing",
            {"fields": ("dry_run", "write_nfo", "create_nfo", "refresh_after_write")},
        ),
        ("Schedule", {"fields": ("scan_interval_minutes", "created_at", "updated_at")}),
    )


class SeasonInline(admin.TabularInline):
    model = Season
    extra = 0
    can_delete = False
    fields = ("number", "monitored", "status", "file_count", "files_with_all", "error_count")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Media)
class MediaAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "instance",
        "kind",
        "applied_tag",
        "planned_tag",
        "original_language",
        "file_count",
        "error_file_count",
        "last_scanned_at",
    )
    list_filter = ("instance", "kind", "applied_tag", "planned_tag", "original_language")
    list_select_related = ("instance",)
    search_fields = ("title", "path")
    inlines = (SeasonInline,)


@admin.register(MediaFile)
class MediaFileAdmin(ReadOnlyAdmin):
    list_display = ("path", "media", "size", "result", "error", "probed_at")
    list_filter = ("result", "media__instance")
    list_select_related = ("media",)
    search_fields = ("path", "media__title")


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "instance",
        "trigger",
        "mode",
        "dry_run",
        "status",
        "items_total",
        "items_done",
        "items_failed",
        "files_probed",
        "tags_changed",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "trigger", "mode", "dry_run", "instance")
    list_select_related = ("instance",)
    date_hierarchy = "created_at"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "instance", "media", "message")
    list_filter = ("kind", "instance")
    list_select_related = ("instance", "media")
    search_fields = ("message",)
    date_hierarchy = "created_at"
