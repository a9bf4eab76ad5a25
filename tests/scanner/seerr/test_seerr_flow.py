"""Issue 72 end to end: a fake Jellyseerr (fakes/seerr, written from its sources:
docs/seerr.md) sends its Webhook agent's notifications to Taggarr over HTTP (the live
server), rendered from the template Taggarr gives; a real Radarr fake lists a film whose
real file MediaInfo reads; Taggarr comments in Seerr through its API, in the asker's
language, and Radarr gets the search.

The film arrives with only the France dub (VFF) for a Quebec parent: a French comment
and a search, then, when a release with the VFQ is imported and scanned, a second
comment and the issue resolved."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_movie
from fakes.seerr import AUDIO, FakeSeerr, Notification
from fakes.seerr.state import CREATE_ISSUES, ISSUE_OPEN, ISSUE_RESOLVED, REQUEST, Issue, User
from fakes.seerr.state import Media as SeerrMedia
from scanner import tasks
from scanner.actions.scans import request_item_scan
from scanner.engine.targets import OWN_LIST
from scanner.models import (
    Event,
    Instance,
    Media,
    MissingSearch,
    Person,
    SeerrAsk,
    SeerrConnection,
    SeerrUser,
)
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan, Work
from scanner.seerr.connection_test import test_connection as run_connection_test
from tests.capture import CapturingServer, capturing_server
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.library import REMOTE_MOVIES, arr_file
from tests.media import AudioSpec, MediaFactory
from tests.scanner.seerr.seerr_setup import SEERR_KEY, connect, marks, unmarked
from tests.worker import LOG_TIMEOUT, celery_worker, task_done

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Le Film"
VFF = [AudioSpec("eng", default=True), AudioSpec("fre", title="VFF")]
VFF_AND_VFQ = [*VFF, AudioSpec("fre", title="VFQ")]


@dataclass
class Film:
    folder: Path
    path: Path
    media: MediaFactory
    radarr: FakeArr

    def import_release(self, audio: list[AudioSpec]) -> None:
        """A new release of the film imported: its file replaced, Radarr's entry too."""
        self.media.make_video(self.path, audio)
        item = self.radarr.state.item(1)
        languages = tuple(spec.language for spec in audio)
        file = {"id": 1, "movieId": 1, **arr_file(self.path, self.folder, languages)}
        self.radarr.state.put_item(1, {**item, "hasFile": True, "movieFile": file})

    def not_downloaded(self) -> None:
        """Radarr has the film (added when it was requested), not its file yet."""
        self.path.unlink()
        item = {**self.radarr.state.item(1), "hasFile": False}
        item.pop("movieFile", None)
        self.radarr.state.set_items([item])


@pytest.fixture
def film(tmp_path: Path, media: MediaFactory) -> Iterator[Film]:
    folder = tmp_path / "movies" / f"{TITLE} (2020)"
    path = media.make_video(folder / f"{TITLE} (2020).mkv", VFF)
    item = build_movie(
        1, title=TITLE, path=f"{REMOTE_MOVIES}/{TITLE} (2020)", original_language="English"
    )
    item["movieFile"] = {"id": 1, "movieId": 1, **arr_file(path, folder, ("eng", "fre"))}
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with FakeArr(options, items=[item]) as radarr:
        yield Film(folder, path, media, radarr)


@pytest.fixture
def movies(film: Film) -> Instance:
    root = str(film.folder.parent)
    instance = InstanceFactory(
        name="movies",
        kind=Instance.Kind.RADARR,
        url=film.radarr.url,
        api_key=ARR_KEY,
        root_folders=[root],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": root}],
        target_languages=["eng"],
    )
    assert scan_inline(instance).status == "succeeded"
    return instance


@pytest.fixture
def seerr(request: pytest.FixtureRequest) -> Iterator[FakeSeerr]:
    """Jellyseerr 2.5.2, or the (app, version) a test gives (indirect parametrize)."""
    app, version = getattr(request, "param", ("jellyseerr", "2.5.2"))
    with FakeSeerr(api_key=SEERR_KEY, app=app, version=version) as fake:
        yield fake


@dataclass
class Household:
    connection: SeerrConnection
    papa: User  # Seerr's user, linked to the Quebec parent
    film: SeerrMedia  # Seerr's media row of the film


