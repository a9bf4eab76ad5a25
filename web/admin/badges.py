"""The dub badges' page (issue 95): every poster's planned badges, from the dubs its item
holds, and what became of them (drawn, refused and why, undone). Two actions, each asked
first on a page that lists what it will do: Apply the selected planned badges (a worker
draws them on the poster file, the original kept first) and Undo the selected drawn ones
(the original poster put back, unless another was put there since). The words are here;
the rows are scanner.badges' (plan, apply, undo: scanner.badges.posters)."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner.badges import review as badge_review
from scanner.badges.act import ACT
from scanner.changes.queue import queue_apply, queue_undo
from scanner.models import BadgeChange, BadgeLease, Event, PosterOriginal, ServerItemLink
from web.admin.base import ReadOnlyAdmin

State = BadgeChange.State
MAX_SELECTED = 500  # posters one confirmation page lists and one action takes
UNDOABLE = (State.WRITING, State.WRITTEN)


@admin.register(BadgeChange)
class BadgeChangeAdmin(ReadOnlyAdmin):
    list_title = _("Dub badges")
    list_display = ("item", "poster", "state", "badges_shown", "why")
    list_display_links = None
    list_filter = ("state", "where", "instance")
    list_select_related = ("media", "instance")
    search_fields = ("media__title", "path")
    list_per_page = 50
    actions = ("apply_planned", "undo_written")
    raw_id_fields = ("media", "run")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the journal: what undo reads

    # Writing a poster is operating the scanner, as writing default tracks is.
    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scanner.change_instance")

    @admin.display(description=_("item"), ordering="media__title")
    def item(self, change: BadgeChange) -> SafeString | str:
        if change.media is None:
            return os.path.basename(os.path.dirname(change.path))
        url = reverse("admin:scanner_media_change", args=[change.media.pk])
        return format_html('<a href="{}">{}</a>', url, badge_review.title(change))

    @admin.display(description=_("poster"))
    def poster(self, change: BadgeChange) -> str:
        return os.path.basename(change.path)

    @admin.display(description=_("badges"))
    def badges_shown(self, change: BadgeChange) -> str:
        return badge_review.said(change.badges)

    @admin.display(description=_("why"))
    def why(self, change: BadgeChange) -> str:
        return badge_review.why(change) or "-"

    @admin.action(description=_("Draw the planned badges"), permissions=["operate"])
    def apply_planned(
        self, request: HttpRequest, queryset: QuerySet[BadgeChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, applying=True)

    @admin.action(description=_("Put the original posters back"), permissions=["operate"])
    def undo_written(
        self, request: HttpRequest, queryset: QuerySet[BadgeChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, applying=False)

    def _confirmed(
        self, request: HttpRequest, queryset: QuerySet[BadgeChange], *, applying: bool
    ) -> TemplateResponse | None:
        states = (State.PLANNED,) if applying else UNDOABLE
        takes = queryset.filter(state__in=states, media__isnull=False)
        chosen = list(takes.select_related("media").order_by("path", "pk")[: MAX_SELECTED + 1])
        if not chosen:
            self.message_user(request, nothing_to_do(applying), messages.WARNING)
            return None
        if len(chosen) > MAX_SELECTED:
            self.message_user(request, too_many(), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            ids = [change.pk for change in chosen]
            user = request.user.get_username()
            if applying:
                count = queue_apply(ACT, change_ids=ids, by=user, via=Event.Via.ADMIN)
            else:
                count = queue_undo(ACT, ids, states=UNDOABLE, by=user, via=Event.Via.ADMIN)
            self.message_user(request, done_sentence(applying, count), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Draw the planned badges?")
            if applying
            else gettext("Put the original posters back?"),
            "opts": self.model._meta,
            "action": "apply_planned" if applying else "undo_written",
            "applying": applying,
            "rows": [self._row(change) for change in chosen],
            "left_out": queryset.count() - len(chosen),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/badges/confirm.html", context)

    def _row(self, change: BadgeChange) -> dict[str, Any]:
        shown = self.badges_shown(change)
        return {"change": change, "poster": self.poster(change), "badges": shown}


def done_sentence(applying: bool, count: int) -> str:
    if applying:
        return ngettext(
            "A worker draws the badges of %(count)d item.",
            "A worker draws the badges of %(count)d items.",
            count,
        ) % {"count": count}
    return ngettext(
        "A worker puts %(count)d original poster back.",
        "A worker puts %(count)d original posters back.",
        count,
    ) % {"count": count}


def nothing_to_do(applying: bool) -> str:
    if applying:
        return gettext("None of the selected badges is planned: nothing to draw.")
    return gettext("None of the selected badges was drawn: nothing to put back.")


def too_many() -> str:
    return ngettext(
        "Select at most %(count)d poster at a time.",
        "Select at most %(count)d posters at a time.",
        MAX_SELECTED,
    ) % {"count": MAX_SELECTED}


@admin.register(BadgeLease)
class BadgeLeaseAdmin(ReadOnlyAdmin):
    """Who holds an item's badges now (scanner.leases.BADGES): internal, by address only."""

    list_display = ("media", "leased_until", "asked_again")
    raw_id_fields = ("media",)


@admin.register(PosterOriginal)
class PosterOriginalAdmin(ReadOnlyAdmin):
    """The posters kept before Taggarr first drew on them: internal, by address only."""

    list_display = ("digest", "size", "kept_at")
    exclude = ("data",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # what undo puts back


@admin.register(ServerItemLink)
class ServerItemLinkAdmin(ReadOnlyAdmin):
    """Which media server item is which item, as the badges' last listing matched them
    (scanner.badges.links): internal, by address only."""

    list_display = ("media", "server", "item_id", "season", "seen_at")
    list_filter = ("server",)
    list_select_related = ("media", "server")
    search_fields = ("media__title", "item_id")
    raw_id_fields = ("media",)
