"""Per-season results of an item, stored beside its files (the media page's table)."""

from __future__ import annotations

from collections.abc import Mapping

from scanner.engine.verdict import FileResult, item_verdict
from scanner.models import Media, Season


def store_seasons(
    media: Media,
    results: list[FileResult],
    coverage: Mapping[int | None, Mapping[str, tuple[int, int]]],
) -> dict[int, int]:
    """Upsert one Season per season number in ``results``, delete the others; number -> id."""
    existing = dict(media.seasons.values_list("number", "pk"))
    by_number: dict[int, list[FileResult]] = {}
    for result in results:
        if result.season is not None:
            by_number.setdefault(result.season, []).append(result)
    unmonitored = set(media.unmonitored_seasons)
    seasons = []
    for number, season_results in sorted(by_number.items()):
        verdict = item_verdict(season_results)
        seasons.append(
            Season(
                media=media,
                number=number,
                monitored=number not in unmonitored,
                status=verdict.tag.value if verdict.tag is not None else "unknown",
                file_count=len(season_results),
                files_with_all=sum(1 for r in season_results if r.has_all and not r.error),
                files_with_some=sum(1 for r in season_results if r.has_some and not r.error),
                error_count=sum(1 for r in season_results if r.error is not None),
                coverage={code: list(pair) for code, pair in coverage.get(number, {}).items()},
            )
        )
    stale = [pk for number, pk in existing.items() if number not in by_number]
    if stale:
        Season.objects.filter(pk__in=stale).delete()
    Season.objects.bulk_create(
        seasons,
        update_conflicts=True,
        unique_fields=["media", "number"],
        update_fields=[
            "monitored", "status", "file_count", "files_with_all", "files_with_some",
            "error_count", "coverage",
        ],
    )  # fmt: skip
    # The upsert returns the ids (PostgreSQL, SQLite >= 3.35); the fallback covers others.
    return {season.number: season.pk or existing[season.number] for season in seasons}
