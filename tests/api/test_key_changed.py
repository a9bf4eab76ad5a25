"""A secret saved with another TAGGARR_ENCRYPTION_KEY spoils only its own row: the API's
lists and details and the admin's pages answer for every other row, that row shows the
secret as "key changed: enter it again", a person enters it again and saves, and a scan
of that instance fails with that reason (no traceback)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from scanner.models import Instance, MediaServer, ScanRun
from scanner.models.secrets import KEY_CHANGED
from tests.factories import InstanceFactory, NotifierFactory

pytestmark = pytest.mark.django_db

ANOTHER_KEY = "another-key-entirely-" + "y" * 32
KEY = "0123456789abcdef0123456789abcdef"


@contextmanager
def _another_key(settings) -> Iterator[None]:
    """Rows saved meanwhile are encrypted with another key (another host's, or a key
    generated again): this process cannot decrypt them afterwards."""
    kept = settings.TAGGARR_ENCRYPTION_KEY
    settings.TAGGARR_ENCRYPTION_KEY = ANOTHER_KEY
    try:
        yield
    finally:
        settings.TAGGARR_ENCRYPTION_KEY = kept


@pytest.fixture
def rows(settings) -> dict[str, object]:
    good = InstanceFactory(name="good", api_key=KEY)
    with _another_key(settings):
        lost = InstanceFactory(name="lost", api_key=KEY)  # its webhook token too
        server = MediaServer(name="jf", url="http://jellyfin:8096")
        server.set_token("0123456789abcdef0123")
        server.save()
        notifier = NotifierFactory(name="lost-notifier", url="ntfy://abcdefghijklmnop/topic")
    NotifierFactory(name="good-notifier", url="ntfy://qrstuvwxyzabcdef/topic")
    return {"good": good, "lost": lost, "server": server, "notifier": notifier}


def _by_name(rows: list[dict]) -> dict[str, dict]:
    return {row["name"]: row for row in rows}


def _results(response) -> list[dict]:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_the_instances_list_and_detail_answer_and_show_the_lost_key(api: APIClient, rows) -> None:
    listing = api.get("/api/instances/")
    assert listing.status_code == 200, listing.content
    found = _by_name(_results(listing))
    assert found["good"]["api_key_hint"] == "****cdef"
    assert found["lost"]["api_key_hint"] == KEY_CHANGED == "key changed: enter it again"
    # A webhook URL is shown once, when made: a new one replaces a token the key lost.
    assert found["good"]["webhook_url"] is None and found["lost"]["webhook_url"] is None
    detail = api.get(f"/api/instances/{rows['lost'].pk}/")
    assert detail.status_code == 200
    assert detail.json()["api_key_hint"] == KEY_CHANGED
    renewed = api.post(f"/api/instances/{rows['lost'].pk}/webhook-url/")
    assert renewed.status_code == 200, renewed.content
    assert renewed.json()["webhook_url"].startswith("http://testserver/api/webhooks/")


def test_media_servers_and_notifiers_show_the_lost_secret(api: APIClient, rows) -> None:
    servers = api.get("/api/media-servers/")
    assert servers.status_code == 200, servers.content
    assert _by_name(_results(servers))["jf"]["token_hint"] == KEY_CHANGED
    notifiers = api.get("/api/notifiers/")
    assert notifiers.status_code == 200, notifiers.content
    found = _by_name(_results(notifiers))
    assert found["lost-notifier"]["url_hint"] == KEY_CHANGED
    assert found["good-notifier"]["url_hint"].startswith("ntfy://****")
    detail = api.get(f"/api/notifiers/{rows['notifier'].pk}/")
    assert (detail.status_code, detail.json()["url_hint"]) == (200, KEY_CHANGED)


def test_a_key_entered_again_through_the_api_is_readable(api: APIClient, rows) -> None:
    response = api.patch(f"/api/instances/{rows['lost'].pk}/", {"api_key": KEY}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["api_key_hint"] == "****cdef"
    assert Instance.objects.get(pk=rows["lost"].pk).get_api_key() == KEY


@pytest.mark.parametrize(
    "page",
    [
        "/admin/scanner/instance/",
        "/admin/scanner/instance/{lost}/change/",
        "/admin/scanner/mediaserver/",
        "/admin/scanner/mediaserver/{server}/change/",
        "/admin/scanner/notifier/",
        "/admin/scanner/notifier/{notifier}/change/",
    ],
)
def test_the_admin_pages_answer_and_say_the_key_changed(
    admin_client: Client, rows, page: str
) -> None:
    ids = {name: row.pk for name, row in rows.items()}
    response = admin_client.get(page.format(**ids))
    assert response.status_code == 200
    assert KEY_CHANGED in response.content.decode()


def test_the_key_entered_again_in_the_admin_is_saved(admin_client: Client, rows) -> None:
    lost = rows["lost"]
    url = f"/admin/scanner/instance/{lost.pk}/change/"
    data = {
        "name": "lost", "kind": "sonarr", "library_content": "series", "enabled": "on",
        "url": "http://127.0.0.1:1", "api_key": KEY, "connect_timeout": "5",
        "read_timeout": "30", "root_folders": "/media/tv", "path_mappings": "",
        "target_languages": "en", "allowed_extra_languages": "", "original_language": "",
        "tag_dub": "dub", "tag_semi_dub": "semi-dub", "tag_wrong_dub": "wrong-dub",
        "unknown_first_track": "original", "identify_audio_language": "off",
        "audio_source": "auto", "summary_tags": "on",
        "genre_filter": "", "write_nfo": "on", "scan_interval_minutes": "360",
        "search_daily_limit": "20", "search_interval_days": "7", "lost_dub_action": "tell",
        "default_tracks": "off", "wish_profiles": "off", "badges": "off",
        "badges_corner": "top-left", "badges_size": "medium", "badges_look": "words",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Instance.objects.get(pk=lost.pk).get_api_key() == KEY


def test_a_scan_of_that_instance_fails_with_the_reason(rows) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as ended:
        call_command("scan", "--inline", "--instance", "lost", stdout=StringIO(), stderr=err)
    assert ended.value.code == 1
    run = ScanRun.objects.get(instance=rows["lost"])
    assert run.status == ScanRun.Status.FAILED
    assert KEY_CHANGED in run.error and "the API key of instance 'lost'" in run.error
    assert "Traceback" not in run.error
