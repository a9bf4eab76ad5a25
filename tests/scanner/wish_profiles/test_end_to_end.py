"""Issue 82's "Done when", end to end: on default settings plus the mapping (the feature
set to write, each wish mapped to one of the *arr's own profiles), ``scan --inline``
with no worker, against fake Sonarr v4 and v5 and Radarr v6 that score real release
names from Sonarr's and Radarr's parser fixtures as CustomFormatCalculationService does
(fakes/arr/scoring.py; the profiles and formats: fakes/arr/format_samples.py):

- a Quebec request (the fake Seerr 3.1's webhook, over HTTP to the live server) ends with
  the VFQ profile, and the search that follows grabs the VFQ release, where the item's
  earlier profile would have grabbed MULTi.VFF;
- an "original only" anime ends with the Original profile (Sonarr v5's /api/v5 editor),
  no longer the German dub;
- a German household's film (Radarr v6) ends with the German profile;
- a profile changed by hand in the *arr is left alone; undo restores the earlier
  profile; an unchanged rescan writes nothing (the fake's editor PUTs counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakes.arr import RADARR_V6, SONARR_V4, SONARR_V5
from fakes.arr import format_samples as samples
from fakes.arr import release_names as names
from fakes.seerr import FakeSeerr, Notification
from scanner import tasks
from scanner.actions.wanted_languages import set_wanted
from scanner.engine.targets import ORIGINAL_ONLY
from scanner.models import Event, ItemProfile, Person, ProfileChange
from scanner.models import event_data as codes
from scanner.models.choices import Via
from scanner.pipeline.work import Work
from scanner.wish_profiles import hand
from scanner.wish_profiles.act import ACT
from tests.scanner.seerr.seerr_setup import SEERR_KEY, connect
from tests.scanner.wish_profiles.households import (
    instance_over,
    map_wishes,
    radarr,
    scan,
    sonarr,
    the_item,
)

pytestmark = pytest.mark.django_db(transaction=True)

State = ProfileChange.State
Reason = ProfileChange.Reason


def _profile_events(media_id: int | None) -> list[Event]:
    return list(Event.objects.filter(kind=Event.Kind.PROFILE, media_id=media_id).order_by("pk"))


def _searches(arr_commands: list[dict[str, object]], name: str) -> list[object]:
    return [command["body"] for command in arr_commands if command["name"] == name]


@pytest.fixture
def seerr() -> Iterator[FakeSeerr]:
    with FakeSeerr(api_key=SEERR_KEY, app="seerr", version="3.1.0") as fake:
        yield fake


@pytest.fixture
def followed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The items a task was sent to follow (ids only): the test runs each as a worker."""
    sent: list[int] = []
    monkeypatch.setattr(hand, "send_follow", sent.append)
    return sent


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The asks the webhook sends to a worker to answer, kept here."""
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.answer_seerr_asks, "delay", sent.append)
    return sent


def test_a_quebec_request_in_seerr_ends_with_the_vfq_profile_and_the_vfq_grab(
    seerr: FakeSeerr,
    live_server: Any,
    followed: list[int],
    answers: list[list[int]],
    sent_work: list[Work],
) -> None:
    """A French household's series is in "MULTi VFF"; a Quebec parent requests it in
    Seerr, whose webhook (over HTTP, from the fake Seerr 3.1) gives the item his
    languages (fr-CA first): its wish "fr-CA" maps to "VFQ", set by the worker the
    webhook woke, and the one search that follows grabs the VFQ release."""
    with sonarr(
        SONARR_V4,
        original="English",
        profile=samples.MULTI_VFF_ID,
        releases=names.SONARR_FRENCH_CHOICE,
    ) as arr:
        instance = instance_over(arr, targets=["fra"])
        map_wishes(instance, {"fra": samples.MULTI_VFF_ID, "fr-CA": samples.VFQ_ID})
        scan(instance)
        # Its wish ("fra") has its profile already: nothing written.
        assert arr.profile() == samples.MULTI_VFF_ID
        assert arr.editor_puts() == 0
        # What Sonarr grabs with it: MULTi.VFF (score 2000: VFF, MULTi, Original + French).
        assert arr.best() == names.SONARR_MULTI_VFF

        papa = seerr.state.add_user("papa@example.org", username="papa")
        person = Person.objects.create(name="Papa", languages=["fr-CA", "fra"])
        connect(seerr, live_server.url, "seerr", {papa.email: person})
        item = the_item(instance)
        show = seerr.state.add_media("tv", 300001, tvdb_id=item.tvdb_id, status=3)
        request = seerr.state.add_request(show, papa, seasons=(1,))
        approved = Notification(
            "MEDIA_APPROVED", media=show, request_id=request.id, requested_by=papa
        )
        assert seerr.notify(approved) == 202
        item.refresh_from_db()
        assert (list(item.targets_own), item.wanted_by) == (["fr-CA", "fra"], "Seerr (papa)")
        assert followed == [item.pk]  # at once, from the webhook: one task for the item
        ACT.run_item(item.pk)  # the worker

        assert arr.profile() == samples.VFQ_ID
        assert arr.editor_puts() == 1
        change = ProfileChange.objects.get(media=item)
        assert (change.state, change.reason, change.wish) == (State.WRITTEN, Reason.SEERR, "fr-CA")
        assert (change.profile_before, change.profile_after) == (
            samples.MULTI_VFF_ID,
            samples.VFQ_ID,
        )
        assert change.asked_by == "Seerr (papa)" and change.search_sent
        # One search followed the write (Sonarr's EpisodeSearch for the episodes without
        # the VFQ), and the fake grabbed with the new profile: the VFQ release.
        assert len(_searches(arr.fake.state.commands(), "EpisodeSearch")) == 1
        assert arr.fake.state.grabs(1) == [names.SONARR_FRENCH_VFQ]
        item.refresh_from_db()
        assert item.quality_profile_id == samples.VFQ_ID
        # Nothing for Seerr's worker yet: it answers once the series is available.
        assert (answers, sent_work) == ([], [])


def test_an_original_only_anime_ends_with_the_original_profile_on_sonarr_v5() -> None:
    """An anime in "HD-1080p" (no format scored) would be upgraded to its German DL; a
    person sets it to the original only: its wish "original" maps to "Original", sent
    through Sonarr v5's own editor (PUT /api/v5/series/editor, 200)."""
    with sonarr(
        SONARR_V5,
        original="Japanese",
        profile=1,
        releases=names.SONARR_ORIGINAL_CHOICE,
        audio="jpn",
        title="Anime",
    ) as arr:
        instance = instance_over(arr, targets=["deu"])
        map_wishes(instance, {"original": samples.ORIGINAL_ID})
        scan(instance)
        assert arr.profile() == 1  # its wish is "deu", which is not mapped: not managed
        assert arr.best() == names.SONARR_GERMAN_DL

        set_wanted(the_item(instance), (ORIGINAL_ONLY, []), user="alice", via=Via.ADMIN)
        scan(instance)

        assert arr.profile() == samples.ORIGINAL_ID
        assert arr.editor_puts() == 1
        assert arr.fake.state.counters().get(("PUT", "/api/v3/series/editor"), 0) == 0
        # The original-language release now, no dub: the German DL carries a German
        # dub beside the Japanese (Language: Besides Original, -1000: refused).
        assert arr.best() == names.SONARR_UNTAGGED
        change = ProfileChange.objects.get(media=the_item(instance))
        assert (change.state, change.reason, change.wish) == (
            State.WRITTEN,
            Reason.WISH,
            "original",
        )


