"""Issue 82, "from a request to the right grab", end to end: a fake Jellyseerr
(fakes/seerr) sends its webhook to Taggarr over HTTP; the fake Radarr (fakes/arr) sets
a quality profile with its editor (MovieEditorController) and, on a search, grabs the
release its item's profile scores best (CustomFormatCalculationService, real release
names from Radarr's parser fixtures: fakes/arr/release_names.py).

The film is on the profile that takes a France dub ("MULTi VFF"); its Quebec requester's
wish, Canadian French, is mapped to "VFQ". A search under the first grabs the MULTi VF,
under the second the MULTi VFQ: which one was grabbed shows which profile the *arr held
when it searched. Seerr's own search for the missing dub and the profile's are one
(scanner/seerr/profiles.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery import current_app
from kombu.exceptions import OperationalError

from fakes.arr import format_samples as samples
from fakes.arr import release_names as names
from fakes.seerr import AUDIO, FakeSeerr, Notification
from fakes.seerr.state import Issue
from scanner import tasks
from scanner.leases import new_token
from scanner.models import Instance, Media, MissingSearch, ProfileChange, SeerrAsk, WishProfile
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan, Work
from scanner.wish_profiles import hand
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.act import ACT
from tests.helpers import scan_inline
from tests.scanner.seerr import test_seerr_flow as flow
from tests.scanner.seerr.seerr_setup import marks, unmarked
from tests.scanner.seerr.test_seerr_flow import VFF, Film, Household

pytestmark = pytest.mark.django_db(transaction=True)
# The flow's fixtures: a fake Jellyseerr, Radarr's film (a real file), the household.
seerr, film, movies, household = flow.seerr, flow.film, flow.movies, flow.household

# Radarr's releases of the film: under "MULTi VFF" the MULTi VF wins, under "VFQ" the
# MULTi VFQ (fakes/arr/format_samples.py: VFQ +1000, a bare VF -500).
RELEASES = (names.RADARR_MULTI_VF, names.RADARR_MULTI_VFQ)
ONLY_VFF = (
    "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
    "Taggarr recherche une version avec l'audio en français québécois."
)
ONLY_VFF_TOLD_LATER = (
    "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
    "Taggarr le signalera quand une version avec l'audio en français québécois sera importée."
)
VFQ_SET = (
    "Taggarr a choisi le profil de qualité «\u00a0VFQ\u00a0» dans Radarr pour "
    "récupérer les versions avec l'audio en français québécois."
)


@pytest.fixture
def followed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The items whose quality profile a task was sent to follow (ids only), kept here:
    the test runs each as a worker runs it (ACT.run_item)."""
    sent: list[int] = []
    monkeypatch.setattr(hand, "send_follow", sent.append)
    return sent


@pytest.fixture
def mapped(film: Film, movies: Instance) -> Iterator[Instance]:
    """Radarr's formats and profiles (fakes/arr/format_samples.py), the film on "MULTi
    VFF" with its releases, and the instance setting each item's profile with Canadian
    French mapped to "VFQ"."""
    radarr = film.radarr.state
    samples.seed(radarr)
    radarr.set_releases(1, RELEASES)
    radarr.put_item(1, {**radarr.item(1), "qualityProfileId": samples.MULTI_VFF_ID})
    movies.wish_profiles = Instance.WishProfiles.SET
    movies.save()
    WishProfile.objects.create(
        instance=movies, wish="fr-CA", profile_id=samples.VFQ_ID, profile_name="VFQ"
    )
    scan_inline(movies)  # the film's profile as Radarr lists it
    assert Media.objects.get(instance=movies).quality_profile_id == samples.MULTI_VFF_ID
    yield movies


def _approved(household: Household) -> Notification:
    return Notification(
        "MEDIA_APPROVED", media=household.film, request_id=7, requested_by=household.papa
    )


def _run_sent(sent_work: list[Work]) -> None:
    """The item scans the webhook queued, run as a worker runs them (their end answers)."""
    plans = [work for work in sent_work if isinstance(work, Plan)]
    sent_work.clear()
    if plans:
        run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)


def _comments(issue: Issue) -> list[str]:
    return [unmarked(comment.message) for comment in issue.comments]


def _searches(film: Film) -> list[dict[str, object]]:
    return [c["body"] for c in film.radarr.state.commands() if c["name"] == "MoviesSearch"]


