"""The mapping a person saves (issue 82): each offered wish to one of the *arr's quality
profiles, or to none ("not managed": its row removed). Checked before anything is
written: each wish is one the page offers (or already mapped), each profile one the
*arr listed when asked; saved in one transaction with one event (Event.Kind.PROFILE,
data ``what: "mapping"``: per wish changed, ``[profile before, profile after]`` and the
names, who and through what), or nothing at all. The admin's page and the API call it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction

from scanner.arr.profiles import MAX_NAME, QualityProfile
from scanner.engine.wishes import is_wish
from scanner.models import Event, Instance, WishProfile
from scanner.models import event_data as codes

MAX_WISHES: Final = 60  # scanner.wish_profiles.wishes.offered_wishes' bound


class MappingError(ValueError):
    """What is wrong with an asked mapping: per wish, a code (``unknown-wish``,
    ``unknown-profile``, ``unchecked-profile``, ``too-many``)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{wish}: {code}" for wish, code in problems.items()))
        self.problems = problems


UNKNOWN_WISH: Final = "unknown-wish"
UNKNOWN_PROFILE: Final = "unknown-profile"
UNCHECKED_PROFILE: Final = "unchecked-profile"  # the *arr could not be asked
TOO_MANY: Final = "too-many"


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save changed: per wish, (profile before, profile after); None is not
    managed."""

    changes: dict[str, tuple[int | None, int | None]]
    event: Event | None


def current(instance: Instance) -> dict[str, WishProfile]:
    return {row.wish: row for row in WishProfile.objects.filter(instance=instance)}


def check(
    instance: Instance,
    asked: Mapping[str, int | None],
    offered: list[str],
    profiles: tuple[QualityProfile, ...] | None,
) -> None:
    """Raises MappingError unless every wish of ``asked`` is offered (or already mapped)
    and every profile is one of ``profiles`` (None: the *arr was not read, and only
    unchanged choices and "not managed" can be saved)."""
    if len(asked) > MAX_WISHES:
        raise MappingError({"": TOO_MANY})
    saved = current(instance)
    known = {profile.id for profile in profiles or ()}
    problems: dict[str, str] = {}
    for wish, profile_id in asked.items():
        if not is_wish(wish) or (wish not in offered and wish not in saved):
            problems[wish] = UNKNOWN_WISH
        elif profile_id is None:
            continue
        elif wish in saved and saved[wish].profile_id == profile_id:
            continue  # unchanged: kept whatever the *arr says now
        elif profiles is None:
            problems[wish] = UNCHECKED_PROFILE
        elif profile_id not in known:
            problems[wish] = UNKNOWN_PROFILE
    if problems:
        raise MappingError(problems)


def save_mapping(
    instance: Instance,
    asked: Mapping[str, int | None],
    profiles: tuple[QualityProfile, ...] | None,
    *,
    by: str,
    via: str,
    offered: list[str],
) -> Saved:
    """Checks, then writes the rows that change and one event; a wish left out of
    ``asked`` keeps its row. Raises MappingError (nothing written)."""
    check(instance, asked, offered, profiles)
    names = {profile.id: profile.name[:MAX_NAME] for profile in profiles or ()}
    with transaction.atomic():
        saved = {
            row.wish: row
            for row in WishProfile.objects.select_for_update().filter(instance=instance)
        }
        changes: dict[str, tuple[int | None, int | None]] = {}
        for wish, profile_id in asked.items():
            row = saved.get(wish)
            before = row.profile_id if row is not None else None
            if before == profile_id:
                continue
            changes[wish] = (before, profile_id)
            if profile_id is None and row is not None:
                row.delete()
            elif profile_id is not None:
                WishProfile.objects.update_or_create(
                    instance=instance,
                    wish=wish,
                    defaults={
                        "profile_id": profile_id,
                        "profile_name": names.get(profile_id, ""),
                        "saved_by": by[:150],
                    },
                )
        event = _record(instance, changes, saved, names, by=by, via=via) if changes else None
    return Saved(changes, event)


def _record(
    instance: Instance,
    changes: dict[str, tuple[int | None, int | None]],
    saved: dict[str, WishProfile],
    names: dict[int, str],
    *,
    by: str,
    via: str,
) -> Event:
    """One event for the save: ids and names only (the pages word them)."""
    named: dict[str, list[str]] = {}
    for wish, (_before, after) in changes.items():
        old = saved[wish].profile_name if wish in saved else ""
        named[wish] = [old, names.get(after, "") if after is not None else ""]
    data: dict[str, Any] = {
        "what": codes.PROFILE_MAPPING,
        "mapping": {wish: list(pair) for wish, pair in changes.items()},
        "names": named,
        "user": by,
        "via": via,
    }
    told = ", ".join(f"{wish} {before} -> {after}" for wish, (before, after) in changes.items())
    return Event.objects.create(
        instance=instance,
        kind=Event.Kind.PROFILE,
        message=f"Quality profiles of the wishes of {instance.name} saved: {told}",
        data=data,
    )
