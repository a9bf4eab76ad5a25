"""The quality profiles' page (issue 82): every item's planned change of its quality
profile in the *arr, from its wish (what its household wants: the original, a dub, or
both) to the profile the instance's mapping gives that wish, and what became of it
(written, refused and why, failed, undone). Two actions, each asked first on a page that
lists what it will do: Apply the selected planned changes (a worker writes them, one
PUT of the *arr's own editor per item) and Undo the selected written ones; and Plan again
the undone or refused ones (plan only, here: nothing is written, nothing asked first).

Each instance's mapping has its page (web.admin.wish_mapping), linked from here, from the
instance's page and from the admin's menu; an item's page says where its profile stands
and offers "Follow its wish again" (web.admin.wish_item). The words are here; the rows
are scanner.wish_profiles' (plan, apply, undo); the API (api/wish_profiles.py) gives the
same rows as values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner.models import (
    Event,
    Instance,
    ItemProfile,
    Media,
    ProfileChange,
    ProfileLease,
    WishProfile,
)
from scanner.wish_profiles import apply as apply_step
from scanner.wish_profiles import plan_again as again
from scanner.wish_profiles import review as profile_review
from scanner.wish_profiles import undo as undo_step
from scanner.wish_profiles.profile_names import fill_names
from scanner.wish_profiles.words import wish_label
from web.admin import wish_item, wish_mapping
from web.admin.base import ReadOnlyAdmin
from web.admin.wish_words import (
    APPLICABLE,
    UNDOABLE,
    Row,
    profile_change,
    refusal_name,
    state_word,
)

State = ProfileChange.State
MAX_SELECTED = 500  # items one confirmation page lists and one action takes


class RefusalFilter(admin.SimpleListFilter):
    title = _("refusal")
    parameter_name = "refusal"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        found = (
            ProfileChange.objects.exclude(refusal="")
            .values_list("refusal", flat=True)
            .order_by("refusal")
            .distinct()[:50]
        )
        return [(code, refusal_name(code)) for code in found]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ProfileChange]
    ) -> QuerySet[ProfileChange]:
        value = self.value()
        return queryset.filter(refusal=value[:30]) if value else queryset


def _item_id(value: str | None) -> int | None:
    """An item's id from a filter's value: ASCII digits, within a bigint; else None."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


class ItemFilter(admin.SimpleListFilter):
    """One item's changes (``?media=42``, the item's page links here): listed only while
    in use, with the item's title (a filter of every item would list the library)."""

    title = _("item")
    parameter_name = "media"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        found = _item_id(self.value())
        if found is None:
            return []
        return [
            (str(pk), title)
            for pk, title in Media.objects.filter(pk=found).values_list("pk", "title")
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ProfileChange]
    ) -> QuerySet[ProfileChange]:
        found = _item_id(self.value())
        return queryset if found is None else queryset.filter(media_id=found)


