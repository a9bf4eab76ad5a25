"""The default tracks' page (issue 81): every file's planned change of its default audio
and subtitle track, with what it has now and what it would get, each refusal in the
reader's language with what it would take, and actions that queue work for a worker
(the files are where the workers are, not always where the web process runs): Apply
the selected planned changes, Undo the selected written ones (each asks first, on a page
that lists what it will do, as the admin's delete confirmation does), and Plan again the
undone or refused ones (plan only: nothing is written, nothing asked first).

The words are here (the page's); the rows are scanner.default_tracks' (its plan, apply
and undo); the API (api/default_tracks.py) gives the same rows as values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from scanner import names
from scanner.default_tracks import apply as apply_step
from scanner.default_tracks import plan_again as again
from scanner.default_tracks import refusals
from scanner.default_tracks import review as track_review
from scanner.default_tracks import undo as undo_step
from scanner.language_names import inner_name
from scanner.models import DefaultTrackChange, DefaultTrackLease, Event, Media, ScanRun
from web.admin.base import ReadOnlyAdmin

State = DefaultTrackChange.State
MAX_SELECTED = 500  # files one confirmation page lists and one action queues
RUNS_LISTED = 20  # the run filter's choices: the latest runs that planned default tracks

STATE_CLASSES = {
    State.PLANNED: "taggarr-busy",
    State.REFUSED: "taggarr-warn",
    State.WRITING: "taggarr-busy",
    State.WRITTEN: "taggarr-ok",
    State.FAILED: "taggarr-bad",
    State.NOT_UNDONE: "taggarr-bad",
    State.UNDONE: "taggarr-quiet",
    State.STALE: "taggarr-quiet",
}
# The rows each action takes: planned ones are applied; those whose bytes may be in the
# file (written, left "writing" by a worker that stopped, or read otherwise and not
# undone) are undone.
APPLICABLE = (State.PLANNED,)
UNDOABLE = (State.WRITTEN, State.WRITING, State.NOT_UNDONE)


# Each refusal as the filter names it (short); the codes are scanner.default_tracks.refusals'.
REFUSAL_NAMES = {
    refusals.NOT_MATROSKA: _("not a Matroska file"),
    refusals.MP4: _("MP4 file"),
    refusals.HARDLINKED: _("hard links"),
    refusals.UNCERTAIN: _("uncertain choice"),
    refusals.NO_CHOICE: _("no track to choose"),
    refusals.NO_ROOM: _("no room in the header"),
    refusals.SHARE_UNANSWERED: _("share not answering"),
    refusals.UNREADABLE: _("unreadable file"),
    refusals.TRUNCATED: _("header cut short"),
    refusals.NO_TRACKS: _("no tracks in the header"),
    refusals.TOO_LARGE: _("header too large"),
    refusals.INTERRUPTED: _("interrupted change"),
    refusals.IMPORTING: _("being imported"),
    refusals.ARR_UNANSWERED: _("*arr not answering"),
    refusals.CRC: _("damaged header"),
    refusals.CHANGED: _("changed since planned"),
    refusals.VERIFY: _("read otherwise after the change"),
    refusals.VERIFY_NOT_UNDONE: _("read otherwise, not undone"),
    refusals.WRITE_FAILED: _("write not read back"),
    refusals.GONE: _("file gone"),
}


def refusal_name(code: str) -> str:
    return str(REFUSAL_NAMES.get(code, code))


def track_text(position: int | None, language: str, *, subtitle: bool) -> str:
    """A default track as the events name it (scanner.default_tracks.event_text):
    "track 3 (Canadian French)"; none flagged: "none" (subtitles), "no track" (audio)."""
    if position is None:
        return pgettext("no subtitle track", "none") if subtitle else gettext("no track")
    if not language:
        return gettext("track %(number)d") % {"number": position}
    return gettext("track %(number)d (%(language)s)") % {
        "number": position,
        "language": inner_name(language),  # in brackets: none of its own
    }


def header_read(change: DefaultTrackChange) -> bool:
    """Whether the file's tracks are known: a file refused before its header was read
    (an MP4, hard links, a share that did not answer) has no default to show."""
    known = (change.audio_before, change.audio_after, change.subtitle_before, change.subtitle_after)
    return any(value is not None for value in known) or bool(change.flags)


def before_after(before: str, after: str) -> SafeString:
    """Before and after ("track 1, English → track 3, Canadian French"); the same track
    is said once, unchanged."""
    if before == after:
        same = '{} <span class="taggarr-quiet">({})</span>'
        return format_html(same, before, gettext("unchanged"))
    changed = (
        '{} <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> '
        "<strong>{}</strong>"
    )
    return format_html(changed, before, gettext("becomes"), after)


@dataclass(frozen=True)
class Row:
    """One change as the confirmation pages and the item's page list it."""

    change: DefaultTrackChange
    file: str
    state: SafeString
    audio: SafeString | str
    subtitle: SafeString | str
    why: str

    @classmethod
    def of(cls, change: DefaultTrackChange) -> Row:
        return cls(
            change=change,
            file=file_name(change),
            state=state_word(change),
            audio=audio_change(change),
            subtitle=subtitle_change(change),
            why=track_review.why(change),
        )


