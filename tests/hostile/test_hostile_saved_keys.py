"""A saved key goes only to its own server (issue 59): every path that could send a
saved instance's API key or a media server's token to an address a request gives,
tried by a staff user of each permission set (view only, add only, change). The
attacker's server is a real one (fakes.hostile) that records the headers it got.

Notifiers have no such path: their secret is the URL itself, so a new address is a new
secret (nothing saved is kept for it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from fakes.arr import FakeArr
from fakes.hostile import HostileServer
from fakes.jellyfin import FakeJellyfin
from scanner.actions.saved_keys import SAVED_KEY_USED
from scanner.models import Event, Instance, MediaServer
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, SERVER_TOKEN
from tests.web.admin.test_instance_admin import _form as instance_form
from tests.web.admin.test_media_server_admin import _form as server_form

pytestmark = pytest.mark.django_db

CHOICES_URL = "/admin/scanner/instance/arr-choices/"
VIEW, ADD, CHANGE = "view", "add", "change"
PERMISSION_SETS = (VIEW, ADD, CHANGE)


def _user(permission: str, model: str) -> User:
    user = User.objects.create_user(f"op-{uuid.uuid4().hex[:8]}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename=f"{permission}_{model}"))
    return user


def _admin(permission: str, model: str = "instance") -> Client:
    client = Client()
    client.force_login(_user(permission, model))
    return client


def _api(permission: str, model: str = "instance") -> APIClient:
    client = APIClient()
    token = ApiToken.issue(_user(permission, model), "tests")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def evil() -> Iterator[HostileServer]:
    """Someone's own server: it answers every request with a small JSON object."""
    with HostileServer(default="object_for_list") as server:
        yield server


def _keys_seen(server: HostileServer) -> list[str]:
    return [
        value
        for _path, headers in server.seen
        for name, value in headers.items()
        if name.lower() in ("x-api-key", "x-emby-token", "x-plex-token", "authorization")
    ]


def _saved_key_events(instance: Instance) -> list[Event]:
    return [e for e in Event.objects.filter(instance=instance) if SAVED_KEY_USED in e.data]


# --- the instance form's "Test the connection" (the *arr's choices) --------------------


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_the_forms_test_never_sends_a_saved_key_to_another_address(
    permission: str, empty_sonarr: FakeArr, evil: HostileServer
) -> None:
    """The probe's case: object_id of a saved instance, no key, the user's own URL."""
    instance = InstanceFactory(url=empty_sonarr.url, api_key=ARR_KEY)
    response = _admin(permission).post(
        CHOICES_URL, {"kind": "sonarr", "url": evil.url, "object_id": instance.pk}
    )
    assert evil.seen == [] and _keys_seen(evil) == []
    assert ARR_KEY.encode() not in response.content
    if permission == VIEW:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert "enter" in response.json()["error"].lower()
    assert _saved_key_events(instance) == []


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_the_forms_test_uses_a_saved_key_at_its_address_only_for_who_may_change_it(
    permission: str, empty_sonarr: FakeArr
) -> None:
    instance = InstanceFactory(url=empty_sonarr.url, api_key=ARR_KEY)
    client = _admin(permission)
    # The address as typed may differ in case and a trailing slash (clean_arr_url).
    typed = empty_sonarr.url.replace("http://", "HTTP://") + "/"
    response = client.post(CHOICES_URL, {"kind": "sonarr", "url": typed, "object_id": instance.pk})
    if permission != CHANGE:
        assert response.status_code in (200, 403)
        assert empty_sonarr.state.total_requests() == 0
        assert _saved_key_events(instance) == []
        return
    assert "root_folders" in response.json(), response.json()
    [event] = _saved_key_events(instance)
    user = response.wsgi_request.user.get_username()
    assert event.kind == Event.Kind.CONFIG and event.data["user"] == user
    assert ARR_KEY not in event.message and ARR_KEY not in str(event.data)


def test_a_typed_key_still_goes_to_the_typed_address(evil: HostileServer) -> None:
    """Adding an instance: the key typed is the user's own, sent where he says."""
    answer = _admin(ADD).post(CHOICES_URL, {"kind": "sonarr", "url": evil.url, "api_key": ARR_KEY})
    assert answer.status_code == 200 and set(_keys_seen(evil)) == {ARR_KEY}


