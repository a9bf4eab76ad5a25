"""Instances: settings, the write-only API key, the webhook URL, and the actions
"Scan now", "Dry run" and "Test connection" (list actions and buttons)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from scanner.actions.check_instance import connection_report
from scanner.actions.instance_edits import record_instance_change
from scanner.actions.scans import start_scan
from scanner.models import Instance, RunRequest, ScanRun
from web.admin.instance_form import InstanceForm
from web.admin.instance_list import InstanceListColumns
from web.admin.review import start_and_report


@admin.register(Instance)
class InstanceAdmin(InstanceListColumns, admin.ModelAdmin):
    form = InstanceForm
    change_form_template = "admin/scanner/instance/change_form.html"
    list_display = (
        "name",
        "kind",
        "enabled",
        "last_scan",
        "health",
        "items",
        "dubbed",
        "dry_run",
        "scan_interval_minutes",
    )
    list_filter = ("kind", "enabled", "dry_run")
    search_fields = ("name", "url")
    readonly_fields = ("next_scan_at", "created_at", "updated_at")
    actions = ("scan_now", "dry_run_now", "test_connection")
    fieldsets = (
        (None, {"fields": ("name", "kind", "library_content", "enabled")}),
        ("Connection", {"fields": ("url", "api_key", "connect_timeout", "read_timeout")}),
        ("Folders", {"fields": ("root_folders", "path_mappings", "audio_source")}),
        (
            "Languages and tags",
            {
                "fields": (
                    "target_languages",
                    "allowed_extra_languages",
                    "original_language",
                    ("tag_dub", "tag_semi_dub", "tag_wrong_dub"),
                    "summary_tags",
                )
            },
        ),
        (
            "Per-language and subtitle tags",
            {
                "description": "A tag per target language (dub-de, semi-dub-fr), and per "
                "target language with full subtitles (sub-de). {lang} becomes de, fr, ...",
                "fields": (
                    "language_tags",
                    ("tag_language_dub", "tag_language_semi_dub"),
                    "subtitle_tags",
                    ("tag_subtitle", "tag_subtitle_semi"),
                ),
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
        ("Writing", {"fields": ("dry_run", "write_nfo", "create_nfo", "refresh_after_write")}),
        (
            "Schedule",
            {"fields": ("scan_interval_minutes", "next_scan_at", "created_at", "updated_at")},
        ),
        (
            "Search for missing dubs",
            {
                "fields": (
                    "search_missing_scheduled",
                    "search_daily_limit",
                    "search_interval_days",
                )
            },
        ),
    )

    class Media:
        js = ("taggarr/copy.js",)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        instance = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if instance is not None and instance.is_arr:
            path = reverse("webhook", args=[instance.get_webhook_token()])
            context["webhook_url"] = request.build_absolute_uri(path)
        return super().change_view(request, object_id, form_url, context)

    # --- saving: never contacts the *arr; the history names fields, never values -----

    @method_decorator(sensitive_post_parameters("api_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Instance, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if form.changed_data or not change:
            record_instance_change(
                obj,
                form.changed_data,
                created=not change,
                user=request.user.get_username(),
                via="admin",
            )

    # --- actions ------------------------------------------------------------------

    @admin.action(description="Scan now", permissions=["change"])
    def scan_now(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._start(request, instance, dry_run=None)

    @admin.action(description="Dry run (plan tags, write nothing)", permissions=["change"])
    def dry_run_now(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._start(request, instance, dry_run=True)

    @admin.action(description="Test connection", permissions=["view"])
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Instance]) -> None:
        for instance in queryset:
            self._test(request, instance)

    def _start(self, request: HttpRequest, instance: Instance, *, dry_run: bool | None) -> None:
        start = partial(start_scan, instance, RunRequest(ScanRun.Trigger.MANUAL, dry_run=dry_run))
        start_and_report(self, request, instance, start)

    def _test(self, request: HttpRequest, instance: Instance) -> bool:
        report = connection_report(instance)
        text = f"{instance.name}: " + "; ".join(report.lines)
        if report.ok:
            self.message_user(request, f"Connection OK. {text}", messages.SUCCESS)
        else:
            self.message_user(request, f"Connection problem. {text}", messages.WARNING)
        return report.ok

    # --- the same actions as buttons on the change page ---------------------------

    def get_urls(self) -> list[URLPattern]:
        def view(handler: Any, name: str, route: str) -> URLPattern:
            wrapped = self.admin_site.admin_view(require_POST(handler))
            return path(f"<int:object_id>/{route}/", wrapped, name=f"scanner_instance_{name}")

        return [
            view(self.scan_view, "scan", "scan"),
            view(self.dry_run_view, "dry_run", "dry-run"),
            view(self.test_view, "test", "test-connection"),
            *super().get_urls(),
        ]

    def _button_target(self, request: HttpRequest, object_id: int, permission: str) -> Instance:
        instance = get_object_or_404(Instance, pk=object_id)
        allowed = getattr(self, f"has_{permission}_permission")(request, instance)
        if not allowed:
            raise PermissionDenied
        return instance

    def scan_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._button_scan(request, object_id, dry_run=None)

    def dry_run_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._button_scan(request, object_id, dry_run=True)

    def _button_scan(
        self, request: HttpRequest, object_id: int, *, dry_run: bool | None
    ) -> HttpResponse:
        instance = self._button_target(request, object_id, "change")
        self._start(request, instance, dry_run=dry_run)
        run = ScanRun.objects.filter(instance=instance).order_by("-created_at", "-id").first()
        if run is not None and run.is_active:
            return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))
        return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[object_id]))

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        instance = self._button_target(request, object_id, "view")
        self._test(request, instance)
        return HttpResponseRedirect(reverse("admin:scanner_instance_change", args=[object_id]))