def file_name(change: DefaultTrackChange) -> str:
    path = change.media_file.path if change.media_file is not None else change.path
    return names.display(path.rsplit("/", 1)[-1])


def audio_change(change: DefaultTrackChange) -> SafeString | str:
    if not header_read(change):
        return "-"
    before = track_text(change.audio_before, change.audio_before_language, subtitle=False)
    after = track_text(change.audio_after, change.audio_after_language, subtitle=False)
    return before_after(before, after)


def subtitle_change(change: DefaultTrackChange) -> SafeString | str:
    if not header_read(change):
        return "-"
    before = track_text(change.subtitle_before, change.subtitle_before_language, subtitle=True)
    after = track_text(change.subtitle_after, change.subtitle_after_language, subtitle=True)
    return before_after(before, after)


def state_word(change: DefaultTrackChange) -> SafeString:
    return format_html(
        '<span class="taggarr-status {}">{}</span>',
        STATE_CLASSES.get(State(change.state), "") if change.state in State.values else "",
        change.get_state_display(),
    )


# --- the list's filters ------------------------------------------------------------------


class RefusalFilter(admin.SimpleListFilter):
    title = _("refusal")
    parameter_name = "refusal"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        found = (
            DefaultTrackChange.objects.exclude(refusal="")
            .values_list("refusal", flat=True)
            .order_by("refusal")
            .distinct()
        )
        return [(code, refusal_name(code)) for code in found]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]
    ) -> QuerySet[DefaultTrackChange]:
        value = self.value()
        return queryset.filter(refusal=value) if value else queryset


class RunFilter(admin.SimpleListFilter):
    """The latest runs that planned default tracks (a library's every run would be a
    list no one reads); an older run: by its address (``?run=42``) or the API."""

    title = _("scan")
    parameter_name = "run"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        runs = (
            ScanRun.objects.filter(default_track_changes__isnull=False)
            .distinct()
            .order_by("-pk")[:RUNS_LISTED]
        )
        return [(str(run.pk), f"#{run.pk}") for run in runs]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]
    ) -> QuerySet[DefaultTrackChange]:
        value = self.value()
        if value and value.isdigit() and len(value) < 19:
            return queryset.filter(run_id=int(value))
        return queryset


class ItemFilter(admin.SimpleListFilter):
    """One item's files (``?media=42``, the item's page links here): listed only while
    in use, with the item's title (a filter of every item would list the library)."""

    title = _("item")
    parameter_name = "media"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value()
        if not (value and value.isdigit() and len(value) < 19):
            return []
        return [
            (str(pk), title)
            for pk, title in Media.objects.filter(pk=int(value)).values_list("pk", "title")
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]
    ) -> QuerySet[DefaultTrackChange]:
        value = self.value()
        if value and value.isdigit() and len(value) < 19:
            return queryset.filter(media_id=int(value))
        return queryset


# --- the page ------------------------------------------------------------------------------