# --- saving a new address keeps no saved key -------------------------------------------


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_the_instance_form_asks_for_the_key_again_for_a_new_address(
    permission: str, evil: HostileServer
) -> None:
    instance = InstanceFactory(name="tv", url="http://sonarr:8989", api_key=ARR_KEY)
    response = _admin(permission).post(
        f"/admin/scanner/instance/{instance.pk}/change/",
        instance_form(url=evil.url, api_key=""),
    )
    assert Instance.objects.get(pk=instance.pk).url == "http://sonarr:8989"
    if permission != CHANGE:
        assert response.status_code == 403
        return
    assert response.status_code == 200  # the form again
    errors = response.context["adminform"].form.errors
    assert "saved" in str(errors["api_key"])
    # Typed again, the new address is saved with the key typed.
    typed = _admin(CHANGE).post(
        f"/admin/scanner/instance/{instance.pk}/change/", instance_form(url=evil.url)
    )
    assert typed.status_code == 302
    assert Instance.objects.get(pk=instance.pk).url == evil.url


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_the_api_asks_for_the_key_again_for_a_new_address(
    permission: str, evil: HostileServer
) -> None:
    instance = InstanceFactory(url="http://sonarr:8989", api_key=ARR_KEY)
    url = f"/api/instances/{instance.pk}/"
    response = _api(permission).patch(url, {"url": evil.url}, format="json")
    assert Instance.objects.get(pk=instance.pk).url == "http://sonarr:8989"
    if permission != CHANGE:
        assert response.status_code == 403
        return
    assert response.status_code == 400 and "api_key" in response.json()
    same = _api(CHANGE).patch(url, {"url": "HTTP://Sonarr:8989/"}, format="json")
    assert same.status_code == 200  # the same address, spelt otherwise: the key stays


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_the_media_server_api_asks_for_the_token_again_for_a_new_address(
    permission: str, evil: HostileServer
) -> None:
    server = MediaServer(name="jf", url="http://jellyfin:8096")
    server.set_token(SERVER_TOKEN)
    server.save()
    response = _api(permission, "mediaserver").patch(
        f"/api/media-servers/{server.pk}/", {"url": evil.url}, format="json"
    )
    assert MediaServer.objects.get(pk=server.pk).url == "http://jellyfin:8096"
    if permission != CHANGE:
        assert response.status_code == 403
        return
    assert response.status_code == 400 and "token" in response.json()


def test_the_media_server_form_asks_for_the_token_again_for_a_new_address(
    evil: HostileServer,
) -> None:
    server = MediaServer(name="jf", url="http://jellyfin:8096", kind="jellyfin")
    server.set_token(SERVER_TOKEN)
    server.save()
    response = _admin(CHANGE, "mediaserver").post(
        f"/admin/scanner/mediaserver/{server.pk}/change/", server_form(url=evil.url)
    )
    assert response.status_code == 200
    assert "token" in response.context["adminform"].form.errors
    assert MediaServer.objects.get(pk=server.pk).url == "http://jellyfin:8096"


# --- a saved object's connection test sends its key: change permission ------------------


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_an_instances_connection_test_needs_change(permission: str, empty_sonarr: FakeArr) -> None:
    instance = InstanceFactory(url=empty_sonarr.url, api_key=ARR_KEY)
    page = _admin(permission).get(f"/admin/scanner/instance/{instance.pk}/change/")
    if permission != ADD:  # add alone cannot open a saved instance
        assert (b'id="test-connection"' in page.content) is (permission == CHANGE)
    button = _admin(permission).post(f"/admin/scanner/instance/{instance.pk}/test-connection/")
    api = _api(permission).post(f"/api/instances/{instance.pk}/test/")
    if permission == CHANGE:
        assert (button.status_code, api.status_code) == (302, 200)
        assert empty_sonarr.state.total_requests() > 0
    else:
        assert (button.status_code, api.status_code) == (403, 403)
        assert empty_sonarr.state.total_requests() == 0


@pytest.mark.parametrize("permission", PERMISSION_SETS)
def test_a_media_servers_connection_test_needs_change(permission: str) -> None:
    with FakeJellyfin(token=SERVER_TOKEN) as fake:
        server = MediaServer(name="jf", url=fake.url)
        server.set_token(SERVER_TOKEN)
        server.save()
        button = _admin(permission, "mediaserver").post(
            f"/admin/scanner/mediaserver/{server.pk}/test-connection/"
        )
        api = _api(permission, "mediaserver").post(f"/api/media-servers/{server.pk}/test/")
    expected = (302, 200) if permission == CHANGE else (403, 403)
    assert (button.status_code, api.status_code) == expected
