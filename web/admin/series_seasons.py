"""A series page's seasons as Sonarr shows them: newest first (specials and the files
outside a season last), the newest counted one open and the others folded; each row an
episode with its number, title and air date from Sonarr's episode list
(Media.arr_episodes), its languages beside it; and what the verdict did not count (the
specials, an unmonitored season, a file quick mode skipped, an episode without a file)
shown as such, with why, instead of missing without a word."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from scanner.models import Media


@dataclass(frozen=True, slots=True)
class Episode:
    season: int
    number: int
    title: str
    air_date: datetime.date | None
    monitored: bool
    has_file: bool


def episodes(media: Media) -> dict[tuple[int, int], Episode]:
    """(season, number) -> the episode, from what the last scan kept of Sonarr's list;
    rows of another shape are left out (the field is JSON)."""
    found = {}
    for row in media.arr_episodes or ():
        if not isinstance(row, (list, tuple)) or len(row) != 6:
            continue
        season, number, title, aired, monitored, has_file = row
        if not all(isinstance(value, int) and value >= 0 for value in (season, number)):
            continue
        found[(season, number)] = Episode(
            season, number, str(title or ""), _date(aired), monitored is not False, has_file is True
        )
    return found


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def arrange(media: Media, panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The verdict's panels (one per counted season, ``number`` None for the files
    outside a season) with Sonarr's episodes merged in, the seasons it did not count
    added, newest first, the first counted one open."""
    listed = episodes(media)
    by_number = {panel["number"]: panel for panel in panels}
    # Sonarr's list names every season with an episode; without it (not read yet, or
    # Sonarr did not answer), an unmonitored season may hold files never read. Season 0
    # is unmonitored in most series and mostly empty: only the list shows it.
    numbers: set[object] = {season for season, _ in listed} or {  # the JSON list: anything
        number for number in media.unmonitored_seasons or () if number
    }
    for number in sorted(n for n in numbers if isinstance(n, int) and n not in by_number):
        by_number[number] = {"number": number, "name": season_name(number), "season": None,
                             "bars": [], "rows": []}  # fmt: skip
    for number, panel in by_number.items():
        panel["not_counted"] = ""
        if number is None:
            continue
        panel["not_counted"] = "" if panel["rows"] else _not_counted(media, number)
        _merge(media, panel, [e for key, e in listed.items() if key[0] == number])
    ordered = sorted(by_number.values(), key=_newest_first)
    opened = next((panel for panel in ordered if panel["rows"] and not panel["not_counted"]), None)
    for panel in ordered:
        panel["open"] = panel is (opened or ordered[0])
        panel["counted"] = sum(1 for row in panel["rows"] if "audio" in row)
    return ordered


def season_name(number: int | None) -> str:
    if number is None:
        return gettext("Other files in the series folder")
    if number == 0:
        return gettext("Specials")
    return gettext("Season %(number)s") % {"number": number}


def _newest_first(panel: Mapping[str, Any]) -> tuple[int, int]:
    number = panel["number"]
    if number is None:
        return (2, 0)
    return (1, 0) if number == 0 else (0, -number)


def _not_counted(media: Media, number: int) -> str:
    """Why a season counts for nothing, or "" (it may just have no file yet)."""
    instance = media.instance
    if number == 0 and not instance.count_specials:
        return gettext("Not counted: specials count only when the instance counts specials.")
    if number in (media.unmonitored_seasons or ()) and not instance.count_unmonitored:
        return gettext(
            "Not counted: the season is not monitored in Sonarr, and the instance counts "
            "monitored seasons only."
        )
    return ""


def _merge(media: Media, panel: dict[str, Any], listed: Sequence[Episode]) -> None:
    """Each file row with its episodes' titles and air dates; an episode no row holds
    as a row of its own: not counted (and why), or without a file."""
    held: set[int] = set()
    for row in panel["rows"]:
        numbers = row.get("numbers", [])
        held.update(numbers)
        mine = [episode for episode in listed if episode.number in numbers]
        if mine:
            row["title"] = " / ".join(episode.title for episode in mine if episode.title)
            row["air_date"] = mine[0].air_date
    today = timezone.localdate()
    for episode in listed:
        if episode.number in held:
            continue
        panel["rows"].append(
            {"numbers": [episode.number], "number": str(episode.number),
             "title": episode.title, "air_date": episode.air_date,
             "note": _episode_note(media, panel, episode, today)}
        )  # fmt: skip
    panel["rows"].sort(key=_row_order)


def _episode_note(
    media: Media, panel: Mapping[str, Any], episode: Episode, today: datetime.date
) -> str:
    if not episode.has_file:
        if episode.air_date is not None and episode.air_date > today:
            return gettext("Not aired yet")
        return gettext("No file")
    if panel["not_counted"]:
        return gettext("Not counted")
    if media.instance.quick_mode:
        return gettext("Not counted: quick mode reads the first file of each season only.")
    return gettext("Not counted: its file was not there at the last scan.")


def _row_order(row: Mapping[str, Any]) -> tuple[int, int, str]:
    numbers = row.get("numbers") or []
    return (0, numbers[0], "") if numbers else (1, 0, str(row.get("file", "")))


def numbers_of(values: Iterable[Any]) -> list[int]:
    return [value for value in values if isinstance(value, int) and not isinstance(value, bool)]


def number_text(numbers: Sequence[int]) -> str:
    """``3``, or ``3-4`` (with an en dash) for a file that holds two episodes."""
    if not numbers:
        return ""
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}\u2013{numbers[-1]}"