@admin.register(DefaultTrackChange)
class DefaultTrackChangeAdmin(ReadOnlyAdmin):
    list_title = _("Default tracks")
    change_list_template = "admin/default_tracks/change_list.html"
    list_display = ("file", "item", "state_shown", "audio", "subtitle", "why")
    list_display_links = None
    list_filter = ("state", RefusalFilter, "instance", RunFilter, ItemFilter)
    list_select_related = ("media", "media_file", "run")
    search_fields = ("media__title",)
    list_per_page = 50
    actions = ("apply_planned", "undo_written", "plan_again")
    # A change's own page (by its address): the journal's bytes stay off the pages.
    exclude = ("patch_old", "patch_new")
    raw_id_fields = ("media", "media_file", "run")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the journal: what undo reads

    # Writing files is operating the scanner, as "Scan now" and applying tags are.
    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scanner.change_instance")

    @admin.display(description=_("file"), ordering="path")
    def file(self, change: DefaultTrackChange) -> str:
        return file_name(change)

    @admin.display(description=_("item"), ordering="media__title")
    def item(self, change: DefaultTrackChange) -> SafeString | str:
        if change.media is None:
            return "-"
        url = reverse("admin:scanner_media_change", args=[change.media.pk])
        return format_html('<a href="{}">{}</a>', url, change.media.title)

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, change: DefaultTrackChange) -> SafeString:
        return state_word(change)

    @admin.display(description=_("Audio"))
    def audio(self, change: DefaultTrackChange) -> SafeString | str:
        return audio_change(change)

    @admin.display(description=_("Subtitles"))
    def subtitle(self, change: DefaultTrackChange) -> SafeString | str:
        return subtitle_change(change)

    @admin.display(description=_("why"))
    def why(self, change: DefaultTrackChange) -> SafeString | str:
        sentence = track_review.why(change)
        command = (
            (change.detail or {}).get("command")
            if change.refusal in track_review.WITH_COMMAND
            else ""
        )
        if not command:
            return sentence or "-"
        field = f"command-{change.pk}"
        return format_html(
            '{}<span class="taggarr-shown-once taggarr-command"><input type="text" id="{}" '
            'value="{}" aria-label="{}" readonly><button type="button" class="button" '
            'data-copy-target="{}">{}</button><span data-copied-for="{}" hidden>{}</span></span>',
            sentence,
            field,
            command,
            gettext("the mkvpropedit command"),
            field,
            gettext("Copy"),
            field,
            gettext("Copied."),
        )

    # --- the actions: a page that lists what they will do, then work queued ------------

    @admin.action(description=_("Apply the planned default tracks"), permissions=["operate"])
    def apply_planned(
        self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, "apply_planned", APPLICABLE)

    @admin.action(description=_("Undo the default tracks written"), permissions=["operate"])
    def undo_written(
        self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, "undo_written", UNDOABLE)

    @admin.action(
        description=_("Plan the undone or refused default tracks again"), permissions=["operate"]
    )
    def plan_again(self, request: HttpRequest, queryset: QuerySet[DefaultTrackChange]) -> None:
        """Plan only (nothing is written, so nothing is asked first): a worker reads the
        files again and plans them; the person applies what it planned."""
        ids = list(
            queryset.filter(state__in=again.AGAIN).values_list("pk", flat=True)[: MAX_SELECTED + 1]
        )
        if len(ids) > MAX_SELECTED:
            self.message_user(request, _too_many(), messages.WARNING)
            return
        queued = again.queue(ids) if ids else 0
        if not queued:
            self.message_user(request, _nothing_to_plan(), messages.WARNING)
            return
        self.message_user(request, planned_again_sentence(queued), messages.SUCCESS)

    def _confirmed(
        self,
        request: HttpRequest,
        queryset: QuerySet[DefaultTrackChange],
        action: str,
        states: tuple[State, ...],
    ) -> TemplateResponse | None:
        takes = queryset.filter(state__in=states)
        if action == "apply_planned":  # a worker takes an item's files together
            takes = takes.filter(media__isnull=False)
        chosen = list(
            takes.select_related("media", "media_file").order_by("media__title", "path", "pk")[
                : MAX_SELECTED + 1
            ]
        )
        applying = action == "apply_planned"
        if not chosen:
            self.message_user(request, _nothing_to_do(applying), messages.WARNING)
            return None
        if len(chosen) > MAX_SELECTED:
            self.message_user(request, _too_many(), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            ids = [change.pk for change in chosen]
            user = request.user.get_username()
            queued = _queue(applying, ids, user)
            self.message_user(request, queued_sentence(applying, queued), messages.SUCCESS)
            return None
        left_out = queryset.count() - len(chosen)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Apply the planned default tracks?")
            if applying
            else gettext("Undo the default tracks written?"),
            "opts": self.model._meta,
            "action": action,
            "applying": applying,
            "rows": [Row.of(change) for change in chosen],
            "left_out": left_out,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/default_tracks/confirm.html", context)


def _queue(applying: bool, ids: list[int], user: str) -> int:
    """The work handed to the workers (no file is opened here); how many files."""
    if applying:
        return apply_step.queue(change_ids=ids, by=user, via=Event.Via.ADMIN)
    return undo_step.queue(change_ids=ids, by=user, via=Event.Via.ADMIN)


def queued_sentence(applying: bool, count: int) -> str:
    if applying:
        return ngettext(
            "Queued %(count)d file for its default tracks: a worker writes it, and its line "
            "says how it went.",
            "Queued %(count)d files for their default tracks: a worker writes them, and each "
            "line says how it went.",
            count,
        ) % {"count": count}
    return ngettext(
        "Queued %(count)d file to undo its default tracks: a worker writes the old bytes "
        "back, and its line says how it went.",
        "Queued %(count)d files to undo their default tracks: a worker writes the old bytes "
        "back, and each line says how it went.",
        count,
    ) % {"count": count}


def planned_again_sentence(count: int) -> str:
    return ngettext(
        "Queued %(count)d file to be planned again: a worker reads it and plans its default "
        "tracks, and nothing is written until you apply its line.",
        "Queued %(count)d files to be planned again: a worker reads them and plans their "
        "default tracks, and nothing is written until you apply their lines.",
        count,
    ) % {"count": count}


def _nothing_to_plan() -> str:
    return gettext("None of the selected files was undone or refused: nothing was planned.")


def _nothing_to_do(applying: bool) -> str:
    if applying:
        return gettext("None of the selected files has a planned change: nothing was queued.")
    return gettext("None of the selected files has a written change: nothing was queued.")


def _too_many() -> str:
    return ngettext(
        "Select at most %(count)d file at once.",
        "Select at most %(count)d files at once.",
        MAX_SELECTED,
    ) % {"count": MAX_SELECTED}


@admin.register(DefaultTrackLease)
class DefaultTrackLeaseAdmin(ReadOnlyAdmin):
    """Which task plans or writes an item's default tracks now (bookkeeping of the
    workers; an internal table, opened by its address)."""

    list_display = ("media", "leased_until", "asked_again", "planned_at")
    list_select_related = ("media",)
    raw_id_fields = ("media",)
    exclude = ("token", "planned_key")


# --- the item's page -----------------------------------------------------------------------


def item_section(media: Media, limit: int = 50) -> dict[str, Any] | None:
    """The item page's section: its files' latest change each, and the link to all of
    them on the default tracks' page; None when no file of it was planned."""
    rows = item_rows(media, limit)
    if not rows:
        return None
    url = reverse("admin:scanner_defaulttrackchange_changelist")
    return {"rows": rows, "all_url": f"{url}?{ItemFilter.parameter_name}={media.pk}"}


def item_rows(media: Media, limit: int = 50) -> list[Row]:
    """The item's files' latest change each (planned, written, refused ...), for its page."""
    latest = (
        DefaultTrackChange.objects.filter(media=media)
        .exclude(state=State.STALE)
        .select_related("media_file")
        .order_by("path", "-planned_at", "-pk")
    )
    rows: list[Row] = []
    seen: set[str] = set()
    for change in latest[: limit * 4]:
        if change.path in seen:
            continue
        seen.add(change.path)
        rows.append(Row.of(change))
        if len(rows) >= limit:
            break
    return rows
