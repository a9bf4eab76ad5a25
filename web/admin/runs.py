"""Scan runs: read-only, with a live panel (taggarr/scan-progress.js refreshes it from
the API's scan endpoint), Cancel and Resume buttons, the final figures when done, and
the review of the changes it planned (web.admin.review)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from scanner.actions.scans import RunStateError, ScanAlreadyActive, cancel_scan, resume_scan
from scanner.models import ActPlanning, ScanRun
from scanner.pipeline.state.runs import resumable
from scanner.reports.progress import (
    Progress,
    changes_text,
    format_seconds,
    live_view,
    run_name,
    summary_lines,
)
from scanner.reports.run_changes import scope_text
from web.admin import review, setup, setup_steps
from web.admin.base import ReadOnlyAdmin
from web.admin.run_items import run_items_of
from web.templatetags.taggarr import status_word


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    change_form_template = "admin/scanner/scanrun/change_form.html"
    # Words, not codes or ✘ icons: "Dry run", a coloured status, the dates unbroken.
    list_display = (
        "scan",
        "instance",
        "what",
        "started_by",
        "state",
        "progress",
        "changes",
        "created_at",
        "duration",
    )
    list_display_links = ("scan",)
    list_filter = ("status", "trigger", "mode", "dry_run", "instance")
    list_select_related = ("instance",)
    date_hierarchy = "created_at"
    # Status, counters, times and the summary are in the live panel above (the template).
    fieldsets = (
        (None, {"fields": ("instance", "what", "started_by", "scope_items")}),
        (
            _("Internals"),
            {
                "classes": ("collapse",),
                "fields": ("queued_at", "planned_at", "heartbeat_at", "resends", "cancel_state"),
            },
        ),
    )

    class Media:
        js = ("taggarr/scan-progress.js",)

    readonly_fields = ("what", "started_by", "scope_items", "queued_at", "cancel_state")

    @admin.display(description=_("queued"))
    def queued_at(self, run: ScanRun) -> str:
        """As the reader's language writes a date (the admin showed the raw value)."""
        return date_format(timezone.localtime(run.created_at), "DATETIME_FORMAT")

    # Words, not the admin's boolean icons: a red cross read as an error for "not asked".
    @admin.display(description=_("stop"))
    def cancel_state(self, run: ScanRun) -> str:
        return gettext("asked to stop") if run.cancel_requested else gettext("not asked to stop")

    @admin.display(description=_("started by"), ordering="trigger")
    def started_by(self, run: ScanRun) -> str:
        return run.get_trigger_display()

    @admin.display(description=_("scan"), ordering="id")
    def scan(self, run: ScanRun) -> str:
        return f"#{run.pk}"

    @admin.display(description=_("run"))
    def what(self, run: ScanRun) -> str:
        """``Dry run``, ``Scan (rewrite, quick)``: the mode and quick mode in words."""
        extras = [str(MODE_WORDS[ScanRun.Mode(run.mode)])] if run.mode in MODE_WORDS else []
        if run.quick_mode:
            extras.append(gettext("quick: first episode of each season"))
        return f"{run_name(run)} ({', '.join(extras)})" if extras else run_name(run)

    @admin.display(description=_("status"), ordering="status")
    def state(self, run: ScanRun) -> SafeString | str:
        return status_word(run.status)

    @admin.display(description=_("items asked for"))
    def scope_items(self, run: ScanRun) -> str:
        return scope_text(run)

    @admin.display(description=_("progress"))
    def progress(self, run: ScanRun) -> str:
        return Progress.of(run).line()

    @admin.display(description=_("tag changes"))
    def changes(self, run: ScanRun) -> str:
        return changes_text(run)

    @admin.display(description=_("duration"))
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
            items = run_items_of(run)
            context.update(
                title=gettext("%(run)s #%(number)s of %(instance)s")
                % {"run": run_name(run), "number": run.pk, "instance": run.instance.name},
                subtitle=None,
                # The percentage and the bar as the items' rows count them (issue 93).
                view=items.panel(live_view(run)),
                run_name=run_name(run),
                status_url=reverse("scan-detail", args=[run.pk]),
                review_url=reverse("admin:scanner_scanrun_review", args=[run.pk]),
                items_url=reverse("admin:scanner_scanrun_items", args=[run.pk]),
                summary_rows=summary_lines(run),
                run_items=items,
                can_cancel=run.status in _CANCELLABLE,
                can_resume=resumable(run),
                **self._review_context(request, run),
            )
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        def view(
            handler: Callable[..., HttpResponse], name: str, *, post: bool = True
        ) -> URLPattern:
            wrapped = self.admin_site.admin_view(require_POST(handler) if post else handler)
            return path(f"<int:object_id>/{name}/", wrapped, name=f"scanner_scanrun_{name}")

        return [
            view(self.cancel_view, "cancel"),
            view(self.resume_view, "resume"),
            view(self.apply_view, "apply"),
            view(self.rescan_view, "rescan"),
            view(self.review_view, "review", post=False),
            view(self.items_view, "items", post=False),
            *super().get_urls(),
        ]

    def cancel_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._target(request, object_id)
        try:
            cancel_scan(run)
        except RunStateError as exc:
            self.message_user(request, str(exc), messages.WARNING)
        else:
            self.message_user(
                request,
                gettext("Scan #%(number)s cancelled.") % {"number": run.pk},
                messages.SUCCESS,
            )
        return _back_to(run)

    def resume_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._target(request, object_id)
        try:
            resume_scan(run)
        except (RunStateError, ScanAlreadyActive) as exc:
            self.message_user(request, str(exc), messages.WARNING)
        else:
            self.message_user(
                request, gettext("Scan #%(number)s resumed.") % {"number": run.pk}, messages.SUCCESS
            )
        return _back_to(run)

    # --- review, then apply (web.admin.review) ---------------------------------

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The review panel alone: the live page fetches it when its run ends."""
        run = get_object_or_404(ScanRun.objects.select_related("instance"), pk=object_id)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        context = self._review_context(request, run)
        return render(request, "admin/scanner/scanrun/review.html", context)

    def items_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The items by state alone, read now: the live page fetches it with its panel,
        so that the two never tell different stories (issue 93)."""
        run = get_object_or_404(ScanRun.objects.select_related("instance"), pk=object_id)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        context = {"run_items": run_items_of(run)}
        return render(request, "admin/scanner/scanrun/items.html", context)

    def apply_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Apply all the run's pending changes, or the selected ones."""
        run = self._target(request, object_id)
        pending = review.pending_media(run)
        if request.POST.get("which") != "all":
            pending = pending.filter(pk__in=_ids(request.POST.getlist("media")))
            if not pending.exists():
                self.message_user(
                    request, gettext("Select the changes to apply."), messages.WARNING
                )
                return _back_to(run)
        started = review.apply_selected(self, request, pending)
        return _back_to(started[0] if started else run)

    def rescan_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """An item's "Read the files again", as on its page: written unless the instance
        is in dry-run mode (then its row shows the new plan)."""
        run = self._target(request, object_id)
        media = run.instance.media.filter(pk__in=_ids(request.POST.getlist("rescan")))
        if media.exists():
            review.rescan_selected(self, request, media, dry_run=None)
        return _back_to(run)

    def _review_context(self, request: HttpRequest, run: ScanRun) -> dict[str, Any]:
        return {
            "review": review.review_of(run),
            "can_apply": request.user.has_perm("scanner.change_instance"),
            "setup_next": _setup_next(request, run),
        }

    def _target(self, request: HttpRequest, object_id: int) -> ScanRun:
        run = get_object_or_404(ScanRun.objects.select_related("instance"), pk=object_id)
        # Cancelling, resuming and applying are operating the scanner, as "Scan now" is:
        # allowed to those who may change instances.
        if not request.user.has_perm("scanner.change_instance"):
            raise PermissionDenied
        return run


