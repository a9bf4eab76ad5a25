"""The instance form a new user fills in: what was typed survives an error, Sonarr and
Radarr say themselves what they hold, the choices come from the *arr, and a change of
the targets says that a dry run shows its effect."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings

from fakes.arr import FakeArr
from scanner.models import Event, Instance
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY
from tests.web.admin.test_instance_admin import ADD_URL, _form

pytestmark = pytest.mark.django_db

CHOICES_URL = "/admin/scanner/instance/arr-choices/"


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_a_validation_error_keeps_the_typed_api_key(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form(target_languages="klingon-ish"))
    assert response.status_code == 200  # the form again, with its error
    html = response.content.decode()
    assert 'name="api_key"' in html and f'value="{ARR_KEY}"' in html


def test_a_saved_key_is_never_put_back_in_the_form(admin_client: Client) -> None:
    instance = InstanceFactory()
    html = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert "0123456789abcdef0123456789abcdef" not in html


def test_sonarr_and_radarr_hold_what_their_kind_says(admin_client: Client) -> None:
    admin_client.post(ADD_URL, _form(kind="radarr", library_content="series"))
    radarr = Instance.objects.get(name="tv")
    assert radarr.library_content == "movies"
    html = admin_client.get(f"/admin/scanner/instance/{radarr.pk}/change/").content.decode()
    assert "field-library_content" not in html  # a saved *arr has no such choice
    assert "Only plan, never write" in html  # the setting, not the Dry run button


def test_the_arr_offers_its_folders_languages_and_tags(
    admin_client: Client, sonarr: FakeArr
) -> None:
    sonarr.state.set_tags([{"id": 1, "label": "anime"}])
    answer = admin_client.post(
        CHOICES_URL, {"kind": "sonarr", "url": sonarr.url, "api_key": ARR_KEY}
    ).json()
    assert answer["root_folders"] and all(not p.endswith("/") for p in answer["root_folders"])
    # The codes the field's hint shows ("e.g. en, de"), named in the reader's language.
    assert {"code": "en", "name": "English"} in answer["languages"]
    assert {"code": "ja", "name": "Japanese"} in answer["languages"]
    # A language naming a variety is offered as that variety (a regional target).
    assert {"code": "pt-BR", "name": "Brazilian Portuguese"} in answer["languages"]
    assert not any(lang["name"] in ("Any", "Original", "Unknown") for lang in answer["languages"])
    assert answer["tags"] == ["anime"]


def test_a_saved_instance_asks_with_its_stored_key(admin_client: Client, sonarr: FakeArr) -> None:
    instance = InstanceFactory(url=sonarr.url, api_key=ARR_KEY)
    answer = admin_client.post(
        CHOICES_URL, {"kind": "sonarr", "url": sonarr.url, "object_id": instance.pk}
    ).json()
    assert answer["root_folders"]


def test_a_wrong_key_is_said_not_raised(admin_client: Client, sonarr: FakeArr) -> None:
    response = admin_client.post(
        CHOICES_URL, {"kind": "sonarr", "url": sonarr.url, "api_key": "x" * 32}
    )
    # The reason, in a 200: a wrong key is the user's input, not a server error.
    assert response.status_code == 200 and "error" in response.json()
    assert ARR_KEY not in response.content.decode()
    # Named by its address, not by an internal name ("Sonarr 'form' at ...").
    assert response.json()["error"].startswith(f"Sonarr at {sonarr.url}"), response.json()
    assert "'form'" not in response.json()["error"]


def test_changed_targets_lead_to_a_dry_run(admin_client: Client) -> None:
    admin_client.post(ADD_URL, _form())
    instance = Instance.objects.get(name="tv")
    MediaFactory(instance=instance)
    ScanRunFactory(instance=instance, status="succeeded")
    page = f"/admin/scanner/instance/{instance.pk}/change/"
    response = admin_client.post(page, _form(target_languages="en, fr", api_key=""))
    assert response.status_code == 302 and response["Location"] == page
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert len(warnings) == 1 and "Start a Dry run to review the new tags" in warnings[0]
    html = admin_client.get(page).content.decode()
    assert 'id="decided-again"' in html
    assert 'taggarr-primary" id="dry-run"' in html
    event = Event.objects.filter(instance=instance, kind="config").latest("created_at")
    assert event.data["changes"]["target_languages"] == [["eng", "deu"], ["eng", "fra"]]
    assert event.data["decides_again"] is True
    assert "api_key" not in event.data.get("changes", {})


def test_other_changes_go_back_to_the_list(admin_client: Client) -> None:
    admin_client.post(ADD_URL, _form())
    instance = Instance.objects.get(name="tv")
    MediaFactory(instance=instance)
    page = f"/admin/scanner/instance/{instance.pk}/change/"
    response = admin_client.post(page, _form(read_timeout="40", api_key=""))
    assert response["Location"] == "/admin/scanner/instance/"


def test_no_scan_is_offered_after_a_failed_connection_test(admin_client: Client) -> None:
    instance = InstanceFactory(url="http://127.0.0.1:9")  # nothing listens there
    page = f"/admin/scanner/instance/{instance.pk}/change/"
    assert 'id="scan-now"' in admin_client.get(page).content.decode()
    admin_client.post(f"/admin/scanner/instance/{instance.pk}/test-connection/")
    html = admin_client.get(page).content.decode()
    # One sentence whatever the socket said (here: refused), so no host is mapped.
    assert 'id="connection-problem"' in html and "did not answer" in html
    assert 'id="scan-now"' not in html and 'id="dry-run"' not in html
    assert 'taggarr-primary" id="test-connection"' in html


@override_settings(LISTEN_MODEL="/nowhere/whisper")
def test_the_admin_says_what_the_workers_found_not_what_this_server_can(
    admin_client: Client,
) -> None:
    """The workers listen, not the web process: the warning is the last scan's."""
    instance = InstanceFactory(identify_audio_language="unlabelled")
    url = f"/admin/scanner/instance/{instance.pk}/change/"
    assert "Scans go on with the labels." not in admin_client.get(url).content.decode()
    run = ScanRunFactory(
        instance=instance, status="succeeded", tracks_to_hear=3, tracks_unheard=3,
        unheard_reason="no_extra",
    )  # fmt: skip
    html = admin_client.get(url).content.decode()
    assert (
        f"At the last scan (#{run.pk}), listening was on, but the listening extra is not "
        "installed on the worker; 3 audio tracks not heard. Scans go on with the labels."
    ) in html
