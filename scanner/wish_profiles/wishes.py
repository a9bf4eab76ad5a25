"""An item's wish as its instance, its own wanted languages and the household make it
(scanner.engine.wishes is the key); and the wishes the mapping page offers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from scanner.engine.listener import ORIGINAL, ORIGINAL_SUBTITLED, Listener, make_listener, want_code
from scanner.engine.targets import item_targets, target_code, wanted_targets
from scanner.engine.wishes import ORIGINAL_WISH, wish_of
from scanner.models import Instance, Media, Person, PersonItemWant
from scanner.models.choices import WantedLanguages

MAX_OFFERED: Final = 60  # the wishes the mapping page offers at most
_ORIGINAL_WANTS: Final = frozenset((ORIGINAL, ORIGINAL_SUBTITLED))


def household() -> tuple[Listener, ...]:
    """Every person of the household as the choice sees them (two queries)."""
    wants: dict[int, dict[int, str]] = {}
    for person_id, media_id, want in PersonItemWant.objects.values_list(
        "person_id", "media_id", "want"
    ):
        wants.setdefault(person_id, {})[media_id] = want
    return tuple(
        make_listener(
            name=person.name,
            languages=[code for code in person.languages if isinstance(code, str)],
            wants={"series": want_code(person.series_want), "movie": want_code(person.movie_want)},
            item_wants={media: want_code(want) for media, want in wants.get(person.pk, {}).items()},
        )
        for person in Person.objects.order_by("name", "pk")
    )


def item_wish_targets(media: Media, instance: Instance) -> tuple[str, ...]:
    """The item's wanted targets without its original, in order (engine.targets)."""
    targets = tuple(
        code
        for code in (
            target_code(value)
            for value in wanted_targets(instance.target_languages, media.wanted, media.targets_own)
        )
        if code is not None
    )
    original = media.effective_original or None
    kept = item_targets(targets, original).wanted
    return tuple(code for code in targets if code in kept)


def original_wanted(media: Media, listeners: Iterable[Listener]) -> bool:
    """Whether someone of the household wants the item in its original."""
    return any(listener.want(media.kind, media.pk) in _ORIGINAL_WANTS for listener in listeners)


def wish_of_media(
    media: Media, instance: Instance, listeners: Sequence[Listener] | None = None
) -> str:
    """The item's wish now (``listeners``: the household, read once for many items)."""
    if media.wanted == WantedLanguages.ORIGINAL_ONLY:
        return ORIGINAL_WISH
    targets = item_wish_targets(media, instance)
    if not targets:
        return ORIGINAL_WISH
    people = household() if listeners is None else listeners
    return wish_of(targets, original_wanted=original_wanted(media, people))


def offered_wishes(instance: Instance) -> list[str]:
    """The wishes the mapping page offers, in a stable order: the original, each
    instance target and the original with it, each person's first language, the first
    target of the items' own lists (each with the original too); at most MAX_OFFERED."""
    firsts: list[str] = [
        code
        for code in (target_code(value) for value in instance.target_languages)
        if code is not None
    ]
    for languages in Person.objects.order_by("name", "pk").values_list("languages", flat=True):
        first = _first(languages)
        if first is not None:
            firsts.append(first)
    own = (
        instance.media.filter(wanted=WantedLanguages.OWN_LIST)
        .order_by("pk")
        .values_list("wanted_targets", flat=True)[:5000]
    )
    firsts.extend(sorted({code for code in map(_first, own) if code is not None}))
    offered: dict[str, None] = {ORIGINAL_WISH: None}
    for code in firsts:
        offered.setdefault(code, None)
        offered.setdefault(f"{ORIGINAL_WISH}+{code}", None)
    return list(offered)[:MAX_OFFERED]


def _first(values: object) -> str | None:
    """The first language of a stored list that names one, as a target."""
    if not isinstance(values, list):
        return None
    for value in values:
        code = target_code(value) if isinstance(value, str) else None
        if code is not None:
            return code
    return None
