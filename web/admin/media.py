"""Media: the list with both tags, and per item why it got its tag, per season and episode."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from scanner import names, validators
from scanner.actions.original_language import set_original_override
from scanner.actions.write_now import decide_again
from scanner.models import Event, Media, ScanRun
from web.admin import changes, default_tracks, media_display, media_page, review, wish_item
from web.admin.base import ReadOnlyAdmin
from web.admin.estimated_count import EstimatedCountPaginator
from web.admin.guesses import confirm_selected_guesses
from web.admin.media_filters import (
    AppliedTagFilter,
    DoubtfulOriginalFilter,
    HasErrorsFilter,
    NeedsReviewFilter,
    OriginalLanguageFilter,
    PendingChangeFilter,
    PlannedTagFilter,
    VarietyUnknownFilter,
    target_language_filters,
)
from web.admin.media_grid import MediaGridMixin
from web.admin.search_missing import search_missing_page
from web.admin.settle_varieties import settle_actions, settle_view
from web.admin.title_letters import TitleLetterFilter
from web.admin.wanted import wanted_as_instance, wanted_original_only, wanted_view, with_wanted
from web.admin.write_now import write_many_now, write_now
from web.templatetags.taggarr import tag_badge


@admin.register(Media)
class MediaAdmin(MediaGridMixin, media_display.MediaPageValues, ReadOnlyAdmin):
    list_title = _("Library")  # as the header names it
    change_form_template = "admin/scanner/media/change_form.html"
    # Errors early and no "kind" column (the instance says it; the filter stays): at
    # 1400 px, with the sidebars open, the last columns of a wide list scroll out of sight.
    list_display = (
        "title", "applied", "language_states", "planned", "errors", "original", "instance",
        "last_scanned_at", "arr_page",
    )  # fmt: skip
    list_filter = (
        "instance", "kind", AppliedTagFilter, PlannedTagFilter, PendingChangeFilter,
        HasErrorsFilter, DoubtfulOriginalFilter, NeedsReviewFilter, VarietyUnknownFilter,
        OriginalLanguageFilter, TitleLetterFilter,
    )  # fmt: skip
    actions = (
        "apply_planned_tags", "rescan_plan_only", "search_missing_dubs", "use_suggested_original",
        "reset_original", confirm_selected_guesses, wanted_original_only, wanted_as_instance,
    )  # fmt: skip
    list_select_related = ("instance",)
    search_fields = ("title", "path")
    list_per_page = 50
    # Issue 83: no COUNT of 70,000 rows at every view. The unfiltered count estimated on a
    # large PostgreSQL table (web.admin.estimated_count); no per-choice counts in the
    # filters (facets count every choice of every filter: one pass each).
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER
    fieldsets = (
        (
            None,
            {"fields": ("title", "arr_page", "instance", "kind", "arr_id", "folder", "arr_path")},
        ),
        (
            _("Tags"),
            {
                "fields": (
                    "applied",
                    "planned",
                    "applied_label_list",
                    "planned_label_list",
                    "language_verdict_list",
                    "subtitle_verdict_list",
                    "coverage_list",
                    "genre_list",
                    "nfo_due",
                )
            },
        ),
        (
            _("Original language"),
            {
                "fields": (
                    "original_from_arr",
                    "original_by_hand",
                    "original_from_files",
                    "unknown_language",
                    "needs_review",
                    "variety_unknown",
                )
            },
        ),
        (_("Files"), {"fields": ("file_count", "error_file_count", "error", "last_scanned_at")}),
    )
    readonly_fields = (
        "arr_page",
        "folder",
        "applied",
        "planned",
        "applied_label_list",
        "planned_label_list",
        "language_verdict_list",
        "subtitle_verdict_list",
        "coverage_list",
        "genre_list",
        "original_from_arr",
        "original_by_hand",
        "original_from_files",
    )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return MediaChangeList

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        """The filters, with one per target language after the tags (media_filters)."""
        filters = list(super().get_list_filter(request))
        after = filters.index(PlannedTagFilter) + 1
        return [*filters[:after], *target_language_filters(request), *filters[after:]]

    @admin.display(description=_("folder"))
    def folder(self, media: Media) -> str:
        return names.display(media.path)

    @admin.display(description=_("applied tag"), ordering="applied_tag")
    def applied(self, media: Media) -> SafeString:
        return tag_badge(media.applied_tag)

    @admin.display(description=_("planned tag"), ordering="planned_tag")
    def planned(self, media: Media) -> SafeString | str:
        return with_wanted(self._planned(media), media)

    def _planned(self, media: Media) -> SafeString | str:
        if not media.planned_tag:
            return "-"
        if media.has_pending_change:
            return format_html("{} ({})", tag_badge(media.planned_tag), gettext("change"))
        return tag_badge(media.planned_tag)

    @admin.display(description=_("original language"), ordering="original_language")
    def original(self, media: Media) -> str:
        code = media.effective_original
        shown = media_display.language(code)
        if media.original_override:
            return gettext("%(language)s, set by hand") % {"language": shown}
        if media.original_doubtful:
            suggestion = media_display.language(media.original_suggestion)
            text = gettext("%(language)s? files start with %(suggestion)s")
            return text % {"language": shown, "suggestion": suggestion}
        return shown

    # --- review, then apply (web.admin.review) -----------------------------------

    def has_operate_permission(self, request: HttpRequest) -> bool:
        # Writing tags and scanning are operating the scanner, as "Scan now" is.
        return request.user.has_perm("scanner.change_instance")

    @admin.action(description=_("Apply the planned tags (writes them)"), permissions=["operate"])
    def apply_planned_tags(self, request: HttpRequest, queryset: QuerySet[Media]) -> None:
        pending = queryset.filter(Media.PENDING_CHANGE)
        if not pending.exists():
            self.message_user(request, gettext("None of these items has a planned change."))
            return
        review.apply_selected(self, request, pending)

    @admin.action(description=_("Rescan: read the files again, plan only"), permissions=["operate"])
    def rescan_plan_only(self, request: HttpRequest, queryset: QuerySet[Media]) -> None:
        review.rescan_selected(self, request, queryset, dry_run=True)

    @admin.action(
        description=_("Search for the missing dubs (preview first)"), permissions=["operate"]
    )
    def search_missing_dubs(
        self, request: HttpRequest, queryset: QuerySet[Media]
    ) -> HttpResponse | None:
        return search_missing_page(self, request, queryset)

    def rescan_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The media page's "Read the files again": writes as its instance does."""
        if not self.has_operate_permission(request):  # first: 403 whether it exists or not
            raise PermissionDenied
        media = get_object_or_404(Media, pk=object_id)
        started = review.rescan_selected(
            self, request, Media.objects.filter(pk=media.pk), dry_run=None
        )
        return self._to_run(started, media)

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The media page's "Decide again from stored tracks": no file read; writes as
        its instance does."""
        if not self.has_operate_permission(request):  # first: 403 whether it exists or not
            raise PermissionDenied
        media = get_object_or_404(Media.objects.select_related("instance"), pk=object_id)
        start = partial(decide_again, media.instance, [media.pk], trigger=ScanRun.Trigger.MANUAL)
        run = review.start_and_report(self, request, media.instance, start)
        return self._to_run([run] if run else [], media)

    def _to_run(self, started: list[ScanRun], media: Media) -> HttpResponse:
        if started:
            return HttpResponseRedirect(
                reverse("admin:scanner_scanrun_change", args=[started[0].pk])
            )
        return HttpResponseRedirect(reverse("admin:scanner_media_change", args=[media.pk]))

    # --- the original-language override (scanner.actions.original_language) ---------------------

    def has_override_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scanner.change_media")

    @admin.action(
        description=_("Use the suggested original language (files start with it)"),
        permissions=["override"],
    )
    def use_suggested_original(self, request: HttpRequest, queryset: QuerySet[Media]) -> None:
        changed = []
        for media in queryset.filter(Media.DOUBTFUL_ORIGINAL).select_related("instance"):
            set_original_override(
                media,
                media.original_suggestion,
                user=request.user.get_username(),
                via=Event.Via.ADMIN,
            )
            changed.append(media)
        self.message_user(
            request,
            ngettext(
                "Original language set for %(count)d item and its tag decided again.",
                "Original language set for %(count)d items and their tags decided again.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )
        write_many_now(request, changed)  # written at once, as one item's decision is

    @admin.action(
        description=_("Reset the original language to the *arr's"), permissions=["override"]
    )
    def reset_original(self, request: HttpRequest, queryset: QuerySet[Media]) -> None:
        changed = []
        for media in queryset.exclude(original_override="").select_related("instance"):
            set_original_override(media, "", user=request.user.get_username(), via=Event.Via.ADMIN)
            changed.append(media)
        text = ngettext(
            "%(count)d item uses the *arr's original again.",
            "%(count)d items use the *arr's original again.",
            len(changed),
        )
        self.message_user(request, text % {"count": len(changed)})
        write_many_now(request, changed)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """The actions, and one per regional target to settle a variety (web.admin.
        settle_varieties)."""
        actions = super().get_actions(request)
        if self.has_override_permission(request):
            actions.update(settle_actions(request))
        return actions

    def varieties_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The media page's buttons: settle one language's unknown variety."""
        return settle_view(self, request, object_id)

    def wanted_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The media page's form: the languages wanted for the item (web.admin.wanted)."""
        return wanted_view(self, request, object_id)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The series page (web.admin.media_page) instead of the admin's read-only form."""
        extra = dict(extra_context or {})
        media = self.get_object(request, unquote(object_id))
        if media is not None:
            page = media_page.page_context(media)
            page["can_operate"] = self.has_operate_permission(request)
            page["can_override"] = self.has_override_permission(request)
            page["default_tracks"] = default_tracks.item_section(media)  # issue 81
            page["wish_profile"] = wish_item.item_section(media)  # issue 82
            page["changes"] = changes.item_section(request, media)  # issue 93
            extra.update(series_page=page, title=media.title, subtitle="")
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self) -> list[URLPattern]:
        def view(handler: Any) -> Any:
            return self.admin_site.admin_view(require_POST(handler))

        return [
            path(
                "<int:object_id>/original/", view(self.original_view), name="scanner_media_original"
            ),
            path("<int:object_id>/rescan/", view(self.rescan_view), name="scanner_media_rescan"),
            path("<int:object_id>/decide/", view(self.decide_view), name="scanner_media_decide"),
            path(
                "<int:object_id>/varieties/",
                view(self.varieties_view),
                name="scanner_media_varieties",
            ),
            path("<int:object_id>/wanted/", view(self.wanted_view), name="scanner_media_wanted"),
            *super().get_urls(),
        ]

    def original_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The form on the media page: any language, or empty for the *arr's."""
        if not self.has_override_permission(request):  # first: 403 whether it exists or not
            raise PermissionDenied
        media = get_object_or_404(Media.objects.select_related("instance"), pk=object_id)
        back = reverse("admin:scanner_media_change", args=[media.pk])
        try:
            code = validators.clean_language(request.POST.get("language", "").strip())
        except ValidationError as exc:
            for message in exc.messages:  # each its own sentence, never joined (issue 71)
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(back)
        before = media.original_override
        set_original_override(media, code, user=request.user.get_username(), via=Event.Via.ADMIN)
        self.message_user(request, gettext("Original language saved; the tag was decided again."))
        if media.original_override != before:
            write_now(request, media)
        return HttpResponseRedirect(back)

    @admin.display(description=_("errors"), ordering="error_file_count")
    def errors(self, media: Media) -> SafeString | str:
        """The unreadable files' count and the item's error, each on its own line (issue
        71: never joined into one sentence)."""
        parts = []
        if media.error_file_count:
            count = media.error_file_count
            parts.append(ngettext("%d unreadable file", "%d unreadable files", count) % count)
        if media.error:
            parts.append(media.error[:80])
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) or "-"


class MediaChangeList(ChangeList):
    """The list's rows without the columns it never shows (Media.LIST_DEFERRED)."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*Media.LIST_DEFERRED)


def _count_items(count: int) -> str:
    return ngettext("%d item", "%d items", count) % count
