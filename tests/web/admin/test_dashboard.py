"""The dashboard: charts as inline SVG, history, health, events; the Flower link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from scanner.models import Event, MissingSearch
from tests.factories import EventFactory, InstanceFactory, MediaFactory, ScanRunFactory
from web.admin.charts import day_label

pytestmark = pytest.mark.django_db


def test_dashboard(admin_client: Client, settings) -> None:
    settings.FLOWER_URL = "http://flower.lan:5555"
    tv = InstanceFactory(name="<b>tv</b>")
    MediaFactory.create_batch(2, instance=tv, applied_tag="dub", planned_tag="dub")
    MediaFactory(instance=tv, applied_tag="none", planned_tag="wrong-dub")
    now = timezone.now()
    run = ScanRunFactory(
        instance=tv,
        status="succeeded",
        started_at=now - timedelta(seconds=42),
        finished_at=now,
        items_total=3,
        tags_changed=1,
    )
    EventFactory(
        instance=tv,
        media=MediaFactory(instance=tv, title="Akira"),
        message="Akira: changed: none -> dub",
        data={"from": "none", "to": "dub"},
    )
    response = admin_client.get("/admin/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    # Each chart twice: a laptop's and a phone's copy (the page shows one by its width).
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="taggarr-chart"') == 6
    assert "&lt;b&gt;tv&lt;/b&gt;: dub, 2 items" in html  # a tooltip; the name stays text
    assert "<b>tv</b>" not in html
    assert 'class="history-run"><title>#' in html and "42.0 s, 3 items, 1 change" in html
    day = day_label(timezone.localtime(now))
    assert day == dateformat.format(timezone.localtime(now), "M j")  # CLDR's English: Nov 26
    assert f'class="chart-label chart-tick">{day}</text>' in html  # the x axis names the day
    assert 'text-anchor="end">0 s</text>' in html  # the y axis starts at 0
    assert "not tested yet" in html
    assert f'#{run.pk}</a> <span class="taggarr-status taggarr-ok">succeeded</span>' in html
    assert "Akira: changed: no tag → dub" in html  # the sentence, not the English message
    assert 'href="http://flower.lan:5555"' in html
    assert "/static/taggarr/live.js" in html
    assert 'id="dashboard-primary"' in html and "Review the 1 planned change<" in html
    assert "<script>" not in html


def test_the_dashboard_never_asks_an_arr(admin_client: Client, sonarr, sonarr_instance) -> None:
    """Health is the stored state: the last scan, the last connection test."""
    sonarr.state.reset_counters()
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert sonarr.state.total_requests() == 0
    assert "not tested yet" in html
    admin_client.post(f"/admin/scanner/instance/{sonarr_instance.pk}/test-connection/")
    sonarr.state.reset_counters()
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert sonarr.state.total_requests() == 0
    assert '<span class="taggarr-ok">OK</span>' in html and "tested" in html


def test_the_dashboard_follows_a_running_scan(admin_client: Client) -> None:
    ScanRunFactory(status="running")
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert 'data-live-active="true"' in html and 'id="scanning-now"' in html


def test_dashboard_with_nothing_yet(admin_client: Client, settings) -> None:
    settings.FLOWER_URL = ""
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert "No finished scans yet." in html
    assert "flower" not in html.lower()


def test_index_links_to_dashboard_and_flower(admin_client: Client, settings) -> None:
    settings.FLOWER_URL = "http://flower.lan:5555"
    html = admin_client.get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' in html
    assert 'id="flower-link"' in html
    settings.FLOWER_URL = ""
    assert 'id="flower-link"' not in admin_client.get("/admin/").content.decode()


def test_dashboard_needs_a_staff_login(client: Client) -> None:
    response = client.get("/admin/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_dashboard_shows_dub_news_and_what_needs_review(admin_client: Client) -> None:
    tv = InstanceFactory(name="tv")
    show = MediaFactory(instance=tv, title="Anime Half", needs_review=True)
    EventFactory(
        instance=tv, media=show, kind="dub_arrived", message="Anime Half: German arrived",
        data={"language": "deu", "season": 2, "episodes": [1, 2], "season_complete": True},
    )  # fmt: skip
    EventFactory(
        instance=tv, media=None, kind="dub_lost", message="Gone Film: German lost",
        data={"language": "deu"},
    )  # fmt: skip
    html = admin_client.get("/admin/dashboard/").content.decode()
    news = html[html.index('id="dub-news"') :]
    assert "arrived</span>" in news and "lost</span>" in news
    assert ">Anime Half</a>" in news and "German" in news and "(season 2 now complete)" in news
    assert "Gone Film" in news and "the film" in news
    assert 'id="needs-review"' in html and "1 item</a> whose tag rests on a guess" in html


def test_the_dashboard_says_when_no_dub_news_came_yet(admin_client: Client) -> None:
    InstanceFactory(name="tv")
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert "None yet: the next scans tell" in html
    assert 'id="needs-review"' not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "tv searched for missing dubs 1 time today. Its daily bound is 20 searches."),
        ("fr", "tv a recherché des doublages manquants 1 fois aujourd'hui. "
               "Sa limite quotidienne est de 20 recherches."),
        ("de", "tv hat heute 1-mal nach fehlenden Synchronfassungen gesucht. "
               "Sein Tageslimit liegt bei 20 Suchen."),
    ],
)  # fmt: skip
def test_the_searches_of_the_day_say_each_count_in_its_own_sentence(
    admin_client: Client, language: str, expected: str
) -> None:
    """Issue 84: not "1 of 20 searches" (one plural for two numbers), but the searches
    and the bound each with their own plural."""
    tv = InstanceFactory(name="tv", search_daily_limit=20)
    MissingSearch.objects.create(
        instance=tv, title="Dark", searched=1, trigger=MissingSearch.Trigger.MANUAL
    )
    html = admin_client.get("/admin/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    text = " ".join(html.replace("&#x27;", "'").split())
    assert expected in text


def test_the_latest_events_and_news_show_titles_without_reading_the_items_json(
    admin_client: Client,
) -> None:
    """The recent events and dub news name their item by its title: the item's scanned
    JSON (the *arr's files, the verdict's reasons, 2 KB and more a row) is not read for
    them (issue 83)."""
    tv = InstanceFactory(name="tv")
    dark = MediaFactory(instance=tv, title="Dark", arr_files=[{"relative_path": "a.mkv"}])
    Event.objects.create(instance=tv, media=dark, kind="dub_arrived",
                         message="Dark: German arrived", data={"language": "deu"})  # fmt: skip
    Event.objects.create(instance=tv, media=dark, kind="tag_changed", message="Dark: tag")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/dashboard/")
    assert response.status_code == 200
    assert [news["title"] for news in response.context["dub_news"]] == ["Dark"]
    assert {event.media.title for event, _ in response.context["events"]} == {"Dark"}
    events = [q["sql"] for q in queries.captured_queries if 'FROM "scanner_event"' in q["sql"]]
    assert events
    assert not any('"arr_files"' in sql or '"verdict_reasons"' in sql for sql in events)
