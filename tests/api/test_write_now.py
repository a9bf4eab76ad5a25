"""A decision through the API takes effect at once (issue 68, item 8): ``PATCH
/api/media/{id}/`` (a settled variety, wanted languages) and ``POST
/api/media/{id}/review/`` start the run that writes the item's new tag, told in the answer
(``writing``); a dry-run instance plans; a second call uses the waiting run again; the
two buttons are ``POST /api/scans/`` with mode redecide or rewrite and the item."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner.actions.write_now import no_worker_sentence
from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan
from tests.helpers import arr_labels, arr_tags, arr_writes, scan_inline

pytestmark = pytest.mark.django_db

TITLE = "Anime Wrong"  # Japanese with a French track whose variety no source names


@pytest.fixture
def quebec(sonarr_instance: Instance, sonarr: FakeArr) -> Media:
    Instance.objects.filter(pk=sonarr_instance.pk).update(
        target_languages=["fr-CA"], language_tags=True
    )
    sonarr_instance.refresh_from_db()
    assert scan_inline(sonarr_instance).status == ScanRun.Status.SUCCEEDED
    media = Media.objects.get(title=TITLE)
    assert media.variety_unknown and arr_tags(sonarr)[TITLE] == "none"
    return media


def _settle(api: APIClient, media: Media, variety: str = "fr-CA") -> dict[str, object]:
    answer = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fra": variety}}, format="json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_settling_writes_the_new_tag_through_the_run_it_names(
    api: APIClient, quebec: Media, sonarr: FakeArr
) -> None:
    body = _settle(api, quebec)
    run = ScanRun.objects.latest("pk")
    assert body["writing"] == {
        "run": run.pk,
        "dry_run": False,
        "reused": False,
        "after_run": None,
        "worker_running": False,  # none in this test: the next scan writes it, it says
        "note": no_worker_sentence(),
    }
    assert (run.mode, run.scope, run.trigger) == ("redecide", [quebec.arr_id], "api")
    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED and run.files_probed == 0
    assert arr_tags(sonarr)[TITLE] == "dub" and "dub-fr-ca" in arr_labels(sonarr)[TITLE]
    assert api.get(f"/api/scans/{run.pk}/").json()["mode"] == "redecide"


def test_the_same_word_twice_starts_nothing(api: APIClient, quebec: Media) -> None:
    _settle(api, quebec)
    runs = ScanRun.objects.count()
    assert _settle(api, quebec)["writing"] is None  # nothing changed
    assert ScanRun.objects.count() == runs


def test_a_second_decision_uses_the_waiting_run(
    api: APIClient, quebec: Media, sonarr: FakeArr
) -> None:
    first = _settle(api, quebec)["writing"]
    answer = api.patch(f"/api/media/{quebec.pk}/", {"wanted_languages": ["fr-CA"]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["writing"] == {**first, "reused": True}  # type: ignore[dict-item]
    assert ScanRun.objects.filter(mode="redecide").count() == 1


def test_a_dry_run_instance_plans(api: APIClient, quebec: Media, sonarr: FakeArr) -> None:
    Instance.objects.filter(pk=quebec.instance_id).update(dry_run=True)
    writes = arr_writes(sonarr)
    writing = _settle(api, quebec)["writing"]
    assert isinstance(writing, dict) and writing["dry_run"] is True
    run_inline((Plan(writing["run"]),))
    assert arr_writes(sonarr) == writes and arr_tags(sonarr)[TITLE] == "none"


def test_a_review_decision_writes_at_once(api: APIClient, quebec: Media) -> None:
    answer = api.post(
        f"/api/media/{quebec.pk}/review/",
        {"decision": "unknown_language", "language": "fra"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    run = ScanRun.objects.latest("pk")
    assert answer.json()["writing"]["run"] == run.pk and run.mode == "redecide"
    confirmed = api.post(f"/api/media/{quebec.pk}/review/", {"decision": "confirm"}, format="json")
    assert confirmed.json()["writing"] is None  # no tag changes: nothing to write


def test_the_two_actions_are_scans_of_the_item(api: APIClient, quebec: Media) -> None:
    for mode in ("redecide", "rewrite"):
        answer = api.post(
            "/api/scans/",
            {"instance": quebec.instance_id, "mode": mode, "media": [quebec.pk]},
            format="json",
        )
        assert answer.status_code == 201, answer.content
        body = answer.json()
        assert (body["mode"], body["scope"], body["dry_run"]) == (mode, [quebec.arr_id], False)
        ScanRun.objects.filter(pk=body["id"]).update(status=ScanRun.Status.CANCELLED)
    missing = api.post(
        "/api/scans/",
        {"instance": quebec.instance_id, "mode": "redecide", "media": [99999999]},
        format="json",
    )
    assert missing.status_code == 400


def test_a_viewer_decides_nothing_and_starts_nothing(quebec: Media) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client = APIClient()
    client.force_login(viewer)
    runs = ScanRun.objects.count()
    patch = client.patch(
        f"/api/media/{quebec.pk}/", {"settled_varieties": {"fra": "fr-CA"}}, format="json"
    )
    assert patch.status_code == 403
    scan = client.post(
        "/api/scans/", {"instance": quebec.instance_id, "mode": "redecide"}, format="json"
    )
    assert scan.status_code == 403
    assert client.patch("/api/media/99999999/", {}, format="json").status_code in (403, 404)
    assert ScanRun.objects.count() == runs