def test_a_german_households_film_ends_with_the_german_profile_on_radarr_v6() -> None:
    """Radarr v6's "HD-1080p" wants the original language (a new profile's language is
    Original from v6): a German-only release is refused and the MULTi VFQ grabbed. The
    household's wish "deu" maps to "German" (German 10000, German DL 11000)."""
    with radarr(
        RADARR_V6, original="English", profile=1, releases=names.RADARR_GERMAN_CHOICE
    ) as arr:
        Person.objects.create(name="Jonas", languages=["deu"])
        instance = instance_over(arr, targets=["deu"])
        map_wishes(instance, {"deu": samples.GERMAN_ID, "original": samples.ORIGINAL_ID})
        assert arr.best() == names.RADARR_MULTI_VFQ

        scan(instance)

        assert arr.profile() == samples.GERMAN_ID
        assert arr.editor_puts() == 1
        assert arr.best() == names.RADARR_GERMAN_DL
        item = the_item(instance)
        change = ProfileChange.objects.get(media=item)
        assert (change.state, change.reason, change.wish) == (State.WRITTEN, Reason.WISH, "deu")
        assert (change.profile_before, change.profile_after) == (1, samples.GERMAN_ID)
        assert change.profile_after_name == "German"
        kept = ItemProfile.objects.get(media=item)
        assert (kept.set_profile_id, kept.earlier_profile_id, kept.hand) == (
            samples.GERMAN_ID,
            1,
            False,
        )
        # The change is an event, with what undo needs.
        (event,) = _profile_events(item.pk)
        assert event.data["what"] == codes.PROFILE_WRITTEN
        assert (event.data["change"], event.data["before"], event.data["after"]) == (
            change.pk,
            1,
            samples.GERMAN_ID,
        )


