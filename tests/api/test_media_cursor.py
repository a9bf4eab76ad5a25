"""/api/media/?cursor=: keyset pages (api.pagination.KeysetPagination, issue 83) that walk
every item exactly once, in the list's order, without counting the whole list; the page
numbers stay as they were."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from scanner.models import Media
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


def _walk(api: APIClient, url: str) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    titles: list[str] = []
    pages = 0
    next_url: str | None = url
    while next_url:  # bounded: a cursor page never repeats, and there are 23 items
        response = api.get(next_url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body  # nothing counts the whole list
        ids += [row["id"] for row in body["results"]]
        titles += [row["title"] for row in body["results"]]
        next_url = body["next"]
        pages += 1
        assert pages <= 23
    return ids, titles


def test_a_cursor_walks_every_item_once_in_title_order(api: APIClient) -> None:
    tv = InstanceFactory()
    for n in range(20):
        MediaFactory(instance=tv, title=f"Show {n % 7:02d}")  # titles repeat: ties by id
    MediaFactory.create_batch(3, instance=tv, title="Zeta")
    ids, titles = _walk(api, "/api/media/?cursor=&page_size=4")
    assert sorted(ids) == sorted(Media.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 23
    assert titles == sorted(titles)


def test_a_cursor_follows_the_ordering_and_the_filters(api: APIClient) -> None:
    tv = InstanceFactory()
    for n in range(9):
        MediaFactory(instance=tv, title=f"T{n}", file_count=n % 4, applied_tag="dub")
    MediaFactory(instance=tv, title="Other", applied_tag="none")
    ids, _titles = _walk(
        api, "/api/media/?cursor=&page_size=2&ordering=-file_count&applied_tag=dub"
    )
    counts = [Media.objects.get(pk=pk).file_count for pk in ids]
    assert len(ids) == len(set(ids)) == 9
    assert counts == sorted(counts, reverse=True)


def test_a_cursor_page_asks_no_count(api: APIClient) -> None:
    MediaFactory.create_batch(3, instance=InstanceFactory())
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/media/?cursor=").status_code == 200
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_page_numbers_keep_their_count(api: APIClient) -> None:
    MediaFactory.create_batch(3, instance=InstanceFactory())
    body = api.get("/api/media/?page=1&page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] and "page=2" in body["next"]


def test_a_bad_cursor_is_a_404_not_a_500(api: APIClient) -> None:
    assert api.get("/api/media/?cursor=not-a-cursor").status_code == 404


def test_the_list_reads_none_of_the_columns_it_never_shows(api: APIClient) -> None:
    MediaFactory.create_batch(2, instance=InstanceFactory(), arr_files=[{"id": 1}])
    with CaptureQueriesContext(connection) as queries:
        for query in ("", "cursor="):
            assert len(api.get(f"/api/media/?{query}").json()["results"]) == 2
    selects = [q["sql"] for q in queries.captured_queries if '"scanner_media"."title"' in q["sql"]]
    assert len(selects) == 2
    assert not any(column in sql for sql in selects for column in Media.LIST_DEFERRED)
