"""The API's ``?search=`` is bounded before any query: each word of the term is one more
condition on every search field, so an endless term would be endless work."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.search import MAX_SEARCH_LENGTH
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db

LISTS = ["/api/media/", "/api/instances/", "/api/events/", "/api/notifiers/", "/api/media-servers/"]


@pytest.mark.parametrize("url", LISTS)
def test_a_search_term_too_long_is_400(api: APIClient, url: str) -> None:
    response = api.get(url, {"search": "a " * 2048})
    assert response.status_code == 400
    assert response.json() == {"search": [f"Search for at most {MAX_SEARCH_LENGTH} characters."]}


def test_a_search_term_within_the_bound_searches(api: APIClient) -> None:
    MediaFactory(instance=InstanceFactory(name="tv"), title="Anime Half")
    MediaFactory(title="Other")
    term = "Anime " + " " * (MAX_SEARCH_LENGTH - len("Anime Half")) + "Half"
    assert len(term) == MAX_SEARCH_LENGTH
    response = api.get("/api/media/", {"search": term})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Anime Half"]


def test_the_schema_documents_the_bound(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    params = schema["paths"]["/api/media/"]["get"]["parameters"]
    (search,) = [param for param in params if param["name"] == "search"]
    assert search["schema"]["maxLength"] == MAX_SEARCH_LENGTH
