"""The Seerr endpoints: the key write-only, the test against the fake Overseerr listing
its users, a user linked to a person, the webhook settings only once the test passed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from fakes.seerr import FakeSeerr
from scanner.models import Event, Person, SeerrConnection, SeerrUser
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db
KEY = "c2VlcnItYXBpLWtleS0wMTIzNDU2Nzg5YWI="


@pytest.fixture
def seerr() -> Iterator[FakeSeerr]:
    with FakeSeerr(api_key=KEY, app="jellyseerr", version="2.5.2") as fake:
        fake.state.add_user("papa@example.org", username="papa")
        yield fake


def test_create_test_and_link_a_user(admin_user, seerr: FakeSeerr) -> None:
    api = APIClient()
    api.force_authenticate(admin_user)
    created = api.post(
        "/api/seerr-connections/", {"name": "jellyseerr", "url": seerr.url, "api_key": KEY}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert "api_key" not in body and body["api_key_hint"].endswith(KEY[-4:])
    assert body["webhook"] is None  # off until the test passed

    tested = api.post(f"/api/seerr-connections/{body['id']}/test/")
    assert tested.json() == {
        "ok": True,
        "text": "Connection test passed: Seerr 2.5.2, 2 users listed.",
        "users": 2,
    }
    webhook = api.get(f"/api/seerr-connections/{body['id']}/").json()["webhook"]
    assert webhook["authorization"] is None  # the token: shown once, when made
    assert webhook["url"].endswith("/api/webhooks/seerr/")
    assert "ISSUE_CREATED" in webhook["notification_types"]
    made = api.post(f"/api/seerr-connections/{body['id']}/webhook-token/")
    assert made.status_code == 200, made.content
    token = SeerrConnection.objects.get().get_webhook_token()
    assert made.json() == {**webhook, "authorization": f"Bearer {token}"}
    event = Event.objects.filter(kind=Event.Kind.SEERR).latest("pk")
    assert (event.data["what"], event.data["user"]) == ("seerr_new_token", admin_user.username)
    assert token not in event.message and token not in str(event.data)
    assert token not in api.get(f"/api/seerr-connections/{body['id']}/").content.decode()

    person = Person.objects.create(name="Papa", languages=["fr-CA"])
    papa = SeerrUser.objects.get(email="papa@example.org")
    linked = api.patch(f"/api/seerr-users/{papa.pk}/", {"person": person.pk, "email": "x@y.z"})
    assert linked.status_code == 200
    papa.refresh_from_db()
    assert (papa.person, papa.email) == (person, "papa@example.org")


def test_a_refused_key_is_told_not_raised(admin_user, seerr: FakeSeerr) -> None:
    api = APIClient()
    api.force_authenticate(admin_user)
    created = api.post(
        "/api/seerr-connections/", {"name": "s", "url": seerr.url, "api_key": "wrong-key-000000"}
    )
    tested = api.post(f"/api/seerr-connections/{created.json()['id']}/test/")
    assert tested.status_code == 200
    assert tested.json()["ok"] is False
    assert not SeerrUser.objects.exists()


@pytest.mark.parametrize(
    ("app", "version", "ok"),
    [
        ("overseerr", "1.32.5", False),
        ("overseerr", "1.33.0", True),
        ("overseerr", "develop-46a9b244", True),
        ("jellyseerr", "1.0.2", False),  # v1.0.2 has no server/routes/issue.ts
        ("jellyseerr", "1.1.0", True),  # the first with it ("feat: issues")
    ],
)
def test_a_seerr_older_than_the_routes_used_is_refused(
    admin_user, app: str, version: str, ok: bool
) -> None:
    """GET /api/v1/status gives the version to anyone (routes/index.ts, getAppVersion:
    develop-<commit> outside a release); /settings/public tells Jellyseerr (its
    fullPublicSettings has mediaServerType) from Overseerr (PublicSettingsResponse)."""
    with FakeSeerr(api_key=KEY, app=app, version=version) as fake:
        api = APIClient()
        api.force_authenticate(admin_user)
        created = api.post(
            "/api/seerr-connections/", {"name": "s", "url": fake.url, "api_key": KEY}
        )
        tested = api.post(
            f"/api/seerr-connections/{created.json()['id']}/test/",
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert tested.status_code == 200
    assert tested.json()["ok"] is ok
    assert SeerrUser.objects.exists() is ok
    if not ok:
        name = app.capitalize()
        minimum = "1.33.0" if app == "overseerr" else "1.1.0"
        assert tested.json()["text"] == (
            f"Échec du test de connexion\u00a0: {name} {version} est trop ancien\u202f; "
            f"Taggarr nécessite {name} {minimum} ou une version ultérieure."
        )


def test_a_connection_serves_every_instance_unless_told_which(admin_user) -> None:
    """Issue 79: a connection belongs to the instances it serves; a new one, every one."""
    movies, films_4k = InstanceFactory(kind="radarr"), InstanceFactory(kind="radarr")
    api = APIClient()
    api.force_authenticate(admin_user)
    every = api.post(
        "/api/seerr-connections/", {"name": "a", "url": "http://a:5055", "api_key": KEY}
    )
    assert (every.status_code, sorted(every.json()["instances"])) == (
        201,
        sorted([movies.pk, films_4k.pk]),
    )
    one = api.post(
        "/api/seerr-connections/",
        {"name": "b", "url": "http://b:5055", "api_key": KEY, "instances": [films_4k.pk]},
        format="json",
    )
    assert (one.status_code, one.json()["instances"]) == (201, [films_4k.pk])
    changed = api.patch(
        f"/api/seerr-connections/{one.json()['id']}/", {"instances": [movies.pk]}, format="json"
    )
    assert changed.json()["instances"] == [movies.pk]
    unknown = api.patch(
        f"/api/seerr-connections/{one.json()['id']}/", {"instances": [99999]}, format="json"
    )
    assert unknown.status_code == 400 and "instances" in unknown.json()
