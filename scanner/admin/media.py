"""Media: the list with both tags, and per item why it got its tag, per season and episode."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from scanner.admin.base import ReadOnlyAdmin
from scanner.engine.languages import language_name
from scanner.models import Media


class ConditionFilter(admin.SimpleListFilter):
    """Yes/no on one of the model's named conditions."""

    condition: Q
    answers: tuple[str, str]

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", self.answers[0]), ("no", self.answers[1])]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Media]) -> QuerySet[Media]:
        if self.value() == "yes":
            return queryset.filter(self.condition)
        if self.value() == "no":
            return queryset.exclude(self.condition)
        return queryset


class PendingChangeFilter(ConditionFilter):
    title = "planned change"
    parameter_name = "pending"
    condition = Media.PENDING_CHANGE
    answers = ("planned tag differs", "no change planned")


class HasErrorsFilter(ConditionFilter):
    title = "errors"
    parameter_name = "errors"
    condition = Media.HAS_ERRORS
    answers = ("with errors", "without errors")


@admin.register(Media)
class MediaAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "instance",
        "kind",
        "applied_tag",
        "planned",
        "original_language",
        "last_scanned_at",
        "errors",
    )
    list_filter = (
        "instance",
        "kind",
        "applied_tag",
        "planned_tag",
        PendingChangeFilter,
        HasErrorsFilter,
        "original_language",
    )
    list_select_related = ("instance",)
    search_fields = ("title", "path")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "instance", "kind", "arr_id", "path", "arr_path")}),
        ("Tags", {"fields": ("applied_tag", "planned_tag", "original_language", "genres")}),
        ("Why", {"fields": ("verdict",)}),
        ("Files", {"fields": ("file_count", "error_file_count", "error", "last_scanned_at")}),
    )
    readonly_fields = ("verdict",)

    @admin.display(description="planned tag", ordering="planned_tag")
    def planned(self, media: Media) -> str:
        if not media.planned_tag:
            return "-"
        return f"{media.planned_tag} (change)" if media.has_pending_change else media.planned_tag

    @admin.display(description="errors", ordering="error_file_count")
    def errors(self, media: Media) -> str:
        parts = []
        if media.error_file_count:
            parts.append(f"{media.error_file_count} unreadable files")
        if media.error:
            parts.append(media.error[:80])
        return "; ".join(parts) or "-"

    @admin.display(description="languages per season and episode")
    def verdict(self, media: Media) -> SafeString:
        reasons = media.verdict_reasons or {}
        statuses = {season.number: season for season in media.seasons.all()}
        seasons = [
            {
                "number": block.get("season"),
                "season": statuses.get(block.get("season")),
                "files": [_file_row(row) for row in block.get("files", [])],
            }
            for block in reasons.get("seasons", [])
        ]
        context = {
            "summary": reasons.get("summary", ""),
            "original": reasons.get("original"),
            "targets": [_language(code) for code in reasons.get("targets", [])],
            "original_unknown": reasons.get("original_unknown", ""),
            "problems": reasons.get("problems", []),
            "seasons": seasons,
        }
        return render_to_string("admin/scanner/media/verdict.html", context)


def _language(code: str) -> str:
    return f"{code} ({language_name(code)})"


def _file_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": row.get("path", ""),
        "episodes": ", ".join(str(number) for number in row.get("episodes", [])),
        "languages": [_language(code) for code in row.get("languages", [])],
        "missing": [_language(code) for code in row.get("missing", [])],
        "unexpected": [_language(code) for code in row.get("unexpected", [])],
        "wrong": row.get("wrong", False),
        "error": row.get("error"),
    }
