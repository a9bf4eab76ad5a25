"""The names Taggarr knows an instance's quality profiles by (issue 93: a plan says
"HD-1080p", as the *arr does, never "profile 1" where the name was known).

Taggarr keeps no copy of the *arr's list of profiles: the list is read when the mapping
page opens (offer.py) and when a change is written (arr_calls.profile_names). What it
was told is kept where it was told: the mapping's profiles (WishProfile.profile_name,
from the *arr's list when it was saved), each change's profiles before and after
(ProfileChange, the names the plan knew or the write read from the *arr), each item's
profile before Taggarr's first change (ItemProfile.earlier_profile_name). ``known_names``
gathers them, the journal's newest first (the *arr's latest word); a profile none of
them names is shown by its number (words.profile_label)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import Q

from scanner.models import ItemProfile, ProfileChange, WishProfile

__all__ = ["fill_names", "known_names"]

JOURNAL_READ = 500  # the latest named changes read for their names


def known_names(instance_id: int, only: Collection[int] | None = None) -> dict[int, str]:
    """Each of the instance's quality profiles Taggarr was told the name of, by id;
    ``only``: these profiles' (a plan names two: each row read is one of theirs)."""
    names: dict[int, str] = {}
    journal = ProfileChange.objects.filter(instance_id=instance_id)
    mapped = WishProfile.objects.filter(instance_id=instance_id).exclude(profile_name="")
    earlier = ItemProfile.objects.filter(
        media__instance_id=instance_id, earlier_profile_id__isnull=False
    )
    if only is not None:
        ids = list(only)
        journal = journal.filter(Q(profile_before__in=ids) | Q(profile_after__in=ids))
        mapped = mapped.filter(profile_id__in=ids)
        earlier = earlier.filter(earlier_profile_id__in=ids)
    rows = (
        journal.filter(~Q(profile_before_name="") | ~Q(profile_after_name=""))
        .order_by("-pk")
        .values_list("profile_before", "profile_before_name", "profile_after", "profile_after_name")
    )
    for before, before_name, after, after_name in rows[:JOURNAL_READ]:
        if after_name:
            names.setdefault(after, after_name)
        if before is not None and before_name:
            names.setdefault(before, before_name)
    for profile_id, name in mapped.values_list("profile_id", "profile_name"):
        names.setdefault(profile_id, name)
    earlier_named = (
        earlier.exclude(earlier_profile_name="")
        .values_list("earlier_profile_id", "earlier_profile_name")
        .distinct()
    )
    for earlier_id, name in earlier_named[:JOURNAL_READ]:
        if earlier_id is not None:
            names.setdefault(earlier_id, name)
    return names


def fill_names(changes: Iterable[ProfileChange]) -> None:
    """The changes shown with a profile's name where they were planned without one and
    Taggarr knows it now (read once per instance; nothing saved)."""
    unnamed = [
        change
        for change in changes
        if not change.profile_after_name
        or (change.profile_before is not None and not change.profile_before_name)
    ]
    known: dict[int, dict[int, str]] = {}
    for change in unnamed:
        if change.instance_id not in known:
            known[change.instance_id] = known_names(change.instance_id)
        names = known[change.instance_id]
        if not change.profile_after_name:
            change.profile_after_name = names.get(change.profile_after, "")
        if change.profile_before is not None and not change.profile_before_name:
            change.profile_before_name = names.get(change.profile_before, "")
