"""What a search for missing dubs would ask for: read from the database, sends nothing.

Per item, the counted files that lack a target language (their stored result) give the
episodes (Sonarr) or the movie (Radarr). An item the *arr does not monitor is left out,
as the *arr's own search for what is missing leaves it out (the episodes Sonarr does not
monitor are left out when it lists them: send.py). An item searched within its
instance's interval is left out, and so is what the daily bound (episodes and movies
asked for in the last 24 hours, by anyone) no longer allows: a long series gets its
first episodes today and the rest once its interval has passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scanner.language_names import language_name
from scanner.models import Instance, Media, MediaFile, MissingSearch
from scanner.searches.wanted import ORIGINAL_ONLY_REASON, dub_wanted

LACKING = (MediaFile.Result.NONE, MediaFile.Result.SOME, MediaFile.Result.WRONG)
DAY = timedelta(hours=24)


@dataclass
class ItemSearch:
    media: Media
    episodes: list[tuple[int, int]]  # (season, episode) lacking a target; [] for a movie
    missing: list[str]  # the target languages some of its files lack
    note: str = ""  # in the active language (bound_note)
    bound: tuple[int, int] | None = None  # (asked, of): the daily bound cut it short

    @property
    def count(self) -> int:
        """What the daily bound counts: episodes, or the one movie."""
        return len(self.episodes) or 1


@dataclass(frozen=True)
class Skipped:
    media: Media
    reason: str


@dataclass
class SearchPlan:
    searches: list[ItemSearch] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left_today: dict[str, int] = field(default_factory=dict)  # per instance name, after these


def searched_today(instance: Instance, now: datetime) -> int:
    used = instance.missing_searches.filter(created_at__gt=now - DAY).aggregate(n=Sum("searched"))
    return int(used["n"] or 0)


def plan_search(
    media: Sequence[Media],
    *,
    season: int | None = None,
    now: datetime | None = None,
    episodes: Collection[tuple[int, int]] | None = None,
) -> SearchPlan:
    """``media`` (with their instances loaded) in the order given; ``season``: only that
    season's episodes; ``episodes``: only these (season, episode) pairs (a lost dub's)."""
    now = now or timezone.now()
    plan = SearchPlan()
    media, original_only = dub_wanted(media)
    plan.skipped += [Skipped(item, ORIGINAL_ONLY_REASON) for item in original_only]
    by_instance: dict[int, list[Media]] = defaultdict(list)
    for item in media:
        by_instance[item.instance_id].append(item)
    for items in by_instance.values():
        _plan_instance(items[0].instance, items, (season, episodes), now, plan)
    return plan


Only = tuple[int | None, Collection[tuple[int, int]] | None]  # a season, episodes


def _plan_instance(
    instance: Instance, items: list[Media], only: Only, now: datetime, plan: SearchPlan
) -> None:
    if not instance.is_arr:
        plan.skipped += [Skipped(item, "a library folder has no *arr to search") for item in items]
        return
    left = max(0, instance.search_daily_limit - searched_today(instance, now))
    since = now - timedelta(days=instance.search_interval_days)
    recent = dict(
        MissingSearch.objects.filter(media__in=items, created_at__gt=since)
        .values("media_id")
        .annotate(last=Max("created_at"))
        .values_list("media_id", "last")
    )
    lacking = _lacking_episodes(items)
    for item in items:
        if item.pk in recent:
            again = timezone.localtime(
                recent[item.pk] + timedelta(days=instance.search_interval_days)
            )
            plan.skipped.append(
                Skipped(
                    item,
                    _("searched already: again from %(when)s")
                    % {"when": f"{again:%Y-%m-%d %H:%M}"},
                )
            )
            continue
        found = _wanted(item, lacking.get(item.pk), only)
        if isinstance(found, str):
            plan.skipped.append(Skipped(item, found))
            continue
        search = ItemSearch(item, found, missing_targets(item))
        if left <= 0:
            bound = instance.search_daily_limit
            plan.skipped.append(
                Skipped(item, _("the daily bound (%(bound)d) is reached") % {"bound": bound})
            )
            continue
        if search.count > left:
            search.bound = (left, search.count)
            search.note = bound_note(left, search.count)
            search.episodes = search.episodes[:left]
        left -= search.count
        plan.searches.append(search)
    plan.left_today[instance.name] = left


def _lacking_episodes(items: list[Media]) -> dict[int, list[tuple[int | None, list[int]]]]:
    """Per item: (season, episodes) of each counted file that lacks a target."""
    rows: dict[int, list[tuple[int | None, list[int]]]] = defaultdict(list)
    lacking = MediaFile.objects.filter(media__in=items, result__in=LACKING)
    for media_id, number, episodes in lacking.values_list("media_id", "season__number", "episodes"):
        rows[media_id].append((number, list(episodes or [])))
    return rows


def _wanted(
    item: Media, rows: list[tuple[int | None, list[int]]] | None, only: Only
) -> list[tuple[int, int]] | str:
    """The episodes to ask for ([] for a movie), or why there are none."""
    season, chosen = only
    if item.arr_id is None:
        return _("not listed by the *arr yet")
    if not item.monitored:  # the *arr's own search for what is missing leaves it out too
        return _("%(arr)s does not monitor it") % {"arr": item.instance.get_kind_display()}
    if item.kind == Media.Kind.MOVIE:
        if season is not None:
            return _("a movie has no seasons")
        return [] if rows else _("its file has every target language")
    rows = [row for row in rows or [] if season is None or row[0] == season]
    if not rows:
        if season is None:
            return _("no counted file of it lacks a target language")
        return _("no counted file of season %(season)d lacks a target language") % {
            "season": season
        }
    episodes = sorted({(number, ep) for number, eps in rows if number is not None for ep in eps})
    if chosen is not None:
        episodes = [pair for pair in episodes if pair in chosen]
        return episodes or _("none of those episodes lacks a target language now")
    return episodes or _("its files that lack a target have no episode numbers")


def bound_note(asked: int, of: int) -> str:
    """``Only 3 episodes were searched today (the daily bound); 7 wait for the next
    days.``, in the active language: sentences of their own (issue 71: never "; " after
    another), each count with its own plural (issue 84: never "1 sur 20 épisodes")."""
    searched = ngettext(
        "Only %(count)d episode was searched today: the daily bound is reached.",
        "Only %(count)d episodes were searched today: the daily bound is reached.",
        asked,
    ) % {"count": asked}
    left = of - asked
    if left <= 0:
        return searched
    waiting = ngettext(
        "%(count)d episode waits for the next days.",
        "%(count)d episodes wait for the next days.",
        left,
    ) % {"count": left}
    return f"{searched} {waiting}"


def missing_targets(item: Media) -> list[str]:
    """The target languages some of the item's files lack."""
    return sorted(code for code, (having, total) in (item.coverage or {}).items() if having < total)


def describe_missing(codes: Sequence[str]) -> str:
    return ", ".join(language_name(code) for code in codes) or _("a target language")
