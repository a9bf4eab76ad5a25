"""Listening on a real Celery worker (issue 53, "Done when"): an AVI series whose German
and Japanese audio carries no language (AVI has no field for one) gets ``dub`` for a
German target, heard in the item's task on the worker with the real model."""

from __future__ import annotations

import pytest

from scanner.actions.scans import start_scan
from scanner.models import Instance, Media, RunRequest, ScanRun
from tests.library import Library
from tests.speech import speech_video, whisper_base
from tests.worker import celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_an_avi_series_without_labels_is_dubbed_by_listening(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    first, second, third = tv_library.files["Never Dubbed"]
    third.unlink()  # two episodes: four tracks to hear
    for path in (first, second):
        path.unlink()
        speech_video(path.with_suffix(".avi"), [("ja", None), ("de", None)], "avi")
    sonarr_instance.target_languages = ["ger"]
    sonarr_instance.identify_audio_language = "unlabelled"
    sonarr_instance.save()
    with celery_worker(extra_env={"TAGGARR_LISTEN_MODEL": str(whisper_base())}) as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
    never = Media.objects.get(title="Never Dubbed")
    assert never.planned_tag == "dub"
    assert never.verdict_reasons["summary"] == "dub: all 2 files have every target (German)"
    notes = never.verdict_reasons["listening"]
    assert len(notes) == 4
    assert all("identified by listening" in note for note in notes)
    assert sum("German, identified by listening" in note for note in notes) == 2
