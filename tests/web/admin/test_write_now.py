"""A decision takes effect at once (issue 68, item 8): settling a variety on an item's page
starts one run scoped to it that decides it again from its stored tracks and writes its
new tag to Sonarr (no file read); a dry-run instance plans and writes nothing; a second
click while that run waits uses it again. The item and the instance offer the same two
buttons, "Decide again from stored tracks" and "Read the files again", in every language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from fakes.arr import FakeArr
from scanner.actions.write_now import no_worker_sentence
from scanner.models import Event, Instance, Media, ScanRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan
from tests.helpers import arr_labels, arr_tags, arr_writes, scan_inline

pytestmark = pytest.mark.django_db

QUEBEC = {"target_languages": ["fr-CA"], "language_tags": True}
TITLE = "Anime Wrong"  # Japanese with a French track whose variety no source names


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def quebec(sonarr_instance: Instance, sonarr: FakeArr) -> Media:
    """The library scanned once and written for a Quebec household: the French item is
    undecided (its variety unknown), its tag in Sonarr none."""
    Instance.objects.filter(pk=sonarr_instance.pk).update(**QUEBEC)
    sonarr_instance.refresh_from_db()
    assert scan_inline(sonarr_instance).status == ScanRun.Status.SUCCEEDED
    media = Media.objects.get(title=TITLE)
    assert media.variety_unknown and arr_tags(sonarr)[TITLE] == "none"
    return media


def _settle(client: Client, media: Media, variety: str = "fr-CA", **headers: Any) -> Any:
    url = f"/admin/scanner/media/{media.pk}/varieties/"
    return client.post(url, {"language": "fra", "variety": variety}, follow=True, **headers)


def test_settling_writes_the_new_tag_at_once_reading_no_file(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    runs_before = ScanRun.objects.count()
    page = _text(_settle(admin_client, quebec).content.decode())
    run = ScanRun.objects.latest("pk")
    assert ScanRun.objects.count() == runs_before + 1
    assert (run.mode, run.dry_run, run.scope, run.trigger) == (
        "redecide", False, [quebec.arr_id], "manual",
    )  # fmt: skip
    assert f"The tags of “{TITLE}” are being written: Scan #{run.pk}." in page
    # No worker runs in this test: the page says how the decision will be written.
    assert no_worker_sentence() in page

    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED
    assert run.files_probed == 0  # decided from the stored tracks
    assert arr_tags(sonarr)[TITLE] == "dub"
    assert "dub-fr-ca" in arr_labels(sonarr)[TITLE]
    quebec.refresh_from_db()
    assert (quebec.applied_tag, quebec.applied_labels) == ("dub", ["dub-fr-ca"])


def test_a_dry_run_instance_plans_and_writes_nothing(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    Instance.objects.filter(pk=quebec.instance_id).update(dry_run=True)
    writes = arr_writes(sonarr)
    page = _text(_settle(admin_client, quebec).content.decode())
    run = ScanRun.objects.latest("pk")
    assert (run.mode, run.dry_run) == ("redecide", True)
    assert f"“{TITLE}” are being planned, not written (dry run): Dry run #{run.pk}." in page
    run_inline((Plan(run.pk),))
    assert arr_writes(sonarr) == writes and arr_tags(sonarr)[TITLE] == "none"
    assert Event.objects.filter(kind=Event.Kind.TAG_PLANNED, media=quebec).exists()
    quebec.refresh_from_db()
    assert (quebec.planned_tag, quebec.applied_tag) == ("dub", "none")  # to review, then apply


def test_a_second_click_uses_the_waiting_run_again(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    _settle(admin_client, quebec)
    first = ScanRun.objects.latest("pk")
    page = _text(_settle(admin_client, quebec, "not").content.decode())
    assert ScanRun.objects.latest("pk") == first  # no second run
    assert f"being written: Scan #{first.pk}." in page
    _settle(admin_client, quebec, "fr-CA")
    assert ScanRun.objects.latest("pk") == first
    run_inline((Plan(first.pk),))
    assert arr_tags(sonarr)[TITLE] == "dub"  # the last word, written once


def test_another_active_run_keeps_the_item_for_its_end(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    other = Media.objects.get(title="Anime Half")
    busy = ScanRun.objects.create(
        instance=quebec.instance, trigger="manual", scope=[other.arr_id], status="running"
    )
    page = _text(_settle(admin_client, quebec).content.decode())
    assert ScanRun.objects.latest("pk") == busy
    assert f"The tags of “{TITLE}” are written when Scan #{busy.pk} ends." in page
    assert list(ScanRequest.objects.values_list("arr_id", flat=True)) == [quebec.arr_id]


def test_wanted_languages_and_a_review_decision_write_at_once(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    url = f"/admin/scanner/media/{quebec.pk}/wanted/"
    admin_client.post(url, {"choice": "original"})
    run = ScanRun.objects.latest("pk")
    assert (run.mode, run.scope) == ("redecide", [quebec.arr_id])
    run.delete()  # as if it had ended
    admin_client.post(
        "/admin/guesses/", {"media": quebec.pk, "decision": "unknown", "language": "fra"}
    )
    assert ScanRun.objects.latest("pk").mode == "redecide"


@pytest.mark.parametrize(
    ("language", "decide", "read"),
    [
        ("en", "Decide again from stored tracks", "Read the files again"),
        ("fr", "Recalculer d'après les pistes enregistrées", "Relire les fichiers"),
        ("de", "Aus den gespeicherten Spuren neu bestimmen", "Dateien erneut lesen"),
    ],
)
def test_the_two_buttons_on_the_item_and_the_instance(
    admin_client: Client, quebec: Media, language: str, decide: str, read: str
) -> None:
    for url in (
        f"/admin/scanner/media/{quebec.pk}/change/",
        f"/admin/scanner/instance/{quebec.instance_id}/change/",
    ):
        html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'id="decide-again"' in html
        assert f">{decide}</button>" in html and f">{read}</button>" in html


def test_the_buttons_start_the_runs(admin_client: Client, quebec: Media, sonarr: FakeArr) -> None:
    item = admin_client.post(f"/admin/scanner/media/{quebec.pk}/decide/")
    run = ScanRun.objects.latest("pk")
    assert item["Location"] == f"/admin/scanner/scanrun/{run.pk}/change/"
    assert (run.mode, run.scope, run.dry_run) == ("redecide", [quebec.arr_id], False)
    run_inline((Plan(run.pk),))
    whole = admin_client.post(f"/admin/scanner/instance/{quebec.instance_id}/decide-again/")
    run = ScanRun.objects.latest("pk")
    assert whole["Location"] == f"/admin/scanner/scanrun/{run.pk}/change/"
    assert (run.mode, run.scope) == ("redecide", [])
    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED and run.files_probed == 0
    page = _text(admin_client.get(f"/admin/scanner/scanrun/{run.pk}/change/").content.decode())
    assert "decided again from stored tracks, no file read" in page
    admin_client.post(f"/admin/scanner/instance/{quebec.instance_id}/read-again/")
    run = ScanRun.objects.latest("pk")
    assert (run.mode, run.scope) == ("rewrite", [])


def test_who_may_not_change_is_refused_and_a_missing_item_is_a_404(
    client: Client, admin_client: Client, quebec: Media
) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    html = client.get(f"/admin/scanner/media/{quebec.pk}/change/").content.decode()
    assert 'id="decide-again"' not in html
    runs = ScanRun.objects.count()
    for url in (
        f"/admin/scanner/media/{quebec.pk}/decide/",
        f"/admin/scanner/instance/{quebec.instance_id}/decide-again/",
        f"/admin/scanner/instance/{quebec.instance_id}/read-again/",
    ):
        assert client.post(url).status_code == 403
        assert admin_client.get(url).status_code == 405  # POST only
    assert admin_client.post("/admin/scanner/media/99999999/decide/").status_code == 404
    assert admin_client.post("/admin/scanner/instance/99999999/decide-again/").status_code == 404
    assert ScanRun.objects.count() == runs


def test_deciding_the_instance_again_decides_every_item_in_the_run(
    admin_client: Client, quebec: Media, sonarr: FakeArr
) -> None:
    """The run decides again itself (the word stored without deciding, as an import or an
    older version would leave it): the whole library, no file read, then written."""
    Media.objects.filter(pk=quebec.pk).update(settled_varieties={"fra": "fr-CA"})
    admin_client.post(f"/admin/scanner/instance/{quebec.instance_id}/decide-again/")
    run = ScanRun.objects.latest("pk")
    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert (run.status, run.files_probed) == (ScanRun.Status.SUCCEEDED, 0)
    assert arr_tags(sonarr)[TITLE] == "dub"
