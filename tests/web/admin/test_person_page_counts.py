"""A person's page reads the counts kept in the background (issue 70; web.admin.
person_page, scanner.household.counts): the first visit asks for a count and
says so, a counted page says when, a count under way shows the last figures; the page's
queries do not grow with the library; on real workers, a scan that read files and a
change of a person's languages count again, as the on-demand dry run counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scanner.actions.scans import start_scan
from scanner.engine.tracks import make_track
from scanner.household.counts import ask, count_person, stored_counts
from scanner.household.dry_run import person_tracks
from scanner.models import Instance, Person, PersonCount, RunRequest, ScanRun
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory
from tests.helpers import scan_inline
from tests.web.admin.test_person_page import _library, _text
from tests.worker import celery_worker, run_finished, task_done


def _url(person: Person) -> str:
    return f"/admin/scanner/person/{person.pk}/tracks/"


@pytest.mark.django_db
def test_the_first_visit_asks_for_a_count_and_says_so_then_says_when(
    admin_client: Client,
) -> None:
    _library()
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    first = _text(admin_client, _url(lea))
    assert "Being counted for the first time: the figures show here once a worker" in first
    assert "2 episodes will play in Canadian French." not in first
    assert set(PersonCount.objects.filter(person=lea).values_list("kind", "asked")) == {
        ("series", 1),
        ("movie", 1),
    }
    french = _text(admin_client, _url(lea), "fr")
    assert "En cours de premier décompte\u00a0: les chiffres s'afficheront ici" in french
    german = _text(admin_client, _url(lea), "de")
    assert "Wird zum ersten Mal gezählt: Die Zahlen erscheinen hier" in german
    assert set(PersonCount.objects.filter(person=lea).values_list("asked", flat=True)) == {1}
    assert count_person(lea.pk)  # as the worker counts
    counted = _text(admin_client, _url(lea))
    assert "Counted just now." in counted, counted[-3000:]  # not timesince's "0 minutes"
    assert "2 episodes will play in Canadian French." in counted
    assert "Compté à l'instant." in _text(admin_client, _url(lea), "fr")
    assert "Gerade eben gezählt." in _text(admin_client, _url(lea), "de")
    earlier = timezone.now() - timedelta(minutes=3, seconds=10)
    PersonCount.objects.filter(person=lea).update(counted_at=earlier)
    assert re.search(r"Counted 3\xa0minutes ago\.", _text(admin_client, _url(lea)))
    assert "Compté il y a 3\u00a0minutes." in _text(admin_client, _url(lea), "fr")
    assert "Vor 3\u00a0Minuten gezählt." in _text(admin_client, _url(lea), "de")
    assert ask(lea.pk)  # a change asked for another count: the last figures stay
    again = _text(admin_client, _url(lea))
    assert "Being counted again: these figures were counted 3\xa0minutes ago." in again
    assert "2 episodes will play in Canadian French." in again
    assert (
        "Nouveau décompte en cours\u00a0: ces chiffres ont été comptés il y a 3\u00a0minutes."
        in (_text(admin_client, _url(lea), "fr"))
    )
    assert "Wird neu gezählt: Diese Zahlen wurden vor 3\u00a0Minuten gezählt." in (
        _text(admin_client, _url(lea), "de")
    )


def _grow(shows: int) -> None:
    tv = InstanceFactory()
    tracks = (make_track(1, "jpn", None, default=True), make_track(2, "fre", None))
    for n in range(shows):
        show = MediaFactory(instance=tv, title=f"Show {n}", original_language="jpn")
        for episode in range(1, 4):
            MediaFileFactory(
                media=show, path=f"E{episode}.mkv", episodes=[episode],
                audio_tracks=[track.to_dict() for track in tracks],
                subtitle_tracks=[],
            )  # fmt: skip


@pytest.mark.django_db
def test_the_page_s_queries_do_not_grow_with_the_library(admin_client: Client) -> None:
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    queries = []
    for shows in (1, 40):
        _grow(shows)
        assert count_person(lea.pk)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(_url(lea)).status_code == 200
        queries.append(len(captured))
    assert queries[0] == queries[1], queries
    assert stored_counts(lea.pk).counts == person_tracks(lea.listener(), per_outcome=0).counts


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_on_a_real_worker_a_scan_that_read_files_counts_again(
    sonarr_instance: Instance,
) -> None:
    lea = Person.objects.create(name="Léa", languages=["fra"])
    assert count_person(lea.pk)  # an empty library: nothing counted
    assert stored_counts(lea.pk).counts == ()
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
        worker.wait_for(task_done("count_person_tracks"))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    stored = stored_counts(lea.pk)
    assert stored.counts and not stored.queued
    assert stored.counts == person_tracks(lea.listener(), per_outcome=0).counts


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_on_a_real_worker_a_change_of_languages_counts_again(admin_client: Client) -> None:
    _library()
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    assert count_person(lea.pk)
    before = stored_counts(lea.pk).counts
    with celery_worker() as worker:
        answer = admin_client.patch(
            f"/api/persons/{lea.pk}/", {"languages": ["eng"]}, content_type="application/json"
        )
        assert answer.status_code == 200, answer.content
        worker.wait_for(task_done("count_person_tracks"))
    lea.refresh_from_db()
    stored = stored_counts(lea.pk)
    assert not stored.queued
    assert stored.counts == person_tracks(lea.listener(), per_outcome=0).counts != before


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_leaves_the_page_working(admin_client: Client) -> None:
    from taggarr.celery import app

    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    original, pool = app.conf.broker_url, app._pool
    app.conf.broker_url, app._pool = "redis://127.0.0.1:1/0", None  # nothing listens on 1
    try:
        text = _text(admin_client, _url(lea))  # the count asked after the commit: not sent
    finally:
        app.conf.broker_url, app._pool = original, pool
    assert "Being counted for the first time" in text
    assert stored_counts(lea.pk).queued  # asked, and asked again past ASK_AGAIN


@pytest.mark.django_db
def test_scan_inline_counts_in_its_process(sonarr_instance: Instance) -> None:
    lea = Person.objects.create(name="Léa", languages=["fra"])
    run = scan_inline(sonarr_instance)  # no worker: the count is made here, as the tags
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    stored = stored_counts(lea.pk)
    assert stored.counts and not stored.queued
    assert stored.counts == person_tracks(lea.listener(), per_outcome=0).counts
