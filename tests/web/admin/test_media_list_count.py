"""The media list's count (issue 83): estimated only on a large unfiltered PostgreSQL
table (web.admin.estimated_count, as Django's admin documentation suggests for large
tables), exact wherever it is filtered or small; no per-choice counts in the filters."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scanner.models import Media
from tests.factories import InstanceFactory, MediaFactory
from web.admin import estimated_count
from web.admin.estimated_count import EstimatedCountPaginator, estimated_rows

pytestmark = pytest.mark.django_db


def test_the_list_shows_its_rows_and_the_exact_total(admin_client: Client) -> None:
    tv = InstanceFactory()
    MediaFactory.create_batch(3, instance=tv, applied_tag="dub")
    MediaFactory.create_batch(2, instance=tv, applied_tag="none")
    response = admin_client.get("/admin/scanner/media/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    assert len(response.context["cl"].result_list) == 5
    filtered = admin_client.get("/admin/scanner/media/?applied_tag__exact=dub")
    assert filtered.context["cl"].result_count == 3
    assert {m.applied_tag for m in filtered.context["cl"].result_list} == {"dub"}


def test_the_filters_count_no_choices(admin_client: Client) -> None:
    MediaFactory.create_batch(2, instance=InstanceFactory())
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/scanner/media/?_facets=True")
    assert response.status_code == 200
    assert admin.site._registry[Media].show_facets == admin.ShowFacets.NEVER
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1  # the list's own total, none per filter choice


def test_a_filtered_list_is_counted_exactly_without_asking_for_an_estimate() -> None:
    MediaFactory.create_batch(2, instance=InstanceFactory(), applied_tag="dub")
    filtered = Media.objects.filter(applied_tag="dub")
    with CaptureQueriesContext(connection) as queries:
        assert estimated_rows(filtered) is None
    assert not queries.captured_queries
    assert EstimatedCountPaginator(filtered, 50).count == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's reltuples")
def test_a_large_unfiltered_table_is_counted_by_the_planners_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    MediaFactory.create_batch(4, instance=InstanceFactory())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Media._meta.db_table}")
    monkeypatch.setattr(estimated_count, "ESTIMATE_FROM", 1)  # "large" from one row
    with CaptureQueriesContext(connection) as queries:
        assert EstimatedCountPaginator(Media.objects.all(), 50).count == 4
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    assert "reltuples" in queries.captured_queries[0]["sql"]


def test_a_small_table_is_counted_exactly() -> None:
    MediaFactory.create_batch(3, instance=InstanceFactory())
    assert EstimatedCountPaginator(Media.objects.all(), 50).count == 3


def test_the_list_reads_none_of_the_columns_it_never_shows(admin_client: Client) -> None:
    MediaFactory.create_batch(3, instance=InstanceFactory(), arr_episodes=[{"id": 1}])
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/scanner/media/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3
    listed = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    assert listed and not any(column in sql for sql in listed for column in Media.LIST_DEFERRED)