@admin.register(ProfileChange)
class ProfileChangeAdmin(ReadOnlyAdmin):
    list_title = _("Quality profiles")
    change_list_template = "admin/wish_profiles/change_list.html"
    list_display = ("item", "wish_shown", "state_shown", "profile", "why")
    list_display_links = None
    list_filter = ("state", "reason", RefusalFilter, "instance", ItemFilter)
    list_select_related = ("media", "instance")
    search_fields = ("title",)
    list_per_page = 50
    actions = ("apply_planned", "undo_written", "plan_again")
    raw_id_fields = ("media", "run")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the journal: what undo reads

    # Writing to the *arr is operating the scanner, as "Scan now" and applying tags are.
    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("scanner.change_instance")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        """The instances' mapping pages linked above the list."""
        instances = Instance.objects.filter(kind__in=(Instance.Kind.SONARR, Instance.Kind.RADARR))
        links = [
            (instance.name, reverse("admin:wish_profiles_mapping", args=[instance.pk]))
            for instance in instances.order_by("name")[:50]
        ]
        context = {"mapping_links": links, **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        """The page's rows, each profile planned without its name named as Taggarr
        knows it now (read once per instance)."""
        changelist = super().get_changelist_instance(request)
        changelist.result_list = list(changelist.result_list)
        fill_names(changelist.result_list)
        return changelist

    @admin.display(description=_("item"), ordering="title")
    def item(self, change: ProfileChange) -> SafeString | str:
        if change.media is None:
            return change.title
        url = reverse("admin:scanner_media_change", args=[change.media.pk])
        return format_html('<a href="{}">{}</a>', url, change.media.title)

    @admin.display(description=_("wish"), ordering="wish")
    def wish_shown(self, change: ProfileChange) -> str:
        return wish_label(change.wish)

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, change: ProfileChange) -> SafeString:
        return state_word(change)

    @admin.display(description=_("quality profile"))
    def profile(self, change: ProfileChange) -> SafeString:
        return profile_change(change)

    @admin.display(description=_("why"))
    def why(self, change: ProfileChange) -> str:
        return profile_review.why(change) or "-"

    # --- the actions: a page that lists what they will do, then the work ----------------

    @admin.action(description=_("Apply the planned quality profiles"), permissions=["operate"])
    def apply_planned(
        self, request: HttpRequest, queryset: QuerySet[ProfileChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, applying=True)

    @admin.action(description=_("Undo the quality profiles written"), permissions=["operate"])
    def undo_written(
        self, request: HttpRequest, queryset: QuerySet[ProfileChange]
    ) -> TemplateResponse | None:
        return self._confirmed(request, queryset, applying=False)

    @admin.action(
        description=_("Plan the undone or refused quality profiles again"), permissions=["operate"]
    )
    def plan_again(self, request: HttpRequest, queryset: QuerySet[ProfileChange]) -> None:
        """Plan only, here (from the database: no request to the *arr), so nothing is
        asked first; the person applies what was planned."""
        ids = list(
            queryset.filter(state__in=again.AGAIN).values_list("pk", flat=True)[: MAX_SELECTED + 1]
        )
        if len(ids) > MAX_SELECTED:
            self.message_user(request, _too_many(), messages.WARNING)
            return
        if not ids:
            self.message_user(request, _nothing_to_plan(), messages.WARNING)
            return
        user = request.user.get_username()
        done = again.plan_again(ids, by=user, via=Event.Via.ADMIN)
        for level, sentence in planned_again_sentences(done):
            self.message_user(request, sentence, level)

    def _confirmed(
        self, request: HttpRequest, queryset: QuerySet[ProfileChange], *, applying: bool
    ) -> TemplateResponse | None:
        states = APPLICABLE if applying else UNDOABLE
        takes = queryset.filter(state__in=states, media__isnull=False)
        chosen = list(takes.select_related("media").order_by("title", "pk")[: MAX_SELECTED + 1])
        fill_names(chosen)
        if not chosen:
            self.message_user(request, _nothing_to_do(applying), messages.WARNING)
            return None
        if len(chosen) > MAX_SELECTED:
            self.message_user(request, _too_many(), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            ids = [change.pk for change in chosen]
            user = request.user.get_username()
            if applying:
                count = apply_step.queue(change_ids=ids, by=user, via=Event.Via.ADMIN)
            else:
                count = undo_step.queue(ids, by=user, via=Event.Via.ADMIN)
            self.message_user(request, done_sentence(applying, count), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Apply the planned quality profiles?")
            if applying
            else gettext("Undo the quality profiles written?"),
            "opts": self.model._meta,
            "action": "apply_planned" if applying else "undo_written",
            "applying": applying,
            "rows": [Row.of(change) for change in chosen],
            "left_out": queryset.count() - len(chosen),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/wish_profiles/confirm.html", context)

    # --- the mapping page and the item's release ----------------------------------------

    def get_urls(self) -> list[URLPattern]:
        site = self.admin_site
        return [
            path(
                "mapping/<int:instance_id>/",
                site.admin_view(wish_mapping.MappingView(site).view),
                name="wish_profiles_mapping",
            ),
            path(
                "release/<int:media_id>/",
                site.admin_view(wish_item.release_view),
                name="wish_profiles_release",
            ),
            *super().get_urls(),
        ]


def done_sentence(applying: bool, count: int) -> str:
    if applying:
        return ngettext(
            "Queued %(count)d item for its quality profile: a worker gives it the profile in "
            "the *arr, and its line says how it went.",
            "Queued %(count)d items for their quality profiles: a worker gives each its "
            "profile in the *arr, and each line says how it went.",
            count,
        ) % {"count": count}
    return ngettext(
        "Queued %(count)d item to get its earlier quality profile back: its line says how it went.",
        "Queued %(count)d items to get their earlier quality profiles back: each line says "
        "how it went.",
        count,
    ) % {"count": count}


def planned_again_sentences(done: again.Again) -> list[tuple[int, str]]:
    """What planning again did, a sentence each: planned, nothing to change, busy."""
    said: list[tuple[int, str]] = []
    if done.planned:
        count = len(done.planned)
        text = ngettext(
            "Planned %(count)d item again: nothing is written until you apply its line.",
            "Planned %(count)d items again: nothing is written until you apply their lines.",
            count,
        )
        said.append((messages.SUCCESS, text % {"count": count}))
    if done.nothing:
        count = len(done.nothing)
        text = ngettext(
            "%(count)d item has nothing to plan: its quality profile is the one its wish "
            "maps to, or its wish is not managed.",
            "%(count)d items have nothing to plan: their quality profiles are the ones their "
            "wishes map to, or their wishes are not managed.",
            count,
        )
        said.append((messages.INFO, text % {"count": count}))
    if done.busy:
        count = len(done.busy)
        text = ngettext(
            "%(count)d item is held by another task and was not planned: try again in a moment.",
            "%(count)d items are held by another task and were not planned: try again in a moment.",
            count,
        )
        said.append((messages.WARNING, text % {"count": count}))
    return said


def _nothing_to_plan() -> str:
    return gettext("None of the selected items was undone or refused: nothing was planned.")


def _nothing_to_do(applying: bool) -> str:
    if applying:
        return gettext("None of the selected items has a planned change: nothing was done.")
    return gettext("None of the selected items has a written change: nothing was done.")


def _too_many() -> str:
    return ngettext(
        "Select at most %(count)d item at once.",
        "Select at most %(count)d items at once.",
        MAX_SELECTED,
    ) % {"count": MAX_SELECTED}


# --- the feature's other tables: bookkeeping, opened by their address ---------------------


@admin.register(WishProfile)
class WishProfileAdmin(ReadOnlyAdmin):
    """The mappings as saved (their page is each instance's mapping page)."""

    list_display = ("instance", "wish", "profile_id", "profile_name", "saved_by", "saved_at")
    list_select_related = ("instance",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # "not managed" on the mapping page removes one, with its event


@admin.register(ItemProfile)
class ItemProfileAdmin(ReadOnlyAdmin):
    """What the feature did to each item's profile, and the user's hand (shown on the
    item's page)."""

    list_display = ("media", "wish", "set_profile_id", "earlier_profile_id", "hand")
    list_select_related = ("media",)
    raw_id_fields = ("media",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the earlier profile undo and "back once the dub arrived" read


@admin.register(ProfileLease)
class ProfileLeaseAdmin(ReadOnlyAdmin):
    """Which task plans or writes an item's quality profile now (the workers')."""

    list_display = ("media", "leased_until", "asked_again")
    list_select_related = ("media",)
    raw_id_fields = ("media",)
    exclude = ("token",)
