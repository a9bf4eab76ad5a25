"""Scan runs: read-only, with a live progress bar (taggarr/scan-progress.js polls the
API), Cancel and Resume buttons, and the summary when done."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from scanner.admin.base import ReadOnlyAdmin
from scanner.models import ScanRun
from scanner.pipeline.runs import resumable
from scanner.progress import Progress, format_seconds
from scanner.scans import RunStateError, ScanAlreadyActive, cancel_scan, resume_scan


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    change_form_template = "admin/scanner/scanrun/change_form.html"
    list_display = (
        "id",
        "instance",
        "trigger",
        "mode",
        "dry_run",
        "status",
        "progress",
        "files_probed",
        "tags_changed",
        "created_at",
        "duration",
    )
    list_filter = ("status", "trigger", "mode", "dry_run", "instance")
    list_select_related = ("instance",)
    date_hierarchy = "created_at"
    # Status, progress and summary are in the live panel above these (the template).
    fieldsets = (
        (None, {"fields": ("instance", "trigger", "mode", "dry_run", "quick_mode", "scope")}),
        (
            "Counters when the page was loaded",
            {
                "fields": (
                    ("items_total", "items_done", "items_skipped", "items_failed"),
                    ("files_probed", "file_errors", "tags_changed", "arr_requests"),
                )
            },
        ),
        (
            "Times",
            {"fields": ("created_at", "started_at", "planned_at", "finished_at", "heartbeat_at")},
        ),
        ("Stopping", {"fields": ("cancel_requested", "error")}),
    )

    class Media:
        js = ("taggarr/scan-progress.js",)

    @admin.display(description="progress")
    def progress(self, run: ScanRun) -> str:
        return Progress.of(run).line()

    @admin.display(description="duration")
    def duration(self, run: ScanRun) -> str:
        return format_seconds(run.duration())

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        run = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if run is not None:
            progress = Progress.of(run)
            context.update(
                progress=progress,
                bar_max=progress.total or 1,
                bar_value=progress.done if progress.total else int(progress.percent >= 100),
                status_url=reverse("scan-detail", args=[run.pk]),
                summary_rows=_summary_rows(run.summary) if not run.is_active else [],
                can_cancel=run.status in _CANCELLABLE,
                can_resume=resumable(run),
            )
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        def view(handler: Any, name: str) -> URLPattern:
            wrapped = self.admin_site.admin_view(require_POST(handler))
            return path(f"<int:object_id>/{name}/", wrapped, name=f"scanner_scanrun_{name}")

        return [
            view(self.cancel_view, "cancel"),
            view(self.resume_view, "resume"),
            *super().get_urls(),
        ]

    def cancel_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._target(request, object_id)
        try:
            cancel_scan(run)
        except RunStateError as exc:
            self.message_user(request, str(exc), messages.WARNING)
        else:
            self.message_user(request, f"Scan #{run.pk} cancelled.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))

    def resume_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._target(request, object_id)
        try:
            resume_scan(run)
        except (RunStateError, ScanAlreadyActive) as exc:
            self.message_user(request, str(exc), messages.WARNING)
        else:
            self.message_user(request, f"Scan #{run.pk} resumed.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))

    def _target(self, request: HttpRequest, object_id: int) -> ScanRun:
        run = get_object_or_404(ScanRun, pk=object_id)
        # Cancelling and resuming are operating the scanner, as "Scan now" is:
        # allowed to those who may change instances.
        if not request.user.has_perm("scanner.change_instance"):
            raise PermissionDenied
        return run


_CANCELLABLE = (ScanRun.Status.QUEUED, ScanRun.Status.RUNNING, ScanRun.Status.INTERRUPTED)
_SUMMARY_LABELS = {
    "planned_changes": "tag changes planned",
    "tags_set": "tags set",
    "tags_cleared": "tags removed",
    "nfo_written": "NFO files written",
    "nfo_errors": "NFO errors",
    "tag_write_failures": "tag writes that failed",
    "duration_s": "duration (s)",
    "dry_run": "dry run",
}


def _summary_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, label in _SUMMARY_LABELS.items():
        if key not in summary:
            continue
        value = summary[key]
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
        rows.append((label, str(value)))
    return rows
