"""Issue 93, item 4: the run page tells one story. Its percentage, its counts by state and
its item rows are read from one place (the run's item rows), a finished run with items
left says in words what they are, and what is left is a sentence with a link to the page
that lists them, never an API path."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from scanner.models import Media, ScanItem, ScanRun
from tests.factories import MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def _page(client: Client, run: ScanRun, language: str = "en") -> str:
    response = client.get(f"/admin/scanner/scanrun/{run.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _items(run: ScanRun, count: int, **values: object) -> None:
    medias = Media.objects.bulk_create(
        MediaFactory.build(instance=run.instance, title=f"Show {n:03d}", path=f"/tv/{run.pk}-{n}")
        for n in range(count)
    )
    ScanItem.objects.bulk_create(ScanItem(run=run, media=media, **values) for media in medias)


def _percent(html: str) -> str:
    found = re.search(r'<span id="scan-percent" data-live="percent">([^<]*)</span>', html)
    assert found, "no percent on the page"
    return found.group(1)


def _bar(html: str) -> tuple[int, int]:
    found = re.search(r'<progress id="scan-progress-bar" max="(\d+)" value="(\d+)">', html)
    assert found, "no progress bar on the page"
    return int(found.group(1)), int(found.group(2))


def _section(html: str) -> str:
    start = html.index('id="scan-items-by-state"')
    return html[start : html.index("</fieldset>", start)]


def _succeeded_with_items_left(left: int = 6) -> ScanRun:
    """What the tester saw: the run ended "succeeded" (it got to its end and wrote what
    it could), its counters short of its items, and six of its rows never taken."""
    now = timezone.now()
    run = ScanRunFactory(
        status=ScanRun.Status.SUCCEEDED,
        started_at=now - timedelta(minutes=2),
        planned_at=now - timedelta(minutes=1),
        finished_at=now,
        items_total=4 + left,
        items_done=4,
        summary={"listed": 10, "planned_changes": 0, "duration_s": 120.0},
    )
    _items(run, left)
    return run


def test_a_finished_run_with_items_left_never_says_100_percent(admin_client: Client) -> None:
    html = _page(admin_client, _succeeded_with_items_left(6))
    section = _section(html)
    assert '<th scope="row">not scanned: the run ended</th><td>6</td>' in section
    assert '<th scope="row">scanned</th><td>4</td>' in section
    # The percentage and the bar count what the rows count: 4 of 10, not "100%".
    assert _percent(html) == "40%"
    assert _bar(html) == (10, 4)
    # A run with no item left keeps the panel's own figures.
    whole = ScanRunFactory(
        status="succeeded", planned_at=timezone.now(), finished_at=timezone.now(),
        items_total=3, items_done=3, summary={"planned_changes": 0},
    )  # fmt: skip
    whole_html = _page(admin_client, whole)
    assert _percent(whole_html) == "100%"
    assert "The run ended before" not in whole_html and "more item" not in whole_html


def test_the_api_says_the_same_percentage_as_the_page(admin_client: Client) -> None:
    """/api/scans/{id}/ (scanner.reports.progress.Progress) counts as the page does: a
    run that ended with items left is not 100 %, nor one item short of its end."""
    left = _succeeded_with_items_left(6)
    nearly = ScanRunFactory(
        status="running", planned_at=timezone.now(), items_total=3000, items_done=2999
    )
    whole = ScanRunFactory(
        status="succeeded", planned_at=timezone.now(), finished_at=timezone.now(),
        items_total=3, items_done=3, summary={"planned_changes": 0},
    )  # fmt: skip
    percent = {
        run.pk: admin_client.get(f"/api/scans/{run.pk}/").json()["progress"]["percent"]
        for run in (left, nearly, whole)
    }
    assert percent == {left.pk: 40.0, nearly.pk: 99.9, whole.pk: 100.0}


def test_a_finished_run_says_in_words_what_is_left_with_a_link(admin_client: Client) -> None:
    run = _succeeded_with_items_left(6)
    section = _section(_page(admin_client, run))
    listed = f"/admin/scanner/scanitem/?run__id__exact={run.pk}&amp;status__exact=pending"
    assert (
        f'The run ended before 6 items were scanned: <a href="{listed}">see the items '
        "this run did not scan</a>." in section
    )
    # The link lists exactly those items, on the admin's own page.
    listing = admin_client.get(listed.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 6


def test_an_interrupted_run_says_resume_scans_what_is_left(admin_client: Client) -> None:
    run = _succeeded_with_items_left(1)
    run.status = ScanRun.Status.INTERRUPTED
    run.save(update_fields=["status"])
    section = _section(_page(admin_client, run))
    assert (
        "The run was interrupted before 1 item was scanned; <strong>Resume</strong> scans it:"
        in section
    )
    assert "see the item not scanned yet</a>." in section


def test_what_is_left_beyond_the_list_is_a_sentence_not_an_api_path(admin_client: Client) -> None:
    run = ScanRunFactory(status="running", planned_at=timezone.now(), items_total=103)
    _items(run, 103)
    section = _section(_page(admin_client, run))
    assert "/api/" not in section
    listed = f"/admin/scanner/scanitem/?run__id__exact={run.pk}&amp;status__in=failed%2Cpending"
    assert (
        f'3 more items are not listed here: <a href="{listed}">see every item of this run '
        "that is not scanned</a>." in section
    )
    listing = admin_client.get(listed.replace("&amp;", "&"))
    assert listing.status_code == 200 and listing.context["cl"].result_count == 103


def test_the_percentage_counts_the_same_rows_as_the_states(admin_client: Client) -> None:
    """A failed row the counters had not counted yet: the page's percentage and its
    counts by state still add up (2 of 4 finished, 2 left), from the rows."""
    now = timezone.now()
    run = ScanRunFactory(status="running", planned_at=now, items_total=4, items_done=1)
    ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance), status="done")
    ScanItem.objects.create(
        run=run, media=MediaFactory(instance=run.instance), status="failed", error="gone"
    )
    _items(run, 2)
    html = _page(admin_client, run)
    assert _percent(html) == "50%"
    assert _bar(html) == (4, 2)


def test_a_run_nearly_done_is_not_rounded_to_100_percent(admin_client: Client) -> None:
    run = ScanRunFactory(
        status="running", planned_at=timezone.now(), items_total=300, items_done=299
    )
    _items(run, 1)
    html = _page(admin_client, run)
    assert _percent(html) == "99%"
    assert _bar(html) == (300, 299)


def test_the_items_section_is_refreshed_with_the_panel(admin_client: Client) -> None:
    """The tester's page: loaded while the run went on (six items "not yet claimed"),
    its panel then refreshed to "succeeded" by the script while the section below kept
    the old counts. The section is served on its own and the script refreshes it with
    the panel, so both say what the rows say now."""
    run = ScanRunFactory(status="running", planned_at=timezone.now(), items_total=6)
    _items(run, 6)
    html = _page(admin_client, run)
    items_url = f"/admin/scanner/scanrun/{run.pk}/items/"
    assert f'data-items-url="{items_url}"' in html
    assert '<th scope="row">not yet claimed</th><td>6</td>' in _section(html)

    ScanItem.objects.filter(run=run).delete()  # scanned, their rows removed with the tags
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanRun.Status.SUCCEEDED, items_done=6, finished_at=timezone.now()
    )
    fresh = admin_client.get(items_url).content.decode()
    assert fresh.lstrip().startswith("<fieldset") and 'id="scan-items-by-state"' in fresh
    assert '<th scope="row">scanned</th><td>6</td>' in fresh
    assert "not yet claimed" not in fresh
    source = (settings.BASE_DIR / "web/static/taggarr/scan-progress.js").read_text()
    assert "itemsUrl" in source and "scan-items-by-state" in source


def test_the_items_section_needs_the_right_to_view_runs(client: Client) -> None:
    run = ScanRunFactory(status="running")
    client.force_login(User.objects.create_user("guest", password="x", is_staff=True))
    assert client.get(f"/admin/scanner/scanrun/{run.pk}/items/").status_code == 403


def test_a_french_reader_reads_what_is_left_in_french(admin_client: Client) -> None:
    run = _succeeded_with_items_left(6)
    section = _section(_page(admin_client, run, "fr"))
    assert "L'exécution s'est terminée avant que 6 éléments soient analysés\u00a0:" in section
    assert "The run ended" not in section
    assert _percent(_page(admin_client, run, "fr")) == "40\u202f%"
