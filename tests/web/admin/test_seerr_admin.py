"""The Seerr connection's admin page: "Test connection" against the fake Overseerr lists
its users (each then linked to a person), and the Webhook agent's settings are shown only
once the test passed (the feature is off until then)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from fakes.seerr import FakeSeerr
from scanner.models import Person, SeerrConnection, SeerrUser
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db
KEY = "c2VlcnItYWRtaW4ta2V5LTAxMjM0NTY3ODk="


@pytest.fixture
def seerr() -> Iterator[FakeSeerr]:
    with FakeSeerr(api_key=KEY, version="1.33.2") as fake:
        fake.state.add_user("papa@example.org", username="papa")
        yield fake


def test_the_test_lists_users_and_shows_the_webhook_settings(
    admin_client: Client, seerr: FakeSeerr
) -> None:
    added = admin_client.post(
        "/admin/scanner/seerrconnection/add/",
        {
            "name": "overseerr",
            "url": seerr.url,
            "api_key": KEY,
            "enabled": "on",
            "users-TOTAL_FORMS": "0",
            "users-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 302, added.content[:2000]
    connection = SeerrConnection.objects.get()
    page = admin_client.get(f"/admin/scanner/seerrconnection/{connection.pk}/change/")
    assert b"seerr-webhook-url" not in page.content
    assert connection.get_webhook_token().encode() not in page.content

    tested = admin_client.post(
        f"/admin/scanner/seerrconnection/{connection.pk}/test-connection/", follow=True
    )
    assert "Connection test passed: Seerr 1.33.2, 2 users listed." in tested.content.decode()
    page = admin_client.get(f"/admin/scanner/seerrconnection/{connection.pk}/change/")
    text = page.content.decode()
    token = connection.get_webhook_token()
    assert token not in text  # shown once, when made (README, "Security")
    assert f"Bearer ****{token[-4:]}" in text and 'id="new-webhook-token"' in text
    assert "/api/webhooks/seerr/" in text and "{{media_tmdbid}}" in text
    assert KEY not in text  # the API key is write-only
    made = admin_client.post(f"/admin/scanner/seerrconnection/{connection.pk}/webhook-token/")
    connection.refresh_from_db()
    assert f'value="Bearer {connection.get_webhook_token()}"' in made.content.decode()
    assert connection.get_webhook_token() != token

    person = Person.objects.create(name="Papa", languages=["fr-CA"])
    papa = SeerrUser.objects.get(email="papa@example.org")
    linked = admin_client.post(f"/admin/scanner/seerruser/{papa.pk}/change/", {"person": person.pk})
    assert linked.status_code == 302
    assert SeerrUser.objects.get(pk=papa.pk).person == person


def test_a_new_connection_serves_every_instance_ticked_and_keeps_what_is_ticked(
    admin_client: Client, seerr: FakeSeerr
) -> None:
    """Issue 79: the instances it serves, every one ticked on a new connection's page."""
    movies, shows = InstanceFactory(kind="radarr"), InstanceFactory(kind="sonarr")
    page = admin_client.get("/admin/scanner/seerrconnection/add/").content.decode()
    for instance in (movies, shows):
        assert re.search(rf'<input[^>]*value="{instance.pk}"[^>]*checked', page), instance
    added = admin_client.post(
        "/admin/scanner/seerrconnection/add/",
        {
            "name": "overseerr",
            "url": seerr.url,
            "api_key": KEY,
            "enabled": "on",
            "instances": [str(shows.pk)],
            "users-TOTAL_FORMS": "0",
            "users-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 302, added.content[:2000]
    assert list(SeerrConnection.objects.get().instances.all()) == [shows]