@pytest.fixture
def household(seerr: FakeSeerr, live_server: Any, movies: Instance) -> Household:
    papa = seerr.state.add_user("Papa@Example.org", username="papa")
    person = Person.objects.create(name="Papa", languages=["fr-CA", "fra"])
    connection = connect(seerr, live_server.url, "jellyseerr", {papa.email: person})
    return Household(connection, papa, seerr.state.add_media("movie", 200001, status=3))


def _searches(film: Film) -> list[dict[str, Any]]:
    return [c["body"] for c in film.radarr.state.commands() if c["name"] == "MoviesSearch"]


def _comments(issue: Issue) -> list[tuple[int, str]]:
    """Who said what on the issue, Taggarr's marker left out (asserted by _marks)."""
    return [(comment.user.id, unmarked(comment.message)) for comment in issue.comments]


def _marks(issue: Issue) -> list[tuple[int, int]]:
    return marks([comment.message for comment in issue.comments])


def test_connection_test_lists_the_users_and_proves_the_key(
    household: Household, seerr: FakeSeerr
) -> None:
    """GET /api/v1/status answers anyone; /auth/me proves the key (server/middleware/auth.ts:
    the key acts as user 1); /user lists e-mails to the owner (User.filteredFields) and
    each user's permissions (lib/permissions.ts: ADMIN holds every one; POST /issue takes
    CREATE_ISSUES or MANAGE_ISSUES)."""
    connection = household.connection
    assert (connection.version, connection.key_user_email) == ("2.5.2", "admin@example.org")
    assert connection.active
    seerr.state.add_user("nana@example.org", username="nana", permissions=REQUEST | CREATE_ISSUES)
    assert run_connection_test(connection).ok
    users = SeerrUser.objects.filter(connection=connection).order_by("seerr_id")
    assert [(u.seerr_id, u.email, u.display_name, u.may_report_issues) for u in users] == [
        (1, "admin@example.org", "admin", True),
        (2, "papa@example.org", "papa", False),  # Seerr's default: REQUEST only
        (3, "nana@example.org", "nana", True),
    ]
    connection.set_api_key("not-the-key-0000")
    connection.save()
    failed = run_connection_test(connection)
    assert (failed.ok, failed.text) == (False, "Connection test failed: Seerr refused the API key.")


