"""The Instance admin: write-only key, webhook URL, and the actions that say what they did."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fakes.arr import FakeArr
from fakes.arr.profiles import quality_profile
from scanner.models import Event, Instance, ScanRun
from tests.factories import EventFactory, InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY, PASSWORD, has_nested_forms

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/scanner/instance/add/"


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "tv",
        "kind": "sonarr",
        "library_content": "series",
        "enabled": "on",
        "url": "http://127.0.0.1:1",
        "api_key": ARR_KEY,
        "connect_timeout": "5",
        "read_timeout": "30",
        "root_folders": "/media/tv\n/media/anime",
        "path_mappings": "/tv => /media/tv",
        "target_languages": "en, de",
        "allowed_extra_languages": "",
        "original_language": "",
        "tag_dub": "dub",
        "tag_semi_dub": "semi-dub",
        "tag_wrong_dub": "wrong-dub",
        "unknown_first_track": "original",
        "identify_audio_language": "off",
        "audio_source": "auto",
        "summary_tags": "on",
        "genre_filter": "",
        "write_nfo": "on",
        "scan_interval_minutes": "360",
        "search_daily_limit": "20",
        "search_interval_days": "7",
        "lost_dub_action": "tell",
        "default_tracks": "off",
        "wish_profiles": "off",
        "badges": "off",
        "badges_corner": "top-left",
        "badges_size": "medium",
        "badges_look": "words",
        **changes,
    }


def _messages(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_add_and_the_key_is_never_shown(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, _form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    instance = Instance.objects.get(name="tv")
    assert instance.get_api_key() == ARR_KEY
    assert instance.target_languages == ["eng", "deu"]
    assert instance.path_mappings == [{"remote": "/tv", "local": "/media/tv"}]
    event = Event.objects.get(kind=Event.Kind.CONFIG)
    assert "created by admin" in event.message
    change = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/")
    listing = admin_client.get("/admin/scanner/instance/")
    for page in (change, listing):
        assert ARR_KEY.encode() not in page.content
    assert f"Saved: ****{ARR_KEY[-4:]}" in change.content.decode()


def test_add_validation_names_the_field(admin_client: Client) -> None:
    response = admin_client.post(
        ADD_URL, _form(target_languages="klingonese", api_key="", read_timeout="99999")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "klingonese" in str(errors["target_languages"])
    assert "API key" in str(errors["api_key"])
    assert "3600" in str(errors["read_timeout"])
    assert not Instance.objects.exists()


def test_change_page_shows_webhook_url_hint_and_buttons(admin_client: Client) -> None:
    instance = InstanceFactory()
    html = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    token = instance.get_webhook_token()
    assert token not in html  # shown once, when made (README, "Security")
    assert f"http://testserver/api/webhooks/****{token[-4:]}/" in html
    for button in ("scan-now", "dry-run", "test-connection", "new-webhook-url"):
        assert f'id="{button}"' in html
    assert not has_nested_forms(html)


def test_a_new_webhook_url_is_shown_once_and_the_old_one_stops(admin_client: Client) -> None:
    instance = InstanceFactory()
    old = instance.get_webhook_token()
    page = admin_client.post(f"/admin/scanner/instance/{instance.pk}/webhook-url/")
    assert page.status_code == 200
    instance.refresh_from_db()
    new = instance.get_webhook_token()
    html = page.content.decode()
    assert f'value="http://testserver/api/webhooks/{new}/"' in html
    assert 'data-copy-target="shown-once"' in html and "/static/taggarr/copy.js" in html
    assert admin_client.post(f"/api/webhooks/{old}/", {}).status_code == 401
    event = Event.objects.filter(instance=instance).latest("pk")
    assert (event.data["fields"], event.data["via"]) == (["webhook_token"], "admin")
    assert new not in event.message
    again = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/")
    assert new not in again.content.decode()


def test_a_viewer_sees_no_button_to_make_a_webhook_url(client: Client) -> None:
    instance = InstanceFactory()
    viewer = User.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_instance"))
    client.force_login(viewer)
    html = client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert 'id="new-webhook-url"' not in html and "****" in html
    assert client.post(f"/admin/scanner/instance/{instance.pk}/webhook-url/").status_code == 403


def test_scan_now_button_queues_a_scan_and_shows_its_progress(admin_client: Client) -> None:
    instance = InstanceFactory(dry_run=False)
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/scan/")
    run = ScanRun.objects.get(instance=instance)
    assert (run.trigger, run.dry_run, run.status) == ("manual", False, "queued")
    assert response["Location"] == f"/admin/scanner/scanrun/{run.pk}/change/"
    link = f'<a href="/admin/scanner/scanrun/{run.pk}/change/">Scan #{run.pk}</a>'
    assert _messages(response) == [("success", f"{link} of {instance.name} queued.")]


def test_dry_run_button(admin_client: Client) -> None:
    instance = InstanceFactory(dry_run=False)
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/dry-run/")
    run = ScanRun.objects.get(instance=instance)
    assert run.dry_run is True
    assert f"Dry run #{run.pk}</a> of {instance.name} queued." in _messages(response)[0][1]


def test_a_new_instance_says_it_waits_for_its_first_scan_until_one_starts(
    admin_client: Client,
) -> None:
    assert "writes nothing" in admin_client.get(ADD_URL).content.decode()
    assert admin_client.post(ADD_URL, _form()).status_code == 302
    instance = Instance.objects.get(name="tv")
    assert instance.waits_for_first_scan and instance.next_scan_at is None
    page = f"/admin/scanner/instance/{instance.pk}/change/"
    assert 'id="first-scan-notice"' in admin_client.get(page).content.decode()
    admin_client.post(f"/admin/scanner/instance/{instance.pk}/dry-run/")
    instance.refresh_from_db()
    assert not instance.waits_for_first_scan
    assert instance.next_scan_at > timezone.now() + timedelta(minutes=359)
    assert 'id="first-scan-notice"' not in admin_client.get(page).content.decode()


def test_scan_now_while_active_says_so(admin_client: Client) -> None:
    instance = InstanceFactory()
    active = ScanRunFactory(instance=instance, status="running")
    response = admin_client.post(f"/admin/scanner/instance/{instance.pk}/scan/")
    [(level, text)] = _messages(response)
    assert level == "warning"
    assert f"scan #{active.pk}</a> is still active" in text
    assert ScanRun.objects.count() == 1


def test_buttons_only_answer_post(admin_client: Client) -> None:
    instance = InstanceFactory()
    assert admin_client.get(f"/admin/scanner/instance/{instance.pk}/scan/").status_code == 405


def test_scan_now_and_dry_run_list_actions(admin_client: Client) -> None:
    first, second = InstanceFactory(), InstanceFactory(enabled=False)
    response = admin_client.post(
        "/admin/scanner/instance/",
        {"action": "dry_run_now", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    [(ok, queued), (refused, disabled)] = _messages(response)
    assert (ok, refused) == ("success", "error")
    assert f"of {first.name} queued" in queued
    assert disabled == f"{second.name}: not started, instance {second.name!r} is disabled."
    assert ScanRun.objects.get().dry_run is True


def test_test_connection_ok_and_warning(
    admin_client: Client, empty_sonarr: FakeArr, tmp_path
) -> None:
    good = InstanceFactory(url=empty_sonarr.url, api_key=ARR_KEY, root_folders=[str(tmp_path)])
    bad = InstanceFactory(url=empty_sonarr.url, api_key="wrong-key-00000000")
    # The fake's profile allows upgrades and scores no language format: the profile
    # guard warns, so the message is a warning though the connection is fine.
    response = admin_client.post(f"/admin/scanner/instance/{good.pk}/test-connection/")
    [(level, text)] = _messages(response)
    assert level == "warning" and "Connection OK" in text and "may drop" in text
    assert '<li class="taggarr-warn">' in text
    empty_sonarr.state.set_profiles([quality_profile(1, "HD-1080p", upgrade_allowed=False)])
    response = admin_client.post(f"/admin/scanner/instance/{good.pk}/test-connection/")
    level, text = _messages(response)[-1]  # the first one was never shown: still stored
    assert level == "success" and "Connection OK" in text and "Sonarr 4." in text
    assert "taggarr-warn" not in text
    response = admin_client.post(
        "/admin/scanner/instance/", {"action": "test_connection", "_selected_action": [bad.pk]}
    )
    level, text = _messages(response)[-1]  # the first one was never shown: still stored
    assert level == "warning" and "Connection problem" in text
    assert "wrong-key" not in text


def test_interval_change_reschedules(admin_client: Client) -> None:
    instance = InstanceFactory(scan_interval_minutes=360, root_folders=["/media/tv"])
    url = f"/admin/scanner/instance/{instance.pk}/change/"
    form = _form(name=instance.name, url=instance.url, api_key="", scan_interval_minutes="30")
    before = timezone.now()
    assert admin_client.post(url, form).status_code == 302
    instance.refresh_from_db()
    assert instance.get_api_key() != ""  # kept
    assert before + timedelta(minutes=30) <= instance.next_scan_at
    assert instance.next_scan_at <= timezone.now() + timedelta(minutes=30)
    event = Event.objects.get(kind=Event.Kind.CONFIG)
    assert "scan_interval_minutes" in event.data["fields"]
    assert "api_key" not in event.data["fields"]


def test_the_form_has_human_labels_and_the_keep_hint_only_when_editing(
    admin_client: Client,
) -> None:
    add = admin_client.get(ADD_URL).content.decode()
    for label in ("URL:", "API key:", "Tag for semi-dubs:", "Tag for dubs:", "Quick mode</label>"):
        assert label in add, label
    for raw in ("Url:", "Api key:", "Tag semi dub:"):
        assert raw not in add, raw
    assert "keep" not in add.split('id="id_api_key_helptext"', 1)[1].split("</div>", 1)[0]
    instance = InstanceFactory()
    change = admin_client.get(f"/admin/scanner/instance/{instance.pk}/change/").content.decode()
    assert f"Saved: ****{instance.api_key_last4}. Write-only; leave empty to keep it." in change


def _instance_with_history(name: str, status: str, error: str = "") -> Instance:
    instance = InstanceFactory(name=name)
    ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED)
    ScanRunFactory(instance=instance, status=status, error=error)
    MediaFactory(instance=instance, applied_tag="dub")
    MediaFactory(instance=instance, applied_tag="dub")
    MediaFactory(instance=instance, applied_tag="semi-dub")
    return instance


def test_the_list_shows_last_scan_health_and_counts(admin_client: Client) -> None:
    good = _instance_with_history("good", ScanRun.Status.SUCCEEDED)
    bad = _instance_with_history("bad", ScanRun.Status.FAILED, "Sonarr said 401 <Unauthorized>")
    InstanceFactory(name="new", first_scan_at=None)
    html = admin_client.get("/admin/scanner/instance/").content.decode()
    last = ScanRun.objects.filter(instance=bad).first()
    failed = '<span class="taggarr-status taggarr-bad">failed</span>'
    assert f'<a href="/admin/scanner/scanrun/{last.pk}/change/">{failed}</a>, ' in html
    # The last scan and the health refresh themselves (live.js), quickly while scanning.
    assert f'data-live-key="last-scan-{bad.pk}" data-live-active="false"' in html
    assert f'data-live-key="health-{bad.pk}"' in html and "/static/taggarr/live.js" in html
    assert "icon-yes.svg" not in html and "icon-no.svg" not in html  # words, not ✔/✘ icons
    assert "writes tags" in html and "every 6 hours" in html
    assert "✔ last scan OK" in html
    assert "✘ Sonarr said 401 &lt;Unauthorized&gt;" in html
    assert "waiting for its first scan" in html
    for instance in (good, bad):
        assert f'?instance__id__exact={instance.pk}">3</a>' in html
        assert f'?instance__id__exact={instance.pk}&amp;applied_tag__exact=dub">2</a>' in html


def test_a_failed_connection_test_shows_as_failed_not_waiting(admin_client: Client) -> None:
    refused = InstanceFactory(name="refused", first_scan_at=None)
    EventFactory(
        instance=refused, kind="config", message="connection test failed",
        data={"connection_test": {"ok": False, "lines": ["Sonarr refused the API key (401)"]},
              "user": "admin", "via": "admin"},
    )  # fmt: skip
    html = admin_client.get("/admin/scanner/instance/").content.decode()
    assert "✘ connection test failed: Sonarr refused the API key (401)" in html
    assert "waiting for its first scan" not in html
    # A passing test afterwards: waiting again.
    EventFactory(
        instance=refused, kind="config", message="connection test OK",
        data={"connection_test": {"ok": True, "lines": ["Sonarr 4"]}, "user": "a", "via": "a"},
    )  # fmt: skip
    html = admin_client.get("/admin/scanner/instance/").content.decode()
    assert "waiting for its first scan" in html and "connection test failed" not in html


def test_a_scanning_instance_is_followed_quickly(admin_client: Client) -> None:
    instance = InstanceFactory()
    ScanRunFactory(instance=instance, status=ScanRun.Status.RUNNING)
    html = admin_client.get("/admin/scanner/instance/").content.decode()
    assert f'data-live-key="last-scan-{instance.pk}" data-live-active="true"' in html


def test_the_list_takes_a_fixed_number_of_queries(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    _instance_with_history("first", ScanRun.Status.FAILED, "boom")
    admin_client.get("/admin/scanner/instance/")
    with CaptureQueriesContext(connection) as one:
        admin_client.get("/admin/scanner/instance/")
    for number in range(8):
        _instance_with_history(f"more-{number}", ScanRun.Status.SUCCEEDED)
    with django_assert_max_num_queries(len(one)):
        response = admin_client.get("/admin/scanner/instance/")
    assert len(response.context["cl"].result_list) == 9
