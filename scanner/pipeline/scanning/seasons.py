"""Per-season results of items, stored beside their files (the media page's table):
for any number of items in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.engine.per_language import season_coverage
from scanner.engine.verdict import FileResult, item_verdict
from scanner.models import Media, Season
from scanner.models.bulk import upsert


def store_seasons(items: Sequence[tuple[Media, list[FileResult]]]) -> dict[tuple[int, int], int]:
    """Upsert one Season per item and season number in the results, delete the items'
    other seasons; (media id, number) -> season id."""
    seasons = [season for media, results in items for season in _seasons(media, results)]
    upsert(
        seasons,
        unique_fields=["media", "number"],
        update_fields=[
            "monitored", "status", "file_count", "files_with_all", "files_with_some",
            "error_count", "coverage",
        ],
    )  # fmt: skip
    kept = {(season.media_id, season.number) for season in seasons}
    ids = {}
    stale = []
    # No ordering: the model's ("media") would join every season to its item.
    stored = Season.objects.filter(media_id__in=[media.pk for media, _ in items]).order_by()
    for media_id, number, pk in stored.values_list("media_id", "number", "pk"):
        if (media_id, number) in kept:
            ids[(media_id, number)] = pk
        else:
            stale.append(pk)
    if stale:
        Season.objects.filter(pk__in=stale).delete()
    return ids


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