def test_the_quebec_request_sets_the_vfq_profile_before_the_arrs_first_search(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """The webhook comes before Radarr's search (MediaRequest.ts sends MEDIA_APPROVED and
    MediaRequestSubscriber.ts sends the request to Radarr, neither waiting for the other;
    radarr.ts addMovie: a MoviesSearch for a movie it monitors without its file): the
    worker the webhook woke sets the profile first, then searches once (as Radarr
    searches a film it adds), and Radarr's own search grabs the Quebec release too."""
    film.not_downloaded()
    scan_inline(mapped)
    assert seerr.notify(_approved(household)) == 202
    item = Media.objects.get(instance=mapped)
    assert followed == [item.pk]  # at once, from the webhook: a task for the item
    assert film.radarr.state.profile_edits(1) == []  # nothing in the request itself
    ACT.run_item(item.pk)  # the worker
    assert film.radarr.state.item(1)["qualityProfileId"] == samples.VFQ_ID
    assert film.radarr.state.profile_edits(1) == [samples.VFQ_ID]
    film.radarr.state.record_command({"name": "MoviesSearch", "movieIds": [1]})  # Seerr's
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VFQ, names.RADARR_MULTI_VFQ]
    (change,) = ProfileChange.objects.filter(media=item)
    assert (change.reason, change.state, change.asked_by, change.search_sent) == (
        ProfileChange.Reason.SEERR,
        ProfileChange.State.WRITTEN,
        "Seerr (papa)",
        True,
    )
    assert len(_searches(film)) == 2  # Taggarr's one, then Seerr's own
    assert seerr.state.issues == {}  # nothing to say before the file


def test_the_answer_in_french_names_the_profile_and_a_webhook_sent_twice_searches_once(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """A film already in the library with the France dub only: the answer (after the scan
    that reads the variety) writes the waiting profile first, then tells Papa in his
    French where the film stands and which profile Taggarr set and why. Its one search is
    the profile's: Seerr's own missing-dub search is not asked for besides. The same
    webhook again, and a re-approval, do nothing twice."""
    approved = _approved(household)
    assert seerr.notify(approved) == 202
    assert seerr.notify(approved) == 200  # the same body: a duplicate
    item = Media.objects.get(instance=mapped)
    assert followed == [item.pk]  # once: the duplicate followed nothing
    _run_sent(sent_work)  # Radarr's "French" names no variety: read first, then answered
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [f"{ONLY_VFF}\n\n{VFQ_SET}"]
    assert film.radarr.state.profile_edits(1) == [samples.VFQ_ID]
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VFQ]
    assert ProfileChange.objects.get(media=item).search_sent
    assert MissingSearch.objects.count() == 1  # the profile's, after its write

    ACT.run_item(item.pk)  # the webhook's task, late: the change is written already
    again = Notification(
        "MEDIA_APPROVED",
        media=household.film,
        request_id=7,
        requested_by=household.papa,
        subject="Le Film (2020)",  # re-approved: another body, the same request
    )
    assert seerr.notify(again) == 200
    scan_inline(mapped)
    assert len(issue.comments) == 1 and marks([c.message for c in issue.comments]) == [
        (SeerrAsk.objects.get().pk, 1)
    ]
    assert film.radarr.state.profile_edits(1) == [samples.VFQ_ID]
    assert len(_searches(film)) == 1
    assert ProfileChange.objects.filter(media=item).count() == 1


