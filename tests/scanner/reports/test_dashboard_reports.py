"""What the dashboard shows of issue 44: the latest dub arrivals and losses, their counts
per instance, the review list's counts and the searches' daily bound (scanner.reports
.dub_news, .review, .stats; scanner.searches.usage)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner.models import Event, MissingSearch
from scanner.reports.dub_news import dub_news_counts, latest_dub_news
from scanner.reports.review import needs_review_counts
from scanner.reports.stats import tag_distribution, totals
from scanner.searches.usage import search_usage
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


def test_latest_news_and_counts() -> None:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films")
    dark = MediaFactory(instance=tv, title="Dark")
    data = {"language": "deu", "season": 2, "episodes": [1, 2, 3], "season_complete": True}
    Event.objects.create(
        instance=tv, media=dark, kind="dub_arrived", message="Dark: German arrived", data=data
    )
    old = Event.objects.create(instance=films, kind="dub_lost", message="Gone: German lost")
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    Event.objects.create(instance=tv, kind="tag_changed", message="not news")
    first, second = latest_dub_news()
    assert (first["title"], first["arrived"], first["language_name"]) == ("Dark", True, "German")
    assert (first["episodes"], first["season_complete"]) == ("S02E01-E03", True)
    assert (second["title"], second["arrived"], second["media"]) == ("Gone", False, None)
    assert [n["title"] for n in latest_dub_news(instance_id=films.pk)] == ["Gone"]
    assert dub_news_counts(days=7) == [
        {"instance": films.pk, "name": "films", "arrived": 0, "lost": 0},
        {"instance": tv.pk, "name": "tv", "arrived": 1, "lost": 0},
    ]


def test_review_counts() -> None:
    tv = InstanceFactory(name="tv")
    reasons = [{"code": "unknown_first_track"}, {"code": "title_language"}]
    MediaFactory(instance=tv, review_reasons=reasons, needs_review=True)
    MediaFactory(instance=tv, review_reasons=reasons[:1], needs_review=True)
    MediaFactory(instance=tv, review_reasons=reasons, review_confirmed=["unknown_first_track"])
    assert needs_review_counts() == [
        {
            "instance": tv.pk,
            "name": "tv",
            "needs_review": 2,
            "reasons": {"unknown_first_track": 2, "title_language": 1},
        }
    ]
    distribution = tag_distribution()
    assert distribution[0]["needs_review"] == 2
    assert totals(distribution)["needs_review"] == 2


def test_search_usage() -> None:
    tv = InstanceFactory(name="tv", search_daily_limit=10, search_missing_scheduled=True)
    InstanceFactory(name="folder", kind="library", url="")
    old = MissingSearch.objects.create(instance=tv, title="old", searched=5, trigger="api")
    MissingSearch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    MissingSearch.objects.create(instance=tv, title="new", searched=3, trigger="schedule")
    (row,) = search_usage()
    assert (row["name"], row["scheduled"], row["searched_today"], row["left_today"]) == (
        "tv",
        True,
        3,
        7,
    )
    assert row["last_search_at"] is not None