@pytest.mark.parametrize("seerr", [("jellyseerr", "2.3.0"), ("seerr", "3.1.0")], indirect=True)
def test_a_jellyfin_user_whose_email_is_their_name_is_followed(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """Jellyseerr's import from Jellyfin stores the Jellyfin user's name as their
    ``email`` (server/routes/user/index.ts, import-from-jellyfin; the same in Seerr 3.1),
    so the webhook's ``requestedBy_email`` is "maria": taken as the name Seerr knows her
    by, never checked for an e-mail's shape; listed with her kind (userType JELLYFIN)."""
    maria = seerr.state.import_jellyfin_user("Maria")
    connection = household.connection
    assert run_connection_test(connection).ok
    row = SeerrUser.objects.get(connection=connection, seerr_id=maria.id)
    assert (row.email, row.display_name, row.user_type) == (
        "maria",
        "Maria",
        SeerrUser.Kind.JELLYFIN,
    )
    row.person = Person.objects.create(name="Maria", languages=["fr-CA"])
    row.save()

    film.not_downloaded()
    scan_inline(movies)
    seerr_film = household.film
    request = seerr.state.add_request(seerr_film, maria)
    approved = Notification(
        "MEDIA_APPROVED", media=seerr_film, request_id=request.id, requested_by=maria
    )
    assert seerr.notify(approved) == 202
    item = Media.objects.get(instance=movies, tmdb_id=200001)
    assert (list(item.targets_own), item.wanted_by) == (["fr-CA"], "Seerr (Maria)")
    film.import_release(VFF)
    seerr_film.status = 5
    available = Notification(
        "MEDIA_AVAILABLE", media=seerr_film, request_id=request.id, requested_by=maria
    )
    assert seerr.notify(available) == 202
    _scan_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert _comments(issue) == [
        (
            1,
            "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
            "Taggarr recherche une version avec l'audio en français québécois.",
        )
    ]
    ask = SeerrAsk.objects.get()
    assert (ask.asker, ask.asker_email, ask.seasons) == (row, "maria", [])


def test_a_user_whose_email_changed_since_the_test_is_known_by_their_seerr_id(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    movies: Instance,
    sent_work: list[Work],
    answers: list[list[int]],
) -> None:
    """The webhook names the requester by their ``email`` only (webhook.ts' KeyMap has no
    user id), which they may change in Seerr after the connection test listed them. GET
    /request/:id names them by id (MediaRequest.requestedBy, eager): Papa is still Papa,
    and his row takes the e-mail Seerr holds now."""
    papa = household.papa
    papa.email = "papa.neu@example.org"  # changed in his Seerr settings since the test
    film.not_downloaded()
    scan_inline(movies)
    request = seerr.state.add_request(household.film, papa)
    approved = Notification(
        "MEDIA_APPROVED", media=household.film, request_id=request.id, requested_by=papa
    )
    assert seerr.notify(approved) == 202
    (asks,) = answers  # who asked is read from Seerr by a worker
    assert tasks.answer_seerr_asks(asks) == 0  # nothing to say before the file
    assert ("GET", f"/api/v1/request/{request.id}") in seerr.state.requests_seen
    row = SeerrUser.objects.get(connection=household.connection, seerr_id=papa.id)
    assert row.email == "papa.neu@example.org" and row.person is not None
    ask = SeerrAsk.objects.get()
    assert (ask.asker, ask.language) == (row, "fr-CA")
    item = Media.objects.get(instance=movies, tmdb_id=200001)
    assert (list(item.targets_own), item.wanted_by) == (["fr-CA", "fra"], "Seerr (papa)")
    film.import_release(VFF)
    household.film.status = 5
    available = Notification(
        "MEDIA_AVAILABLE", media=household.film, request_id=request.id, requested_by=papa
    )
    assert seerr.notify(available) == 202
    _scan_sent(sent_work)
    (issue,) = seerr.state.issues.values()
    assert len(issue.comments) == 1
    assert issue.comments[0].message.startswith("Le Film\u00a0: seul le doublage")


def test_an_issue_by_a_user_added_since_the_test_lists_them_to_be_linked(
    household: Household, seerr: FakeSeerr, answers: list[list[int]]
) -> None:
    """A user Seerr added after the connection test: the webhook's name is none of the
    listed users', the issue names its reporter by id (GET /issue/:id, ``createdBy``:
    issue.ts answers the entity). Stored, to be linked to a person; said once."""
    nana = seerr.state.add_user("nana@example.org", username="nana")
    issue = seerr.state.add_issue(AUDIO, household.film, nana, "Pas de français")
    created = Notification("ISSUE_CREATED", media=household.film, issue=issue)
    assert seerr.notify(created) == 202
    (asks,) = answers
    assert tasks.answer_seerr_asks(asks) == 0
    assert ("GET", f"/api/v1/issue/{issue.id}") in seerr.state.requests_seen
    row = SeerrUser.objects.get(connection=household.connection, seerr_id=nana.id)
    assert (row.email, row.display_name, row.user_type, row.person) == (
        "nana@example.org",
        "nana",
        SeerrUser.Kind.LOCAL,
        None,
    )
    assert SeerrAsk.objects.get().done and len(issue.comments) == 1
    assert Event.objects.filter(data__what="seerr_no_person").count() == 1
    assert seerr.notify(created) == 200  # delivered again: nothing twice


@dataclass
class OtherInboxes:
    nana: CapturingServer  # Nana's own notifier (fr-FR)
    german: CapturingServer  # the household's, for German news
    parents: CapturingServer  # the household's, for Seerr answers only, in French


@pytest.fixture
def others(household: Household) -> Iterator[OtherInboxes]:
    """Notifiers beside Papa's own: none of them his, each hears only what is its."""
    nana = Person.objects.create(name="Nana", languages=["fr-FR"])
    with (
        capturing_server() as nana_inbox,
        capturing_server() as german,
        capturing_server() as parents,
    ):
        NotifierFactory(url=nana_inbox.url, person=nana, rate_limit_minutes=0)
        NotifierFactory(url=german.url, languages=["deu"], rate_limit_minutes=0)
        NotifierFactory(url=parents.url, language="fr", events=["seerr"], rate_limit_minutes=0)
        yield OtherInboxes(nana_inbox, german, parents)


def test_a_quebec_request_that_arrives_in_vff_is_told_searched_and_told_again(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    movies: Instance,
    sent_work: list[Work],
    inbox: CapturingServer,
    others: OtherInboxes,
) -> None:
    # Papa's own notifier, every field left as it comes (every kind, 15 minutes' rate
    # limit): his answers, in his French, the arrival minutes after the first answer.
    NotifierFactory(url=inbox.url, person=Person.objects.get(name="Papa"))
    papa, seerr_film = household.papa, household.film
    seerr.state.webhook_before_answer = True  # IssueSubscriber: ISSUE_CREATED comes first
    film.not_downloaded()
    scan_inline(movies)
    approved = Notification("MEDIA_APPROVED", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(approved) == 202
    item = Media.objects.get(instance=movies, tmdb_id=200001)
    assert (item.wanted, list(item.targets_own)) == (OWN_LIST, ["fr-CA", "fra"])
    assert sent_work == [] and seerr.state.issues == {}  # nothing to say before the file

    film.import_release(VFF)  # Radarr grabbed a release: the France dub only
    seerr_film.status = 5  # MediaStatus.AVAILABLE
    available = Notification("MEDIA_AVAILABLE", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(available) == 202
    plans = [work for work in sent_work if isinstance(work, Plan)]
    assert len(plans) == 1  # the item's scan, run here as a worker runs it
    run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)

    # Papa holds Seerr's default permissions (REQUEST): he may not open issues
    # (issue.ts), so the key's user opens it.
    (issue,) = seerr.state.issues.values()
    assert (issue.issue_type, issue.created_by.id, issue.status) == (AUDIO, 1, ISSUE_OPEN)
    assert _comments(issue) == [
        (
            1,
            "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
            "Taggarr recherche une version avec l'audio en français québécois.",
        )
    ]
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
    # Its ISSUE_CREATED, reported by the key's user, came before the POST's answer: known
    # as Taggarr's own (the request being opened), not answered.
    assert seerr.state.deliveries[:1] == [("ISSUE_CREATED", 200)]
    assert SeerrAsk.objects.get().issue_id == issue.id
    (told,) = inbox.wait_for(1)  # sent before the task ended: nothing to wait for
    assert (told["title"], told["message"]) == ("Taggarr\u00a0: Le Film", _comments(issue)[0][1])
    # Seerr tells Taggarr of the issue it opened: its own, ignored (no loop).
    assert seerr.notify(Notification("ISSUE_CREATED", media=seerr_film, issue=issue)) == 200

    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert issue.status == ISSUE_RESOLVED
    assert _comments(issue)[1:] == [
        (1, "Le Film\u00a0: l'audio en français québécois est maintenant dans la bibliothèque.")
    ]
    # Told once, by the answer to his request: the run's dub news leave it out of his
    # own notifier's message, and its rate limit holds no answer of his back.
    arrived = inbox.wait_for(2)[1]
    assert (arrived["title"], arrived["message"]) == (
        "Taggarr\u00a0: Le Film",
        _comments(issue)[1][1],
    )
    scan_inline(movies)  # nothing changed: nothing more said
    assert len(issue.comments) == 2
    assert len(inbox.posts) == 2
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
    whats = list(Event.objects.filter(kind=Event.Kind.SEERR).values_list("data__what", flat=True))
    assert {"seerr_wanted", "seerr_scan", "seerr_searched", "seerr_commented"} <= set(whats)
    # The admin is told why Seerr itself will not tell Papa (no "Report Issues").
    assert "seerr_opened_by_key" in whats
    assert "seerr_resolved" in whats
    # Nana's own heard nothing of Papa's request, nor the German news' of a French dub;
    # the household's Seerr notifier was told both answers, Seerr's arrival sentence too,
    # in its own French (fr): the variety named as France names it, where Papa's Quebec
    # French names it his way (scanner.language_names.SPEAKERS_NAMES).
    assert others.nana.posts == [] and others.german.posts == []
    assert [post["message"] for post in others.parents.wait_for(2)] == [
        # and with France's narrow space before ";" where Quebec puts none
        message.replace("français québécois", "français canadien").replace(
            "bibliothèque; ", "bibliothèque\u202f; "
        )
        for _, message in _comments(issue)
    ]


def test_the_issue_is_opened_as_the_requester_and_its_webhook_is_known_as_taggarrs(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """server/middleware/auth.ts: the API key with X-API-User acts as that user; issue.ts:
    POST /issue needs CREATE_ISSUES (or MANAGE_ISSUES), not VIEW_ISSUES. The requester
    is the issue's creator, so IssueCommentSubscriber.ts and IssueSubscriber.ts notify
    them of Taggarr's later comment and of the issue resolved. Seerr's ISSUE_CREATED for
    it (IssueSubscriber.afterInsert, not awaited) may reach the webhook before POST /issue
    answers, as it does here: it is Taggarr's own, not answered a second time."""
    papa, seerr_film = household.papa, household.film
    papa.permissions = REQUEST | CREATE_ISSUES  # may open issues, may not view others'
    seerr.state.webhook_before_answer = True
    film.not_downloaded()
    scan_inline(movies)
    approved = Notification("MEDIA_APPROVED", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(approved) == 202
    film.import_release(VFF)
    seerr_film.status = 5
    available = Notification("MEDIA_AVAILABLE", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(available) == 202
    plans = [work for work in sent_work if isinstance(work, Plan)]
    run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)

    (issue,) = seerr.state.issues.values()
    assert (issue.created_by.id, issue.status) == (papa.id, ISSUE_OPEN)
    assert [user for user, _ in _comments(issue)] == [papa.id]
    # "Taggarr's own issue": nothing followed
    assert seerr.state.deliveries == [("ISSUE_CREATED", 200)]
    assert SeerrAsk.objects.get().issue_id == issue.id  # one ask: the request's
    assert SeerrAsk.objects.get().opening_since is None
    assert not Event.objects.filter(data__what="seerr_opened_by_key").exists()
    # The same notification delivered again (a proxy, a person): still nothing twice.
    assert seerr.notify(Notification("ISSUE_CREATED", media=seerr_film, issue=issue)) == 200
    assert SeerrAsk.objects.count() == 1

    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert issue.status == ISSUE_RESOLVED
    assert _comments(issue)[1:] == [
        (1, "Le Film\u00a0: l'audio en français québécois est maintenant dans la bibliothèque.")
    ]
    # Its comment came back as ISSUE_COMMENT (IssueCommentSubscriber.afterInsert): ignored.
    assert seerr.state.wait_deliveries()
    assert seerr.state.deliveries[1:] == [("ISSUE_COMMENT", 200)]


def _scan_sent(sent_work: list[Work]) -> None:
    """The item scans the webhook queued, run here as a worker runs them (the run's end
    answers the asks: tasks.follow_seerr_run)."""
    plans = [work for work in sent_work if isinstance(work, Plan)]
    assert len(plans) == 1
    sent_work.clear()
    run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)


def test_an_audio_issue_is_answered_then_resolved_when_the_dub_arrives(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    movies: Instance,
    answers: list[list[int]],
    sent_work: list[Work],
) -> None:
    """issue.ts: POST /issue/:id/comment adds the key user's comment; /resolved closes it.
    On the default audio source Radarr names the film's language, "French", not its
    variety (MediaInfoFormatter.FormatAudioLanguages: the streams' languages): the film's
    files are read before the Quebec parent's issue is answered."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    created = Notification("ISSUE_CREATED", media=household.film, issue=issue)
    assert seerr.notify(created) == 202
    assert seerr.notify(created) == 200  # delivered again: nothing twice
    assert answers == []  # not answered from Radarr's "French": read first
    _scan_sent(sent_work)
    assert len(issue.comments) == 2
    ask = SeerrAsk.objects.get()
    assert tasks.answer_seerr_asks([ask.pk]) == 0  # the task run again says nothing twice
    assert _comments(issue)[1:] == [
        (
            1,
            "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
            "Taggarr recherche une version avec l'audio en français québécois.",
        )
    ]
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
    # Its own comment comes back as ISSUE_COMMENT (IssueCommentSubscriber): ignored.
    own = issue.comments[-1]
    assert seerr.notify(Notification("ISSUE_COMMENT", issue=issue, comment=own)) == 200

    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert issue.status == ISSUE_RESOLVED
    assert len(issue.comments) == 3
    assert SeerrAsk.objects.get().done


def test_an_issue_about_a_language_already_there_names_its_files_and_stays_open(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    nana = seerr.state.add_user("nana@example.org", username="nana")
    person = Person.objects.create(name="Nana", languages=["fr-FR"])
    household.connection.users.create(
        seerr_id=nana.id, email=nana.email, display_name="nana", person=person
    )
    issue = seerr.state.add_issue(AUDIO, household.film, nana, "Pas de français")
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
    _scan_sent(sent_work)
    assert _comments(issue)[1:] == [
        (
            1,
            "Le Film\u00a0: l'audio en français (France) est déjà dans 1 fichier\u00a0: "
            "Le Film (2020).mkv.",
        )
    ]
    assert issue.status == ISSUE_OPEN
    scan_inline(movies)
    assert len(issue.comments) == 2


def test_an_item_taggarr_does_not_have_is_kept_not_guessed(
    household: Household, seerr: FakeSeerr
) -> None:
    other = seerr.state.add_media("movie", 999999, status=3)
    note = Notification("MEDIA_APPROVED", media=other, request_id=8, requested_by=household.papa)
    assert seerr.notify(note) == 202
    ask = SeerrAsk.objects.get(request_id=8)
    assert (ask.media, ask.tmdb_id, ask.language) == (None, 999999, "fr-CA")
    assert Event.objects.filter(data__what="seerr_pending").count() == 1


@pytest.mark.worker
def test_a_real_worker_answers_the_issue_the_webhook_queued(
    household: Household, seerr: FakeSeerr, film: Film
) -> None:
    """The webhook answers at once and leaves Seerr's API to a worker (tasks.
    answer_seerr_asks, sent once the request committed): no Seerr call in the request."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    with celery_worker() as worker:
        assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
        worker.wait_for(task_done("follow_seerr_run"))  # the film's files read first
    assert [user for user, _ in _comments(issue)] == [household.papa.id, 1]
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]


def test_a_seerr_that_does_not_answer_is_told_again_after_the_next_run(
    household: Household,
    seerr: FakeSeerr,
    film: Film,
    movies: Instance,
    sent_work: list[Work],
) -> None:
    """Nothing is lost: the standing and the search reserved for the answer are given
    back, and the next run's end tells it."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
    url = household.connection.url
    SeerrConnection.objects.filter(pk=household.connection.pk).update(url="http://127.0.0.1:9")
    _scan_sent(sent_work)
    assert len(issue.comments) == 1
    ask = SeerrAsk.objects.get()
    assert (ask.said, ask.searched, ask.done) == ("", False, False)
    assert not MissingSearch.objects.exists() and _searches(film) == []
    assert Event.objects.filter(data__what="seerr_failed").count() == 1
    SeerrConnection.objects.filter(pk=household.connection.pk).update(url=url)
    scan_inline(movies)
    assert len(issue.comments) == 2
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]


@pytest.mark.worker
def test_a_worker_killed_while_it_tells_seerr_leaves_the_change_to_the_next_answer(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance
) -> None:
    """The change is claimed before Seerr is asked (SeerrAsk.telling_since, a lease) and
    ``said`` moves only once Seerr took it: a worker SIGKILLed while its comment is on
    the way leaves the ask open, and once the lease ran out the next run's end tells it."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    with celery_worker() as killed:
        assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
        killed.wait_for(task_done("follow_seerr_run"))
        assert len(issue.comments) == 2  # "only the France dub"
        film.import_release(VFF_AND_VFQ)
        seerr.state.hold_comments()
        request_item_scan(movies, [1], "test")
        assert seerr.state.wait_held(LOG_TIMEOUT)  # its "arrived" comment on the way
        os.killpg(killed.pid, signal.SIGKILL)
        killed.process.wait(LOG_TIMEOUT)
    seerr.state.release_held()  # the comment never reached Seerr
    ask = SeerrAsk.objects.get()
    assert (ask.said, ask.done) == ("other", False)
    assert ask.telling_since is not None  # the dead worker's claim, until it runs out
    assert len(issue.comments) == 2 and issue.status == ISSUE_OPEN
    scan_inline(movies)  # within the lease: nobody tells it twice
    assert len(issue.comments) == 2
    # Time passes past the lease (injected, as the item leases' tests do).
    SeerrAsk.objects.filter(pk=ask.pk).update(telling_since=timezone.now() - timedelta(minutes=11))
    scan_inline(movies)
    assert issue.status == ISSUE_RESOLVED
    assert [message for _, message in _comments(issue)][2:] == [
        "Le Film\u00a0: l'audio en français québécois est maintenant dans la bibliothèque."
    ]
    ask.refresh_from_db()
    assert (ask.said, ask.done, ask.telling_since) == ("present", True, None)


def test_the_owners_own_audio_issue_is_answered(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """The API key acts as user 1, Seerr's owner (server/middleware/auth.ts), who is often
    a parent of the household: their own Audio issue is theirs, not Taggarr's — Taggarr
    knows its own by the issues it opened."""
    maman = Person.objects.create(name="Maman", languages=["fr-CA"])
    SeerrUser.objects.filter(connection=household.connection, seerr_id=1).update(person=maman)
    issue = seerr.state.add_issue(AUDIO, household.film, seerr.state.users[1], "Pas de VFQ ?")
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
    _scan_sent(sent_work)
    assert [message for _, message in _comments(issue)][1:] == [
        "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
        "Taggarr recherche une version avec l'audio en français québécois."
    ]


def test_a_seerr_without_tmdb_still_gets_the_requests_issue(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """A Seerr that cannot reach TMDB sends no MEDIA_AVAILABLE (the notification's title
    comes from TMDB first: MediaSubscriber) and its /movie/:tmdbId answers 500
    (routes/movie.ts). A requested film already in the library is answered all the same:
    its file is its availability, and its media is read from GET /request/:id
    (MediaRequest.media is eager, no TMDB call: routes/request.ts)."""
    seerr.state.tmdb_down = True
    papa, seerr_film = household.papa, household.film
    request = seerr.state.add_request(seerr_film, papa)
    approved = Notification(
        "MEDIA_APPROVED", media=seerr_film, request_id=request.id, requested_by=papa
    )
    assert seerr.notify(approved) == 202
    _scan_sent(sent_work)  # Radarr's "French" names no variety: the file is read first
    (issue,) = seerr.state.issues.values()
    assert issue.media is seerr_film and len(issue.comments) == 1
    assert ("GET", f"/api/v1/request/{request.id}") in seerr.state.requests_seen
    assert Event.objects.filter(data__what="seerr_searched").count() == 1


def test_an_answer_seerr_refuses_says_no_search_and_searches_nothing(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """A request Seerr no longer has (404) and TMDb down: no issue can be opened. The
    search reserved for the answer is given back, and no event says it was queued —
    run after run, until Seerr takes the answer."""
    seerr.state.tmdb_down = True
    papa, seerr_film = household.papa, household.film
    approved = Notification("MEDIA_APPROVED", media=seerr_film, request_id=99, requested_by=papa)
    assert seerr.notify(approved) == 202
    seerr_film.status = 5
    available = Notification("MEDIA_AVAILABLE", media=seerr_film, request_id=99, requested_by=papa)
    assert seerr.notify(available) == 202
    _scan_sent(sent_work)
    scan_inline(movies)
    assert seerr.state.issues == {}
    assert _searches(film) == []
    whats = list(Event.objects.filter(kind=Event.Kind.SEERR).values_list("data__what", flat=True))
    # Said once: the second refusal in a row is the log's (scanner.seerr.refusals.not_taken).
    assert whats.count("seerr_failed") == 1 and "seerr_searched" not in whats
    seerr.state.tmdb_down = False  # Seerr reaches TMDb again: told, and searched
    scan_inline(movies)
    (issue,) = seerr.state.issues.values()
    assert len(issue.comments) == 1
    assert _searches(film) == [{"name": "MoviesSearch", "movieIds": [1]}]
