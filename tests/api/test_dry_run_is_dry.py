"""A dry run is dry everywhere (issue 92, finding 1): ``scan --inline --dry-run`` runs
nothing that waited for a worker (a decision's queued run, the items webhooks asked
for): it says what waits and leaves it waiting, and nothing reaches the *arr (the fake
Sonarr's editor log). And a command's waiting work and its own scan are told as one: one
message per kind, not one per run (scanner.run_end, scanner.notify.outcome.together)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from fakes.arr import FakeArr
from scanner.models import Instance, Media, ScanRequest, ScanRun
from scanner.pipeline.state.webhook_requests import remember_requests
from tests.capture import CapturingServer
from tests.factories import NotifierFactory
from tests.helpers import arr_tags, scan_inline
from tests.library import Library
from tests.media import MediaFactory, layout

pytestmark = pytest.mark.django_db(transaction=True)

SETTLED = "Anime Wrong"  # Japanese with a French track whose variety no source names


def _edits(sonarr: FakeArr, title: str) -> list[tuple[int, str]]:
    return sonarr.state.tag_edits(Media.objects.get(title=title).arr_id)


def _only_read(sonarr: FakeArr) -> None:
    """Since the counters were reset, the *arr was only read: no tag, profile, search or
    any other write (every method but GET changes something in Sonarr's API v3)."""
    written = [route for route in sonarr.state.routes() if route[0] != "GET"]
    assert written == [], written


def _dub_arrives(library: Library, media: MediaFactory, title: str) -> None:
    """The item's last files replaced by ones with an English track (a dub arrives)."""
    for path in library.files[title][-1:]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))


def test_a_dry_run_leaves_a_decisions_run_waiting_and_writes_nothing(
    api: APIClient, sonarr_instance: Instance, sonarr: FakeArr, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    Instance.objects.filter(pk=sonarr_instance.pk).update(target_languages=["fr-CA"])
    sonarr_instance.refresh_from_db()
    assert scan_inline(sonarr_instance).status == ScanRun.Status.SUCCEEDED
    media = Media.objects.get(title=SETTLED)
    answer = api.patch(
        f"/api/media/{media.pk}/", {"settled_varieties": {"fra": "fr-CA"}}, format="json"
    )
    assert answer.status_code == 200, answer.content
    queued = ScanRun.objects.get(pk=answer.json()["writing"]["run"])
    assert queued.status == ScanRun.Status.QUEUED
    before = _edits(sonarr, SETTLED)
    sonarr.state.reset_counters()

    with pytest.raises(SystemExit) as exited:
        call_command("scan", "--inline", "--dry-run", "--instance", "tv")
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert f"tv: scan #{queued.pk} (redecide, asked by api) waits for a worker; a dry run " in out
    assert "a dry run does not run it" in err
    queued.refresh_from_db()
    assert queued.status == ScanRun.Status.QUEUED  # still waiting, untouched
    assert _edits(sonarr, SETTLED) == before and arr_tags(sonarr)[SETTLED] == "none"
    _only_read(sonarr)

    call_command("scan", "--inline", "--instance", "tv")  # then for real: written once
    queued.refresh_from_db()
    assert queued.status == ScanRun.Status.SUCCEEDED
    assert arr_tags(sonarr)[SETTLED] == "dub"


def test_a_dry_run_leaves_the_webhooks_items_waiting_and_writes_nothing(
    sonarr_instance: Instance,
    sonarr: FakeArr,
    tv_library: Library,
    media: MediaFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management import call_command

    scan_inline(sonarr_instance)
    _dub_arrives(tv_library, media, "Anime Half")
    half = Media.objects.get(title="Anime Half")
    remember_requests(sonarr_instance, [half.arr_id], "Download")
    tags_before, edits_before = arr_tags(sonarr), _edits(sonarr, "Anime Half")
    sonarr.state.reset_counters()

    call_command("scan", "--inline", "--dry-run", "--instance", "tv")
    out, _ = capsys.readouterr()
    assert "tv: 1 item(s) asked by webhooks wait for a worker; a dry run leaves them" in out
    assert ScanRequest.objects.filter(instance=sonarr_instance, arr_id=half.arr_id).exists()
    assert not ScanRun.objects.filter(trigger=ScanRun.Trigger.WEBHOOK).exists()
    assert arr_tags(sonarr) == tags_before and _edits(sonarr, "Anime Half") == edits_before
    _only_read(sonarr)
    dry = ScanRun.objects.get(trigger=ScanRun.Trigger.CLI, dry_run=True)
    assert dry.status == ScanRun.Status.SUCCEEDED


def test_what_waited_and_the_scan_after_it_send_one_message_per_kind(
    sonarr_instance: Instance,
    tv_library: Library,
    media: MediaFactory,
    inbox: CapturingServer,
) -> None:
    NotifierFactory(url=inbox.url, events=["dub_arrived", "dub_lost"])
    scan_inline(sonarr_instance)
    _dub_arrives(tv_library, media, "Anime Half")  # asked for by a webhook: it waits
    remember_requests(sonarr_instance, [Media.objects.get(title="Anime Half").arr_id], "Download")
    _dub_arrives(tv_library, media, "Anime Wrong")  # found by the command's own scan

    waited: list[ScanRun] = []
    from scanner.actions.scans import scan_inline as run_here
    from scanner.models import RunRequest

    own = run_here(sonarr_instance, RunRequest(ScanRun.Trigger.CLI), on_waited=waited.append)
    assert [run.trigger for run in waited] == [ScanRun.Trigger.WEBHOOK]
    assert own.status == ScanRun.Status.SUCCEEDED
    (told,) = inbox.wait_for(1)
    assert told["title"] == "Taggarr: new dub in 2 items of tv: English"
    assert "Anime Half" in told["message"] and "Anime Wrong" in told["message"]
    assert len(inbox.posts) == 1  # not one per run
