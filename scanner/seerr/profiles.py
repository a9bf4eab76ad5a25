"""A Seerr ask and the quality profile its item's wish maps to (issue 82, docs/seerr.md):
the item given the asker's languages has its profile follow them at once
(scanner.wish_profiles.requests.follow, reason "seerr": the ask kept on the item's lease
in this transaction, planned and written by a worker, one search after the write); the
answer tells the profile set, once per ask, and leaves the search to it. One search,
never two: the profile step's search is the ask's when it was sent, or is coming
(scanner.seerr.missing_search)."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.engine.wishes import parse_wish
from scanner.models import Event, Instance, Media, ProfileChange, ProfileLease, SeerrAsk
from scanner.models import event_data as codes
from scanner.seerr.sentences import profile_text
from scanner.wish_profiles.requests import follow

TOLD = (codes.SEERR_COMMENTED, codes.SEERR_RESOLVED)  # the events of a message Seerr took


def follow_ask(media: Media, asked_by: str) -> None:
    """The item's profile follows its wish now that it is the asker's: planned at once,
    so that the *arr's editor may set it before the *arr's own first search. Nothing
    while the instance's quality profiles do not follow the wishes (the option off)."""
    if media.instance.wish_profiles != Instance.WishProfiles.OFF:
        follow(media.pk, reason=ProfileChange.Reason.SEERR, asked_by=asked_by)


def write_waiting(media: Media) -> None:
    """A Seerr ask still waiting for the item's plan (the task follow_ask sent has not
    run yet) is planned, and on "set" written, here and now, on the answer's worker: the
    profile is set, and its one search sent, before the answer tells it (the item's lease
    keeps the two from running at once: scanner.wish_profiles)."""
    waiting = _waiting(media)
    if waiting is not None:
        follow(media.pk, reason=ProfileChange.Reason.SEERR, asked_by=waiting, inline=True)


def _waiting(media: Media) -> str | None:
    """Who asked, when a Seerr ask waits on the item's lease for its plan (a worker holding
    the item plans it once more when it is done: scanner.wish_profiles)."""
    return (
        ProfileLease.objects.filter(media=media, asked_reason=ProfileChange.Reason.SEERR)
        .values_list("asked_by", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ProfileStep:
    """What the profile step did for an ask, as its answer reads it."""

    takes_search: bool  # its search is the ask's: Seerr reserves none of its own
    searching: bool  # that search was sent
    untold: ProfileChange | None  # a profile written for it, not told by this ask yet


def profile_step(ask: SeerrAsk, media: Media) -> ProfileStep:
    """The item's changes asked in Seerr since the ask: one whose search was sent after
    its write, or one planned, or an ask still waiting for its plan, on an instance that
    writes (the write and its search coming), takes the ask's search. One written whose
    search was not sent (the searches' interval or daily bound, the *arr did not take it)
    leaves the ask's own: after the write, under its profile.
    The newest one written, when the item still has its profile, is told once."""
    changes = list(
        ProfileChange.objects.filter(
            media=media, reason=ProfileChange.Reason.SEERR, created_at__gte=ask.created_at
        ).order_by("-pk")
    )
    searched = any(c.search_sent for c in changes)
    pending = media.instance.wish_profiles == Instance.WishProfiles.SET and (
        any(c.state == ProfileChange.State.PLANNED for c in changes) or _waiting(media) is not None
    )
    newest = changes[0] if changes else None
    untold = None
    if (
        newest is not None
        and newest.state == ProfileChange.State.WRITTEN
        and _profile_now(media) in (None, newest.profile_after)  # not changed since
    ):
        told = Event.objects.filter(
            kind=Event.Kind.SEERR,
            media=media,
            data__what__in=TOLD,
            data__ask=ask.pk,
            data__profile_change=newest.pk,
        )
        untold = None if told.exists() else newest
    return ProfileStep(takes_search=searched or pending, searching=searched, untold=untold)


def _profile_now(media: Media) -> int | None:
    """The item's profile as the last write or listing stored it (read again: the answer
    may have written it since it loaded the item)."""
    return Media.objects.filter(pk=media.pk).values_list("quality_profile_id", flat=True).first()


def profile_sentence(change: ProfileChange) -> str:
    """The change told in the active language: the *arr, the profile's name as the *arr
    named it, and what it makes the *arr grab (the wish's target, the original with it)."""
    target, original = parse_wish(change.wish)
    arr = "Sonarr" if change.instance.kind == Instance.Kind.SONARR else "Radarr"
    profile = change.profile_after_name or str(change.profile_after)
    return profile_text(arr=arr, profile=profile, target=target, original=original)