def test_an_unchanged_rescan_writes_nothing() -> None:
    with radarr(
        RADARR_V6, original="English", profile=1, releases=names.RADARR_GERMAN_CHOICE
    ) as arr:
        instance = instance_over(arr, targets=["deu"])
        map_wishes(instance, {"deu": samples.GERMAN_ID})
        scan(instance)
        assert arr.editor_puts() == 1
        changes = ProfileChange.objects.count()

        scan(instance)
        scan(instance)

        assert arr.editor_puts() == 1
        assert ProfileChange.objects.count() == changes
        assert arr.profile() == samples.GERMAN_ID


def test_a_profile_changed_by_hand_is_left_alone() -> None:
    with radarr(
        RADARR_V6, original="English", profile=1, releases=names.RADARR_GERMAN_CHOICE
    ) as arr:
        instance = instance_over(arr, targets=["deu"])
        map_wishes(instance, {"deu": samples.GERMAN_ID})
        scan(instance)
        assert arr.profile() == samples.GERMAN_ID

        # Someone sets the film back to "MULTi VFQ" in Radarr's own page.
        arr.set_profile_by_hand(samples.MULTI_VFQ_ID)
        scan(instance)
        scan(instance)

        assert arr.profile() == samples.MULTI_VFQ_ID
        assert arr.editor_puts() == 1  # Taggarr's one write, never another
        item = the_item(instance)
        kept = ItemProfile.objects.get(media=item)
        assert kept.hand is True
        assert kept.hand_profile_id == samples.MULTI_VFQ_ID
        assert not ProfileChange.objects.filter(state=State.PLANNED).exists()
        # Said once: Taggarr's write, then the hand seen.
        assert [e.data["what"] for e in _profile_events(item.pk)] == [
            codes.PROFILE_WRITTEN,
            codes.PROFILE_HAND,
        ]


def test_undo_restores_the_earlier_profile_and_it_stays() -> None:
    from scanner.wish_profiles.undo import undo

    with radarr(
        RADARR_V6, original="English", profile=1, releases=names.RADARR_GERMAN_CHOICE
    ) as arr:
        instance = instance_over(arr, targets=["deu"])
        map_wishes(instance, {"deu": samples.GERMAN_ID})
        scan(instance)
        change = ProfileChange.objects.get(state=State.WRITTEN)

        undo(change_ids=[change.pk], by="admin")

        assert arr.profile() == 1
        assert arr.editor_puts() == 2
        assert arr.best() == names.RADARR_MULTI_VFQ  # what it grabbed before
        change.refresh_from_db()
        assert (change.state, change.undone_by) == (State.UNDONE, "admin")
        assert [e.data["what"] for e in _profile_events(change.media_id)] == [
            codes.PROFILE_WRITTEN,
            codes.PROFILE_UNDONE,
        ]
        # The person said so: left alone by the next scans.
        scan(instance)
        assert arr.profile() == 1
        assert arr.editor_puts() == 2
        assert ItemProfile.objects.get(media=the_item(instance)).hand is True
