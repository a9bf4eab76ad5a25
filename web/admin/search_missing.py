"""The media list's action "Search for the missing dubs": a page that previews what the
*arr would be asked for (per item the episodes whose files lack a target, what the daily
bound and the interval leave out, and why), with a season to choose when one series is
selected; confirmed, the search is queued for a worker."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from scanner import tasks
from scanner.engine.dub_news import episode_list
from scanner.models import Media, MissingSearch
from scanner.searches.actions import preview_search, queue_search
from scanner.searches.plan import ItemSearch, describe_missing
from scanner.searches.varieties import custom_format_hints

MAX_ITEMS = 200  # a preview page stays readable; select fewer for more


def search_missing_page(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, queryset: QuerySet[Media]
) -> TemplateResponse | None:
    chosen = list(queryset.order_by("title", "pk").values_list("pk", flat=True)[: MAX_ITEMS + 1])
    if len(chosen) > MAX_ITEMS:
        model_admin.message_user(
            request,
            ngettext(
                "Select at most %(count)d item to search at once.",
                "Select at most %(count)d items to search at once.",
                MAX_ITEMS,
            )
            % {"count": MAX_ITEMS},
            messages.WARNING,
        )
        return None
    seasons = _seasons(chosen)
    season = _season(request, seasons)
    if request.POST.get("confirm") == "yes":
        user = request.user.get_username()
        trigger = MissingSearch.Trigger.MANUAL
        reserved = queue_search(
            chosen, season=season, trigger=trigger, user=user, send=tasks.send_missing_search
        )
        if reserved.searches:
            count = sum(search.count for search in reserved.searches)
            # Each count in a sentence of its own (issue 84: one count per plural).
            queued = ngettext(
                "Search queued for %(count)d item within the daily bound.",
                "Search queued for %(count)d items within the daily bound.",
                len(reserved.searches),
            ) % {"count": len(reserved.searches)}
            asked = ngettext(
                "A worker asks the *arr for %(count)d episode or movie; the events (kind "
                "'missing dubs searched') say what was asked.",
                "A worker asks the *arr for %(count)d episodes or movies; the events (kind "
                "'missing dubs searched') say what was asked.",
                count,
            ) % {"count": count}
            told = " ".join((queued, asked))  # two whole sentences, each its own count
            model_admin.message_user(request, told, messages.SUCCESS)
        else:
            model_admin.message_user(request, gettext("Nothing to search for."), messages.WARNING)
        return None
    plan = preview_search(chosen, season=season)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Search for the missing dubs"),
        "opts": model_admin.model._meta,
        "chosen": chosen,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "searches": [_row(search) for search in plan.searches],
        # A regional target: what the *arr needs to prefer it (it searches by language).
        "hints": custom_format_hints(code for search in plan.searches for code in search.missing),
        "skipped": plan.skipped,
        "left_today": plan.left_today,
        "seasons": seasons,
        "season": season,
    }
    return TemplateResponse(request, "admin/scanner/media/search_missing.html", context)


def _seasons(chosen: list[int]) -> list[int]:
    """One series chosen: its seasons, to pick one."""
    if len(chosen) != 1:
        return []
    media = Media.objects.filter(pk=chosen[0], kind=Media.Kind.SERIES).first()
    return list(media.seasons.values_list("number", flat=True)) if media else []


def _season(request: HttpRequest, seasons: list[int]) -> int | None:
    raw = request.POST.get("season", "")
    return int(raw) if raw.isdigit() and int(raw) in seasons else None


def _row(search: ItemSearch) -> dict[str, Any]:
    by_season: dict[int, list[int]] = {}
    for season, number in search.episodes:
        by_season.setdefault(season, []).append(number)
    episodes = ", ".join(episode_list(s, numbers) for s, numbers in sorted(by_season.items()))
    return {
        "media": search.media,
        "what": episodes or gettext("the movie"),
        "count": search.count,
        "missing": describe_missing(search.missing),
        "note": search.note,
    }
