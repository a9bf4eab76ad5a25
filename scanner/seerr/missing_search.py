"""The bounded missing-dub search an answer reserves (issue 72): once per ask, when the
asked language is missing and the instance searches, under scanner.searches' daily bound
and interval; given back when Seerr did not take the answer that announced it."""

from __future__ import annotations

from scanner.models import Media, MissingSearch, SeerrAsk
from scanner.searches.send import free_reserved, reserve_searches
from scanner.seerr.items import SEERR_BY
from scanner.seerr.standing import SEARCHED_FOR


def reserve_search(
    ask: SeerrAsk, media: Media, state: str, *, profile_searches: bool = False
) -> tuple[int, ...]:
    """The bounded missing-dub search (scanner.searches: the daily bound, the interval),
    once per ask, when the language is missing and the instance searches (an *arr with a
    daily bound above 0): the searches reserved. A series request's: of the episodes of
    the seasons asked for only. None when ``profile_searches``: the quality profile set
    for the ask is followed by one search of the item (scanner.wish_profiles, after the
    *arr's editor took it), which is the ask's: one search, never two, and never one
    before the profile that makes it grab what was asked (scanner.seerr.profiles)."""
    if state not in SEARCHED_FOR or ask.searched or profile_searches:
        return ()
    instance = media.instance
    if not instance.is_arr or instance.search_daily_limit <= 0:
        return ()
    if not SeerrAsk.objects.filter(pk=ask.pk, searched=False).update(searched=True):
        return ()
    who = f"{SEERR_BY} ({ask.asker.display_name if ask.asker else ask.asker_email})"[:150]
    _plan, reserved = reserve_searches(
        [media.pk],
        trigger=MissingSearch.Trigger.WEBHOOK,
        user=who,
        episodes=_episodes_of(media, ask.seasons) if ask.seasons else None,
    )
    return tuple(reserved)


def give_back_search(ask: SeerrAsk, reserved: tuple[int, ...]) -> None:
    """The search reserved for an answer Seerr did not take: nothing will ask the *arr for
    it now; the ask may search again with its next answer."""
    if reserved:
        free_reserved(reserved)
        SeerrAsk.objects.filter(pk=ask.pk).update(searched=False)


def _episodes_of(media: Media, seasons: list[int]) -> set[tuple[int, int]]:
    """The (season, episode) pairs of the item's files in these seasons."""
    files = media.files.filter(season__number__in=seasons)
    return {
        (number, episode)
        for number, episodes in files.values_list("season__number", "episodes")
        for episode in episodes or []
        if isinstance(episode, int)
    }
