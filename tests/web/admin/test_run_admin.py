"""The ScanRun admin: read-only, a progress panel fed by the API, Cancel/Resume, summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from scanner.models import ScanItem, ScanRun
from tests.factories import EventFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def test_active_run_page_has_progress_and_cancel(admin_client: Client) -> None:
    now = timezone.now()
    run = ScanRunFactory(
        status="running",
        started_at=now - timedelta(seconds=10),
        planned_at=now,
        items_total=8,
        items_done=2,
        files_probed=20,
    )
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert f'data-status-url="/api/scans/{run.pk}/"' in html
    assert 'data-active="true"' in html
    assert '<progress id="scan-progress-bar" max="8" value="2">' in html
    assert 'data-live="items">scanned up to item 2 of 8' in html
    assert 'data-live="phase">reading files<' in html
    assert 'id="cancel-scan"' in html and 'id="resume-scan"' not in html
    assert "/static/taggarr/scan-progress.js" in html
    assert 'name="_save"' not in html


def test_cancel_button(admin_client: Client) -> None:
    run = ScanRunFactory(status="queued")
    response = admin_client.post(f"/admin/scanner/scanrun/{run.pk}/cancel/")
    assert response["Location"] == f"/admin/scanner/scanrun/{run.pk}/change/"
    run.refresh_from_db()
    assert run.status == "cancelled"
    again = admin_client.post(f"/admin/scanner/scanrun/{run.pk}/cancel/", follow=True)
    assert "cannot be cancelled any more" in again.content.decode()


def test_the_stop_request_is_said_in_words_not_icons(admin_client: Client) -> None:
    run = ScanRunFactory(status="running", cancel_requested=False)
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert "not asked to stop" in html
    assert "Cancel requested" not in html and "icon-no.svg" not in html
    assert "Created at" not in html


def test_resume_button(admin_client: Client) -> None:
    media = MediaFactory()
    run = ScanRunFactory(instance=media.instance, status="interrupted", planned_at=timezone.now())
    ScanItem.objects.create(run=run, media=media)
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert 'id="resume-scan"' in html
    admin_client.post(f"/admin/scanner/scanrun/{run.pk}/resume/")
    run.refresh_from_db()
    assert run.status == ScanRun.Status.RUNNING


def test_finished_run_shows_its_summary(admin_client: Client) -> None:
    run = ScanRunFactory(
        status="succeeded",
        started_at=timezone.now() - timedelta(seconds=5),
        finished_at=timezone.now(),
        summary={
            "planned_changes": 3,
            "tags_set": {"dub": 2},
            "tags_cleared": 1,
            "nfo_written": 4,
            "duration_s": 5.0,
            "tag_ids": {"dub": 1},
        },
    )
    for title, before, after in (
        ("Akira", ("none", []), ("dub", ["dub"])),
        ("Dark", ("dub", ["dub"]), ("dub", ["dub"])),  # a label only: no new "dub"
        ("Monster", ("none", []), ("dub", ["dub"])),
    ):
        EventFactory(
            instance=run.instance,
            run=run,
            media=MediaFactory(instance=run.instance, title=title),
            message=f"{title}: changed",
            data={"from": before[0], "to": after[0], "labels_from": before[1],
                  "labels_to": after[1] + (["semi-sub-en"] if title == "Dark" else [])},
        )  # fmt: skip
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert 'data-active="false"' in html
    assert '<progress id="scan-progress-bar" max="1" value="1">' in html
    # What changed is named, and a label alone does not count as a new summary tag.
    assert '<tr><th scope="row">Tag dub set</th><td>Akira, Monster</td></tr>' in html
    assert '<tr><th scope="row">Labels only</th><td>Dark (+semi-sub-en)</td></tr>' in html
    assert '<tr><th scope="row">Tags removed</th><td>1</td></tr>' in html
    assert '<tr><th scope="row">NFO files</th><td>4 written, 0 errors</td></tr>' in html
    assert 'id="cancel-scan"' not in html
    assert 'data-live="finished">' + run.finished_at.strftime("%Y-%m-%d") in html


def test_runs_are_read_only(admin_client: Client) -> None:
    run = ScanRunFactory()
    response = admin_client.post(f"/admin/scanner/scanrun/{run.pk}/change/", {"status": "failed"})
    assert response.status_code == 403
    assert admin_client.get("/admin/scanner/scanrun/add/").status_code == 403


def test_the_scope_is_named_by_title_not_by_arr_ids(admin_client: Client) -> None:
    akira = MediaFactory(title="Akira", arr_id=6)
    MediaFactory(instance=akira.instance, title="Dark", arr_id=15)
    run = ScanRunFactory(instance=akira.instance, scope=[1, 6, 15], status="succeeded")
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert "Akira, Dark and 1 more" in html and "[1, 6, 15]" not in html


def test_the_list_says_what_each_run_is_in_words(admin_client: Client) -> None:
    ScanRunFactory(dry_run=True, status="failed")
    html = admin_client.get("/admin/scanner/scanrun/").content.decode()
    assert '<td class="field-what">Dry run</td>' in html
    assert '<span class="taggarr-status taggarr-bad">failed</span>' in html
    assert "icon-no.svg" not in html and "icon-yes.svg" not in html


def test_a_run_that_failed_before_listing_says_so(admin_client: Client) -> None:
    run = ScanRunFactory(status="failed", finished_at=timezone.now(), error="unreachable")
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    assert "not listed: the scan stopped before it listed the library" in html
    assert "nothing to scan" not in html


def test_the_run_page_shows_each_item_in_its_state(admin_client: Client) -> None:
    """From Taggarr's own rows: how many in each state, and the items not scanned with
    the reason or until when (failed first)."""
    now = timezone.now()
    run = ScanRunFactory(status="running", planned_at=now, items_total=4, items_done=1)
    ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance), status="done")
    ScanItem.objects.create(
        run=run,
        media=MediaFactory(instance=run.instance, title="Gone Show"),
        status="failed",
        error="folder not found: /tv/Gone Show",
    )
    ScanItem.objects.create(
        run=run,
        media=MediaFactory(instance=run.instance, title="Waiting Show"),
        retry_at=now + timedelta(seconds=40),
        error="Sonarr answered 503",
    )
    ScanItem.objects.create(
        run=run,
        media=MediaFactory(instance=run.instance, title="Held Show"),
        leased_until=now + timedelta(seconds=60),
        lease_token=3,
    )
    html = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode()
    section = html[html.index('id="scan-items-by-state"') :]
    for label in ("scanned", "failed", "waiting for a retry", "held by a worker"):
        assert f'<th scope="row">{label}</th><td>1</td>' in section
    rows = section[section.index('id="scan-item-rows"') :]
    assert rows.index("Gone Show") < rows.index("Waiting Show")
    assert "folder not found: /tv/Gone Show" in rows
    assert "Sonarr answered 503" in rows and "until " in rows
    assert "its lease runs until" in rows


def test_a_german_reader_reads_the_run_in_german_numbers_and_dates(admin_client: Client) -> None:
    """Issue 61: the rate with the locale's decimal comma (not "0.9 Dateien/s" beside
    "0,9 s"), the start and end as the language writes a date, not ISO; each through its
    msgid."""
    started = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    run = ScanRunFactory(
        status="succeeded", started_at=started, planned_at=started + timedelta(seconds=10),
        finished_at=started + timedelta(seconds=20), files_probed=9, items_total=3,
        items_done=3, summary={"planned_changes": 0, "duration_s": 20.0},
    )  # fmt: skip
    page = admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/", HTTP_ACCEPT_LANGUAGE="de")
    listed = admin_client.get("/admin/scanner/scanrun/", HTTP_ACCEPT_LANGUAGE="de")
    html, rows = page.content.decode(), listed.content.decode()
    with translation.override("de"):
        rate = gettext("%(rate)s files/s") % {"rate": "0,9"}
        items = gettext("scanned up to item %(done)d of %(total)d") % {"done": 3, "total": 3}
        line = gettext("%(items)s, %(rate)s") % {"items": items, "rate": rate}
        started_text = date_format(timezone.localtime(started), "DATETIME_FORMAT")
    assert f'data-live="rate">{rate}<' in html and "0.9" not in html
    assert started_text.startswith("26. November 2026")
    assert f'data-live="started">{started_text}<' in html and "2026-11-26" not in html
    assert line in rows
