"""A person's counts of what will play, kept in the background
(scanner.household.counts): the one pass stores what the on-demand dry run
(scanner.household.dry_run, the truth) counts and the facts the Jellyfin advice
reads (scanner.household.playback_library, the other on-demand read); a count
stores only over older ones; a run that changed nothing asks for none."""

from __future__ import annotations

import pytest

from scanner.engine.listener import want_code
from scanner.household import counts as person_counts
from scanner.household.dry_run import person_tracks
from scanner.household.playback_library import kind_facts
from scanner.models import (
    MediaServer,
    Person,
    PersonAccount,
    PersonCount,
    PersonItemWant,
    ScanRun,
)
from tests.factories import ScanRunFactory
from tests.web.admin.test_person_page import _library

pytestmark = pytest.mark.django_db


def _people(film_id: int) -> list[Person]:
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    marc = Person.objects.create(
        name="Marc", languages=["fra", "eng"], series_want="original-subtitled",
        movie_want="original",
    )  # fmt: skip
    tom = Person.objects.create(name="Tom", languages=["fra"])
    PersonItemWant.objects.create(person=tom, media_id=film_id, want="original")
    nobody = Person.objects.create(name="Nobody", languages=[])
    return [lea, marc, tom, nobody]


def test_the_stored_counts_are_the_dry_run_s_and_the_facts_the_advice_s() -> None:
    library = _library()
    for person in _people(library["film"].pk):
        assert person_counts.count_person(person.pk)
        stored = person_counts.stored_counts(person.pk)
        truth = person_tracks(person.listener(), per_outcome=0)
        assert stored.counts == truth.counts
        assert stored.counted_at is not None and not stored.queued
        wants = {"series": person.series_want, "movie": person.movie_want}
        assert stored.facts == {
            kind: kind_facts(kind, tuple(person.languages), want_code(wants[kind]))
            for kind in ("series", "movie")
        }
    lea = person_counts.stored_counts(Person.objects.get(name="Léa").pk)
    assert lea.counts and lea.facts is not None
    assert lea.facts["series"].wrong_default_files == 2  # the VFQ episodes' English default


def test_a_count_asked_is_queued_until_counted_and_never_stored_over_a_newer_one() -> None:
    _library()
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    assert person_counts.ask(lea.pk)
    asked = person_counts.stored_counts(lea.pk)
    assert asked.queued and asked.counted_at is None and asked.facts is None
    assert person_counts.count_person(lea.pk)
    assert not person_counts.stored_counts(lea.pk).queued
    PersonCount.objects.filter(person=lea).update(counted=5)  # a newer count stored first
    assert not person_counts.count_person(lea.pk)  # the older one (generation 1) is dropped
    assert set(PersonCount.objects.filter(person=lea).values_list("counted", flat=True)) == {5}
    assert not person_counts.ask(999_999) and not person_counts.count_person(999_999)


def test_a_run_that_changed_nothing_asks_for_no_count() -> None:
    _library()
    lea = Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    quiet = ScanRunFactory(status=ScanRun.Status.SUCCEEDED)
    assert person_counts.people_of_run(quiet.pk) == []
    probed = ScanRunFactory(status=ScanRun.Status.SUCCEEDED, files_probed=3)
    # Everyone: a page's figures count every instance's items, whichever servers the
    # person's accounts are on (a household on a server fed by another instance too).
    elsewhere = Person.objects.create(name="Marie", languages=["jpn"])
    server = MediaServer.objects.create(name="plex", kind=MediaServer.Kind.PLEX, url="http://p")
    PersonAccount.objects.create(
        person=elsewhere, media_server=server, account_id="3", account_name="Marie",
        account_kind=PersonAccount.Kind.PLEX_HOME,
    )  # fmt: skip
    assert person_counts.people_of_run(probed.pk) == [lea.pk, elsewhere.pk]
    assert person_counts.people_of_run(999_999) == []
