"""A person's counts of what will play, kept in the background (issue 70): one pass
over the library's files (scanner.household.dry_run.item_outcomes, the dry run's
one truth) that counts both the outcomes per kind and the facts of the library their
Jellyfin or Emby advice reads (scanner.household.playback_facts), stored per
person and kind (scanner.models.PersonCount). The page reads them: a few rows, whatever
the library's size. A worker counts (scanner.tasks.count_person_tracks, the person's
id only); scanner.household.count_requests asks for a count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from scanner.engine.listener import want_code
from scanner.engine.track_choice import ChoiceOutcome
from scanner.engine.tracks import AudioTrack
from scanner.household.dry_run import OutcomeCount, person_tracks
from scanner.household.playback_advice import LibraryFacts, SharedCode
from scanner.household.playback_facts import FactsTally, FileAudio
from scanner.models import Person, PersonCount, ScanRun

KINDS = ("series", "movie")


@dataclass(frozen=True)
class Counted:
    """One pass's figures: the dry run's counts, and the facts per kind."""

    counts: tuple[OutcomeCount, ...]
    facts: Mapping[str, LibraryFacts]


def count_pass(person: Person) -> Counted:
    """The dry run and the library's facts of ``person`` in one pass over the files."""
    languages = tuple(person.languages)
    tallies = {
        "series": FactsTally(languages, want_code(person.series_want)),
        "movie": FactsTally(languages, want_code(person.movie_want)),
    }

    def on_file(kind: str, audio: tuple[AudioTrack, ...], original: str | None) -> None:
        tally = tallies.get(kind)
        if tally is not None:
            tally.add(FileAudio(audio, original))

    report = person_tracks(person.listener(), per_outcome=0, on_file=on_file)
    return Counted(report.counts, {kind: tally.facts() for kind, tally in tallies.items()})


def ask(person_id: int) -> bool:
    """A count asked for ``person_id`` (its rows made, ``asked`` raised); False when the
    person is gone."""
    if not Person.objects.filter(pk=person_id).exists():
        return False
    now = timezone.now()
    with transaction.atomic():
        for kind in KINDS:
            PersonCount.objects.get_or_create(person_id=person_id, kind=kind)
        PersonCount.objects.filter(person_id=person_id).update(asked=F("asked") + 1, asked_at=now)
    return True


def count_person(person_id: int) -> bool:
    """Count ``person_id``'s figures and store them over older ones; False when there
    was nothing to count (the person gone) or a newer count stored first."""
    asked = dict(
        PersonCount.objects.filter(person_id=person_id).values_list("kind", "asked")
    )  # read before the person: a change after this asks again
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return False
    counted = count_pass(person)
    now = timezone.now()
    stored = False
    with transaction.atomic():
        for kind in KINDS:
            generation = asked.get(kind, 0)
            row, _ = PersonCount.objects.get_or_create(person_id=person_id, kind=kind)
            facts = counted.facts[kind]
            stored |= bool(
                PersonCount.objects.filter(pk=row.pk, counted__lte=generation).update(
                    outcomes=[
                        [count.outcome.value, count.language, count.count]
                        for count in counted.counts
                        if count.kind == kind
                    ],
                    wrong_default_files=facts.wrong_default_files,
                    shared_codes=[
                        [shared.code, list(shared.varieties), shared.files]
                        for shared in facts.shared_codes
                    ],
                    counted=generation,
                    counted_at=now,
                )
            )
    return stored


@dataclass(frozen=True)
class StoredCounts:
    """What the page shows: the counts and facts of the last count (None before the
    first), when it was made, and whether a count is queued."""

    counts: tuple[OutcomeCount, ...]
    facts: Mapping[str, LibraryFacts] | None
    counted_at: datetime | None
    queued: bool
    asked_at: datetime | None


def stored_counts(person_id: int) -> StoredCounts:
    """The stored figures of ``person_id``: one query."""
    rows = {row.kind: row for row in PersonCount.objects.filter(person_id=person_id)}
    counted = [row for row in rows.values() if row.counted_at is not None]
    asked_at = max((row.asked_at for row in rows.values() if row.asked_at), default=None)
    if len(counted) < len(KINDS):
        return StoredCounts((), None, None, bool(rows), asked_at)
    counts = tuple(
        OutcomeCount(kind, ChoiceOutcome(outcome), language, count)
        for kind in sorted(KINDS)  # the report's order: by kind, then as stored
        for outcome, language, count in rows[kind].outcomes
    )
    facts = {
        kind: LibraryFacts(
            wrong_default_files=rows[kind].wrong_default_files,
            shared_codes=tuple(
                SharedCode(code, tuple(varieties), files)
                for code, varieties, files in rows[kind].shared_codes
            ),
        )
        for kind in KINDS
    }
    return StoredCounts(
        counts,
        facts,
        min(row.counted_at for row in counted if row.counted_at is not None),
        any(row.asked > row.counted for row in rows.values()),
        asked_at,
    )


def people_of_run(run_id: int) -> list[int]:
    """The people to count again after ``run_id``: none when it changed no file and no
    verdict; else everyone, as each page's figures count the whole library, every
    instance's items (a household is a handful of people, a count a pass of seconds)."""
    run = ScanRun.objects.filter(pk=run_id).first()
    if run is None or not (run.files_probed or run.file_errors or run.tags_changed):
        return []
    return list(Person.objects.order_by("pk").values_list("pk", flat=True))
