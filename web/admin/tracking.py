"""Read-only views of what scans and webhooks record."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from scanner import names
from scanner.history.event_text import data_html, event_message
from scanner.models import (
    Event,
    MediaFile,
    PersonAccount,
    PersonCount,
    PersonItemWant,
    ScanItem,
    ScanRequest,
    Season,
    ServerOriginal,
    TrackCheck,
    TrackLease,
    TrackRun,
    TrackSetting,
)
from scanner.pipeline.state.webhook_requests import WHOLE_INSTANCE
from scanner.searches.lost_dub_undo import UNDONE, can_undo, undo_mark_failed
from web.admin.base import ReadOnlyAdmin


@admin.register(MediaFile)
class MediaFileAdmin(ReadOnlyAdmin):
    list_display = ("file", "media", "size", "result", "error", "probed_at")
    list_filter = ("result", "media__instance")
    list_select_related = ("media",)
    search_fields = ("path", "media__title")
    raw_id_fields = ("media", "season")
    exclude = ("path",)
    readonly_fields = ("file",)

    @admin.display(description=_("file"), ordering="path")
    def file(self, row: MediaFile) -> str:
        return names.display(row.path)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("when", "kind", "instance", "media", "what")
    list_filter = ("kind", "instance")
    list_select_related = ("instance", "media")
    search_fields = ("message",)
    date_hierarchy = "created_at"
    list_per_page = 50  # a first page a phone scrolls through (issue 51: <= 6,000 px)
    # No instance or item: said, not "-", in a word that agrees with both (issue 84).
    empty_value_display = pgettext_lazy("an empty cell: no instance or no item", "none")
    fields = ("when", "kind", "instance", "media", "run", "what", "details")
    readonly_fields = ("when", "what", "details")
    actions = ("undo_mark_failed",)

    # Taking a release off the *arr's blocklist changes the *arr: those who may edit its
    # connection may (issue 67).
    def has_undo_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scanner.change_instance")

    @admin.action(
        description=_("Undo the mark as failed (take the release off the blocklist)"),
        permissions=["undo"],
    )
    def undo_mark_failed(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        chosen = [event for event in queryset.select_related("instance")[:100] if can_undo(event)]
        user = request.user.get_username()
        codes = [undo_mark_failed(event.pk, user) for event in chosen]
        undone = codes.count(UNDONE)
        level = messages.SUCCESS if undone == len(chosen) and chosen else messages.WARNING
        # One count per plural (issue 84): the undone ones govern it, the others get a
        # sentence of their own.
        text = ngettext(
            "Taggarr undid %(count)d mark as failed; each event says how it went.",
            "Taggarr undid %(count)d marks as failed; each event says how it went.",
            undone,
        ) % {"count": undone}
        if left := len(chosen) - undone:
            text += " " + ngettext(
                "%(count)d chosen mark as failed was not undone.",
                "%(count)d chosen marks as failed were not undone.",
                left,
            ) % {"count": left}
        self.message_user(request, text, level)

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, event: Event) -> Any:
        return event.created_at

    @admin.display(description=_("what happened"))
    def what(self, event: Event) -> str:
        return event_message(event)

    @admin.display(description=_("details"))
    def details(self, event: Event) -> SafeString | str:
        return data_html(event.data)


@admin.register(ScanItem)
class ScanItemAdmin(ReadOnlyAdmin):
    list_display = ("id", "run", "media", "status", "attempts", "error")
    list_filter = ("status",)
    list_select_related = ("run__instance", "media")
    search_fields = ("media__title", "error")
    raw_id_fields = ("run", "media")


@admin.register(ScanRequest)
class ScanRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "instance", "item", "event_type")
    list_filter = ("instance", "event_type")
    list_select_related = ("instance",)

    @admin.display(description=_("*arr id"), ordering="arr_id")
    def item(self, request: ScanRequest) -> str:
        # More items than are remembered one by one: one scan of the instance's library.
        if request.arr_id == WHOLE_INSTANCE:
            return str(_("the whole library"))
        return str(request.arr_id)


@admin.register(Season)
class SeasonAdmin(ReadOnlyAdmin):
    list_display = ("media", "number", "status", "file_count", "files_with_all", "error_count")
    list_filter = ("status", "media__instance")
    list_select_related = ("media",)
    search_fields = ("media__title",)
    raw_id_fields = ("media",)


@admin.register(ServerOriginal)
class ServerOriginalAdmin(ReadOnlyAdmin):
    """The original language Taggarr last set on a server's item (Jellyfin 12)."""

    list_display = ("media", "server", "language")
    list_filter = ("server",)
    list_select_related = ("media", "server")
    search_fields = ("media__title",)
    raw_id_fields = ("media",)


@admin.register(TrackSetting)
class TrackSettingAdmin(ReadOnlyAdmin):
    """The audio and subtitle stream Taggarr last set for a person's Plex account."""

    list_display = (
        "account",
        "media_file",
        "audio_stream",
        "subtitle_stream",
        "chosen_by",
        "set_at",
    )
    list_filter = ("chosen_by", "account__person")
    list_select_related = ("account__person", "media_file__media")
    raw_id_fields = ("media_file",)


@admin.register(TrackRun)
class TrackRunAdmin(ReadOnlyAdmin):
    """Each run of the step that sets a person's tracks, with its counts."""

    list_display = ("account", "run", "dry_run", "problem", "started_at", "ended_at")
    list_filter = ("dry_run", "account__person")
    list_select_related = ("account__person", "run")
    raw_id_fields = ("run",)


@admin.register(TrackLease)
class TrackLeaseAdmin(ReadOnlyAdmin):
    """Which task runs the step for an account now (bookkeeping of the workers)."""

    list_display = ("account", "leased_until", "asked_again")
    list_select_related = ("account__person", "account__media_server")
    exclude = ("token",)


@admin.register(TrackCheck)
class TrackCheckAdmin(ReadOnlyAdmin):
    """The items the step read whole for an account: read again when they change."""

    list_display = ("account", "media", "checked_at")
    list_filter = ("account__person",)
    list_select_related = ("account__person", "account__media_server", "media")
    raw_id_fields = ("media",)


@admin.register(PersonAccount)
class PersonAccountAdmin(ReadOnlyAdmin):
    """A person's accounts on the media servers (linked on the person's page)."""

    list_display = ("person", "media_server", "account_name", "account_kind")
    list_filter = ("media_server", "account_kind")
    list_select_related = ("person", "media_server")


@admin.register(PersonItemWant)
class PersonItemWantAdmin(ReadOnlyAdmin):
    """The items a person wants otherwise than their series' or movies' want (set on
    the person's page)."""

    list_display = ("person", "media", "want")
    list_filter = ("want", "person")
    list_select_related = ("person", "media")
    raw_id_fields = ("media",)


@admin.register(PersonCount)
class PersonCountAdmin(ReadOnlyAdmin):
    """A person's page's figures, per kind, as a worker last counted them."""

    list_display = ("person", "kind", "counted_at", "asked_at")
    list_filter = ("kind",)
    list_select_related = ("person",)
