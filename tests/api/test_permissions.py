"""The API asks a staff user for the model permissions the admin asks him for: by token
he can do no more (and no less) than in the admin."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from scanner.models import Instance, Media
from tests.factories import InstanceFactory, MediaFactory, NotifierFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def _client_of(*codenames: str) -> tuple[APIClient, User]:
    """A token client of a new staff user with exactly these permissions."""
    user = User.objects.create_user(f"op-{uuid.uuid4().hex[:8]}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, 'tests')[1]}")
    return client, user


NEW_INSTANCE = {
    "name": "tv",
    "kind": "sonarr",
    "url": "http://sonarr:8989",
    "api_key": "0123456789abcdef0123456789abcdef",
}
# (what, the permission the admin asks for it, the request)
Request = Callable[[APIClient], object]
CASES: list[tuple[str, str, Request]] = [
    ("list instances", "view_instance", lambda c: c.get("/api/instances/")),
    ("read an instance", "view_instance", lambda c: c.get(f"/api/instances/{_instance()}/")),
    (
        "change an instance",
        "change_instance",
        lambda c: c.patch(f"/api/instances/{_instance()}/", {"dry_run": True}, format="json"),
    ),
    (
        "add an instance",
        "add_instance",
        lambda c: c.post("/api/instances/", NEW_INSTANCE, format="json"),
    ),
    ("delete an instance", "delete_instance", lambda c: c.delete(f"/api/instances/{_instance()}/")),
    ("list media", "view_media", lambda c: c.get("/api/media/")),
    (
        "set an original language",
        "change_media",
        lambda c: c.patch(f"/api/media/{MediaFactory().pk}/", {"original_override": "ja"}),
    ),
    ("list scans", "view_scanrun", lambda c: c.get("/api/scans/")),
    ("start a scan", "change_instance", lambda c: c.post("/api/scans/", {"instance": _instance()})),
    (
        "cancel a scan",
        "change_instance",
        lambda c: c.post(f"/api/scans/{ScanRunFactory(status='running').pk}/cancel/"),
    ),
    ("list events", "view_event", lambda c: c.get("/api/events/")),
    ("list notifiers", "view_notifier", lambda c: c.get("/api/notifiers/")),
    (
        "send a test message",
        "change_notifier",
        lambda c: c.post(f"/api/notifiers/{NotifierFactory().pk}/test/"),
    ),
    ("list media servers", "view_mediaserver", lambda c: c.get("/api/media-servers/")),
]
IDS = [case[0] for case in CASES]


def _instance() -> int:
    return InstanceFactory().pk


@pytest.mark.parametrize(("what", "permission", "request_"), CASES, ids=IDS)
def test_a_staff_user_without_the_permission_is_refused(what, permission, request_) -> None:
    others = [p for p in ("view_instance", "view_media", "add_media") if p != permission]
    client, _user = _client_of(*others)  # some permissions, none that grants this
    response = request_(client)
    assert response.status_code == 403, (what, response.content)


@pytest.mark.parametrize(("what", "permission", "request_"), CASES, ids=IDS)
def test_the_permission_the_admin_asks_for_is_enough(what, permission, request_, sent_work) -> None:
    client, _user = _client_of(permission)
    response = request_(client)
    assert response.status_code in (200, 201, 202, 204), (what, response.content)


def test_change_lets_read_as_in_the_admin() -> None:
    client, _user = _client_of("change_instance")
    assert client.get("/api/instances/").status_code == 200


def test_what_the_admin_refuses_the_api_refuses_too() -> None:
    """The issue's case: a staff user without any permission changed instances by token."""
    instance = InstanceFactory(dry_run=False)
    client, user = _client_of()
    admin = Client()
    admin.force_login(user)
    assert admin.get(f"/admin/scanner/instance/{instance.pk}/change/").status_code == 403
    response = client.patch(f"/api/instances/{instance.pk}/", {"dry_run": True}, format="json")
    assert response.status_code == 403
    assert Instance.objects.get(pk=instance.pk).dry_run is False
    media = MediaFactory()
    assert client.patch(f"/api/media/{media.pk}/", {"original_override": "ja"}).status_code == 403
    assert Media.objects.get(pk=media.pk).original_override == ""


def test_every_staff_user_reads_the_stats_as_the_dashboard() -> None:
    client, _user = _client_of()
    assert client.get("/api/stats/").status_code == 200
    assert client.get("/api/").status_code == 200  # the index of the endpoints
