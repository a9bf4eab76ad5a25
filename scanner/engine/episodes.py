"""Season and episode numbers from folder and file names (tagging-rules.md, "Which files count").

Pure string work, no I/O; library.py applies it while it walks a folder.
"""

from __future__ import annotations

import re

# "Season 1", "Season 01", "season01", "S01", "Series 1", "Season.1".
_SEASON_FOLDER = re.compile(r"(?:season|series|s)[\s._-]*(\d{1,4})", re.IGNORECASE)
_SPECIALS_FOLDER = re.compile(r"specials?", re.IGNORECASE)

# S01E01, s01e01, S01.E01, S01E101; multi-episode continuations: E02, -E02,
# -02 (Sonarr's "extend"), S01E02 / .S01E02 / -S01E02 (Sonarr's "duplicate").
_SXXEYY = re.compile(
    r"(?<![^\W_])s(\d{1,4})[\s._-]?e(\d{1,4})(?!\d)"
    r"((?:(?:-?e|[.-]?s\d{1,4}e)\d{1,4}(?!\d)|-\d{1,4}(?![^\W_]))*)",
    re.IGNORECASE,
)
# 1x01, 1x101, 1x01-02, 1x01x02, 1x01-1x02. Digits on both sides are refused
# so "1920x1080" is not season 920.
_NXNN = re.compile(
    r"(?<![\d])(\d{1,2})x(\d{2,3})(?!\d)((?:(?:-\d{1,2}x|x|-)\d{2,3}(?!\d))*)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")
# Inside a season folder: "E01", "Ep 01", "Episode 01" anywhere; else a bare
# number at the start ("01 - Pilot", "01") or after " - " ("Show - 01").
_E_PREFIXED = re.compile(r"(?<![^\W_])e(?:p|pisode)?[\s._-]?(\d{1,4})(?!\d)", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?:^|\s-\s)(\d{1,3})(?![^\W_])")

# A multi-episode range larger than this is taken as two numbers, not a range:
# "S01E01-E99" is far more likely a naming accident than 99 episodes in a file.
_MAX_RANGE = 20


def season_of_folder(name: str) -> int | None:
    """The season a folder holds: ``Season 1``/``S01``/``Series 1`` -> 1, ``Specials`` -> 0."""
    if _SPECIALS_FOLDER.fullmatch(name):
        return 0
    match = _SEASON_FOLDER.fullmatch(name.strip())
    return int(match.group(1)) if match else None


def episode_marker(stem: str) -> tuple[int, tuple[int, ...]] | None:
    """Season and episodes from an ``S01E01``/``1x01`` marker in a file name, if it has one."""
    match = _SXXEYY.search(stem) or _NXNN.search(stem)
    if match is None:
        return None
    season = int(match.group(1))
    first = int(match.group(2))
    # The continuation's numbers are the last number of each part:
    # "-E02" -> 2, "S01E03" -> 3, "-1x04" -> 4.
    more = [int(_NUMBER.findall(part)[-1]) for part in _continuations(match.group(3))]
    return season, _episode_numbers(first, more)


def episodes_in_season_folder(stem: str) -> tuple[int, ...]:
    """Episode numbers of a file inside a season folder: a marker first, then E01 or a bare 01."""
    marker = episode_marker(stem)
    if marker is not None:
        return marker[1]
    match = _E_PREFIXED.search(stem) or _BARE_NUMBER.search(stem)
    return (int(match.group(1)),) if match else ()


_CONTINUATION_PART = re.compile(r"(?:-?e|[.-]?s\d{1,4}e|-\d{1,2}x|x|-)\d{1,4}", re.IGNORECASE)


def _continuations(text: str) -> list[str]:
    return _CONTINUATION_PART.findall(text) if text else []


def _episode_numbers(first: int, more: list[int]) -> tuple[int, ...]:
    numbers = [first]
    for number in more:
        if number > numbers[-1]:
            numbers.append(number)
    # Two numbers are a range ("S01E01-E03" is 1, 2, 3); three or more are a
    # list ("S01E01E02E03"), which for real files is the same thing.
    if len(numbers) == 2 and numbers[1] - numbers[0] <= _MAX_RANGE:
        return tuple(range(numbers[0], numbers[1] + 1))
    return tuple(numbers)