def test_a_request_for_a_film_radarr_adds_later_is_set_and_searched_once_then_told(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """Seerr adds the film to Radarr, which searches at once (radarr.ts addMovie:
    ``addOptions.searchForMovie``) before Taggarr knows it, and grabs the France dub. The
    run that brings it matches the ask and gives the film Papa's languages: its profile
    follows, and Taggarr's one search under it. When the France dub is imported, the
    answer names the profile and says the search; Seerr searches nothing besides."""
    radarr = film.radarr.state
    added = {**radarr.item(1), "qualityProfileId": samples.MULTI_VFF_ID}
    film.not_downloaded()
    radarr.set_items([])
    scan_inline(mapped)
    assert not Media.objects.filter(instance=mapped).exists()
    assert seerr.notify(_approved(household)) == 202
    assert followed == [] and SeerrAsk.objects.get().media is None

    radarr.set_items([{**added, "hasFile": False}])  # Seerr's POST /movie
    radarr.record_command({"name": "MoviesSearch", "movieIds": [1]})  # Radarr's own
    assert radarr.grabs(1) == [names.RADARR_MULTI_VF]  # the France dub: the old profile
    scan_inline(mapped)
    item = Media.objects.get(instance=mapped)
    assert item.pk in followed and SeerrAsk.objects.get().media == item
    ACT.run_item(item.pk)
    assert radarr.profile_edits(1) == [samples.VFQ_ID]
    assert radarr.grabs(1) == [names.RADARR_MULTI_VF, names.RADARR_MULTI_VFQ]
    assert seerr.state.issues == {}

    film.import_release(VFF)  # the MULTi VF Radarr grabbed first was imported
    household.film.status = 5
    available = Notification(
        "MEDIA_AVAILABLE", media=household.film, request_id=7, requested_by=household.papa
    )
    assert seerr.notify(available) == 202
    _run_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [f"{ONLY_VFF}\n\n{VFQ_SET}"]
    assert radarr.grabs(1) == [names.RADARR_MULTI_VF, names.RADARR_MULTI_VFQ]
    assert MissingSearch.objects.count() == 1  # Taggarr's one, after the write
    scan_inline(mapped)
    assert len(issue.comments) == 1 and len(_searches(film)) == 2


def test_a_profile_only_planned_leaves_the_search_to_seerr_and_is_not_told(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """ "Plan only" writes nothing in Radarr: the profile's change is planned, nothing
    searches for it, so Seerr's answer reserves its own bounded search (the film still
    on "MULTi VFF": the MULTi VF grabbed) and says nothing of a profile."""
    mapped.wish_profiles = Instance.WishProfiles.PLAN
    mapped.save()
    assert seerr.notify(_approved(household)) == 202
    _run_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [ONLY_VFF]
    assert film.radarr.state.profile_edits(1) == []
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VF]
    assert MissingSearch.objects.filter(trigger=MissingSearch.Trigger.WEBHOOK).count() == 1
    item = Media.objects.get(instance=mapped)
    assert ProfileChange.objects.get(media=item).state == ProfileChange.State.PLANNED


def test_an_answer_while_a_worker_holds_the_item_leaves_the_search_to_it_then_tells_it(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """The webhook's task holds the film (its lease: scanner/wish_profiles/lease.py) when
    the answer comes: the answer cannot write the profile first, so it searches nothing
    (a search now would be under "MULTi VFF") and says nothing of a profile. The holder
    writes it and searches once, under "VFQ"; the next run's answer tells the profile
    alone, once."""
    assert seerr.notify(_approved(household)) == 202
    item = Media.objects.get(instance=mapped)
    token = new_token()
    assert item_lease.take(item.pk, token)  # the webhook's task, on another worker
    _run_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [ONLY_VFF_TOLD_LATER]
    assert _searches(film) == [] and film.radarr.state.profile_edits(1) == []

    ACT.run_item(item.pk, token=token)  # the holder goes on
    assert film.radarr.state.profile_edits(1) == [samples.VFQ_ID]
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VFQ]
    scan_inline(mapped)
    assert _comments(issue) == [ONLY_VFF_TOLD_LATER, VFQ_SET]
    scan_inline(mapped)
    assert len(issue.comments) == 2 and len(_searches(film)) == 1


def test_an_audio_issue_sets_the_profile_and_its_answer_names_it(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    followed: list[int],
    sent_work: list[Work],
) -> None:
    """An Audio issue Papa reports on the film gives it his languages as a request does
    (IssueSubscriber.ts: ISSUE_CREATED): its profile follows, and the comment on his own
    issue names it, after the one search under it."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ")
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
    item = Media.objects.get(instance=mapped)
    assert followed == [item.pk]
    _run_sent(sent_work)  # Radarr's "French" names no variety: read first, then answered
    assert _comments(issue)[1:] == [f"{ONLY_VFF}\n\n{VFQ_SET}"]
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VFQ]
    assert len(_searches(film)) == 1


def test_a_broker_that_is_down_loses_no_request_and_answers_no_5xx(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    mapped: Instance,
    monkeypatch: pytest.MonkeyPatch,
    sent_work: list[Work],
) -> None:
    """The item's task cannot be sent (the broker unreachable): the webhook still answers
    Seerr (which never sends it again: webhook.ts only logs an error), and the ask kept on
    the item's lease is planned by the answer's worker, which sets the profile before it
    tells it."""

    def unreachable(name: str, args: list[int]) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(current_app, "send_task", unreachable)
    assert seerr.notify(_approved(household)) == 202
    assert film.radarr.state.profile_edits(1) == []
    _run_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [f"{ONLY_VFF}\n\n{VFQ_SET}"]
    assert film.radarr.state.grabs(1) == [names.RADARR_MULTI_VFQ]
