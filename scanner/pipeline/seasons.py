"""Per-season results of items, stored beside their files (the media page's table):
for any number of items in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from scanner.engine.per_language import season_coverage
from scanner.engine.verdict import FileResult, item_verdict
from scanner.models import Media, Season


def store_seasons(items: Sequence[tuple[Media, list[FileResult]]]) -> dict[tuple[int, int], int]:
    """Upsert one Season per item and season number in the results, delete the items'
    other seasons; (media id, number) -> season id."""
    seasons = [season for media, results in items for season in _seasons(media, results)]
    kept = {(season.media_id, season.number) for season in seasons}
    media_ids = [media.pk for media, _ in items]
    existing = dict(
        ((media_id, number), pk)
        for media_id, number, pk in Season.objects.filter(media_id__in=media_ids).values_list(
            "media_id", "number", "pk"
        )
    )
    stale = [pk for key, pk in existing.items() if key not in kept]
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
        batch_size=500,
    )  # fmt: skip
    # The upsert returns the ids (PostgreSQL, SQLite >= 3.35); the fallback covers others.
    missing = [season for season in seasons if season.pk is None]
    if missing:
        keys = Q()
        for season in missing:
            keys |= Q(media_id=season.media_id, number=season.number)
        existing.update(
            ((m, n), pk)
            for m, n, pk in Season.objects.filter(keys).values_list("media_id", "number", "pk")
        )
    return {
        (season.media_id, season.number): season.pk or existing[(season.media_id, season.number)]
        for season in seasons
    }


def _seasons(media: Media, results: list[FileResult]) -> list[Season]:
    by_number: dict[int, list[FileResult]] = {}
    for result in results:
        if result.season is not None:
            by_number.setdefault(result.season, []).append(result)
    coverage = season_coverage(results)
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
    return seasons
