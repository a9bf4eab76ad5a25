"""The admin changelists' search (``?q=``) is bounded as the API's ``?search=`` is
(api/search.py): Django's ChangeList makes each word of it one more ``icontains``
condition on every search field (django/django django/contrib/admin/options.py,
``ModelAdmin.get_search_results``), so a long one is refused before any query."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import accounts.admin  # noqa: F401 - registers its admins (the URLconf does, later)
import web.admin  # noqa: F401
from scanner.validators import MAX_SEARCH_LENGTH

pytestmark = pytest.mark.django_db

SEARCHED = [
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for model, model_admin in admin.site._registry.items()
    if model_admin.search_fields
]
TOO_LONG = "ab " * (MAX_SEARCH_LENGTH // 3 + 1)


@pytest.mark.parametrize("path", SEARCHED)
def test_a_search_longer_than_the_bound_runs_no_query_and_says_why(
    admin_client: Client, path: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(path, {"q": TOO_LONG, "o": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{path}?o=1"  # the other parameters kept
    assert not [q["sql"] for q in queries if "LIKE" in q["sql"].upper()]
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert f"Search for at most {MAX_SEARCH_LENGTH} characters" in page.content.decode()


def test_a_search_within_the_bound_is_run(admin_client: Client) -> None:
    response = admin_client.get("/admin/scanner/media/", {"q": "x" * MAX_SEARCH_LENGTH})
    assert response.status_code == 200
    assert "Search for at most" not in response.content.decode()


def test_the_search_bound_covers_the_admins_that_search() -> None:
    assert "/admin/scanner/media/" in SEARCHED and len(SEARCHED) >= 10