MODE_WORDS = {
    ScanRun.Mode.REWRITE: _("every file read again"),
    ScanRun.Mode.REDECIDE: _("decided again from stored tracks, no file read"),
    ScanRun.Mode.REMOVE: _("removes Taggarr's tags"),
}
_CANCELLABLE = (ScanRun.Status.QUEUED, ScanRun.Status.RUNNING, ScanRun.Status.INTERRUPTED)


def _setup_next(request: HttpRequest, run: ScanRun) -> str:
    """The guided setup's last step (every act applied at once), when this run is the
    dry run it waits on; "" otherwise."""
    if not run.dry_run or not request.user.has_perms(setup.PERMISSIONS):
        return ""
    now = setup_steps.state()
    if now.current != setup_steps.APPLY_STEP or now.dry_run is None or now.dry_run.pk != run.pk:
        return ""
    return reverse("taggarr-setup")


def _back_to(run: ScanRun) -> HttpResponse:
    return HttpResponseRedirect(reverse("admin:scanner_scanrun_change", args=[run.pk]))


def _ids(values: list[str]) -> list[int]:
    """Whole numbers from a form; anything else is dropped."""
    return [int(value) for value in values if value.isdigit() and len(value) < 10]


@admin.register(ActPlanning)
class ActPlanningAdmin(ReadOnlyAdmin):
    """How far each act's planning after a run has come (bookkeeping of the workers, read
    by the guided setup's last step; an internal table, opened by its address)."""

    list_display = ("run", "act", "done", "due", "updated_at")
    list_select_related = ("run",)
    raw_id_fields = ("run",)
