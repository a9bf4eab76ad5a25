"""Issue 79: each thing said to Seerr once. Before it posts, Taggarr reads back what Seerr
already holds — its marker on each of its messages (scanner/seerr/marker.py), from GET
/api/v1/issue/:id, which answers the issue with its comments (server/routes/issue.ts:
a query builder joining ``issue.comments``) — so that an answer that never came (a
timeout, a killed worker) does not make it say the same thing twice; a request is
followed once by its id, whatever else a re-sent webhook changes; an ask Seerr keeps
refusing is given up, said once. The fake Jellyseerr (fakes/seerr) answers late as Seerr
can: it saved the issue or comment and its webhook went (IssueSubscriber.afterInsert,
not awaited), its answer is still on its way."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from fakes.seerr import AUDIO, FakeSeerr, Notification
from fakes.seerr.state import CREATE_ISSUES, ISSUE_OPEN, ISSUE_RESOLVED, REQUEST, Issue
from scanner import tasks
from scanner.actions.scans import request_item_scan
from scanner.models import Event, Instance, SeerrAsk
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.work import Plan, Work
from scanner.seerr.client import SeerrError
from scanner.seerr.posting import tell
from scanner.seerr.refusals import MAX_REFUSALS
from tests.helpers import scan_inline
from tests.scanner.seerr import test_seerr_flow as flow
from tests.scanner.seerr.seerr_setup import marks, unmarked
from tests.scanner.seerr.test_seerr_flow import VFF_AND_VFQ, Film, Household
from tests.worker import LOG_TIMEOUT, celery_worker, task_done

pytestmark = pytest.mark.django_db(transaction=True)
# The flow's fixtures: a fake Jellyseerr, Radarr's film (a real file), the household.
seerr, film, movies, household = flow.seerr, flow.film, flow.movies, flow.household

ONLY_VFF = (
    "Le Film\u00a0: seul le doublage français (France) est dans la bibliothèque; "
    "Taggarr recherche une version avec l'audio en français québécois."
)
ARRIVED = "Le Film\u00a0: l'audio en français québécois est maintenant dans la bibliothèque."


def _messages(issue: Issue) -> list[str]:
    return [comment.message for comment in issue.comments]


def _run_sent(sent_work: list[Work]) -> None:
    """The item scans the webhook queued, run as a worker runs them (their end answers)."""
    plans = [work for work in sent_work if isinstance(work, Plan)]
    sent_work.clear()
    if plans:
        run_inline(tuple(plans), on_ended=tasks.follow_seerr_run)


@override_settings(HTTP_DEADLINE_SECONDS=2)  # Taggarr's Seerr client gives up after 2 s
def test_an_issue_seerr_answers_after_the_timeout_is_not_told_again(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """Seerr saved the issue and sent ISSUE_CREATED (Taggarr learnt its id from it) but
    answered POST /issue after Taggarr's timeout: the next run's end finds its marker on
    the issue and posts nothing; the change it said is kept as said."""
    papa, seerr_film = household.papa, household.film
    papa.permissions = REQUEST | CREATE_ISSUES  # opened as the requester
    approved = Notification("MEDIA_APPROVED", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(approved) == 202
    seerr.state.answer_late("POST", "/issue")
    _run_sent(sent_work)  # Radarr's "French" names no variety: read first, then answered
    assert seerr.state.wait_held(LOG_TIMEOUT)
    (issue,) = seerr.state.issues.values()
    assert [unmarked(message) for message in _messages(issue)] == [ONLY_VFF]
    assert seerr.state.deliveries == [("ISSUE_CREATED", 200)]  # known as Taggarr's own
    ask = SeerrAsk.objects.get()
    assert (ask.issue_id, ask.said, ask.tellings) == (issue.id, "", 0)  # not known as taken
    assert marks(_messages(issue)) == [(ask.pk, 1)]
    seerr.state.release_held()

    scan_inline(movies)
    assert len(seerr.state.issues) == 1
    assert marks(_messages(issue)) == [(ask.pk, 1)]  # nothing posted again
    ask.refresh_from_db()
    assert (ask.said, ask.tellings, ask.telling_state, ask.telling_since) == ("other", 1, "", None)
    assert Event.objects.filter(data__what="seerr_commented").count() == 1
    scan_inline(movies)
    assert len(issue.comments) == 1


@override_settings(HTTP_DEADLINE_SECONDS=2)
def test_an_issue_whose_answer_and_webhook_never_came_is_found_not_opened_again(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """Seerr saved the issue, but no ISSUE_CREATED came (TMDB did not answer the
    subscriber's title read: nothing is sent) and the answer came too late: the next
    telling looks through the newest Audio issues on the media (GET /api/v1/issue) for its
    marker, and opens no second one."""
    papa, seerr_film = household.papa, household.film
    papa.permissions = REQUEST | CREATE_ISSUES
    request = seerr.state.add_request(seerr_film, papa)
    approved = Notification(
        "MEDIA_APPROVED", media=seerr_film, request_id=request.id, requested_by=papa
    )
    assert seerr.notify(approved) == 202
    seerr.state.answer_late("POST", "/issue")
    seerr.state.tmdb_down = True  # no webhook for the issue; GET /request/:id needs no TMDB
    _run_sent(sent_work)
    assert seerr.state.wait_held(LOG_TIMEOUT)
    seerr.state.release_held()
    (issue,) = seerr.state.issues.values()
    assert seerr.state.deliveries == []
    assert SeerrAsk.objects.get().issue_id is None
    scan_inline(movies)
    assert list(seerr.state.issues) == [issue.id]
    ask = SeerrAsk.objects.get()
    assert (ask.issue_id, ask.said, ask.tellings) == (issue.id, "other", 1)
    assert [unmarked(message) for message in _messages(issue)] == [ONLY_VFF]


@pytest.mark.worker
def test_a_worker_killed_after_seerr_took_its_comment_does_not_have_it_said_twice(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance
) -> None:
    """Seerr took the arrival comment (IssueCommentSubscriber sent its ISSUE_COMMENT) and
    the worker was SIGKILLed before the answer came: once its claim ran out, the next
    run's end finds the comment by its marker and only resolves the issue."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    with celery_worker() as killed:
        assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
        killed.wait_for(task_done("follow_seerr_run"))
        assert [unmarked(message) for message in _messages(issue)][1:] == [ONLY_VFF]
        film.import_release(VFF_AND_VFQ)
        seerr.state.answer_late("POST", "/comment")
        request_item_scan(movies, [1], "test")
        assert seerr.state.wait_held(LOG_TIMEOUT)  # Seerr took it; its answer held
        os.killpg(killed.pid, signal.SIGKILL)
        killed.process.wait(LOG_TIMEOUT)
    seerr.state.release_held()
    ask = SeerrAsk.objects.get()
    assert [unmarked(message) for message in _messages(issue)][2:] == [ARRIVED]
    assert (ask.said, ask.done, ask.telling_state) == ("other", False, "present")
    assert issue.status == ISSUE_OPEN  # killed before it resolved it
    # Time passes past the claim's lease (injected, as the item leases' tests do).
    SeerrAsk.objects.filter(pk=ask.pk).update(telling_since=timezone.now() - timedelta(minutes=11))
    scan_inline(movies)
    assert [unmarked(message) for message in _messages(issue)][2:] == [ARRIVED]
    assert marks(_messages(issue)) == [(ask.pk, 1), (ask.pk, 2)]
    assert issue.status == ISSUE_RESOLVED
    ask.refresh_from_db()
    assert (ask.said, ask.done, ask.tellings, ask.telling_since) == ("present", True, 2, None)


def test_an_auto_approval_sent_again_with_another_subject_opens_one_issue(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """A body that differs (one space in ``subject``) is not the same delivery, but the
    same request (its ``request_id``): one ask, one issue, however often it comes."""
    papa, seerr_film = household.papa, household.film
    papa.permissions = REQUEST | CREATE_ISSUES
    statuses = []
    for spaces in range(7):
        note = Notification(
            "MEDIA_AUTO_APPROVED",
            subject="Le Film (2020)" + " " * spaces,
            media=seerr_film,
            request_id=7,
            requested_by=papa,
        )
        statuses.append(seerr.notify(note))
        _run_sent(sent_work)
    assert statuses == [202] + [200] * 6
    scan_inline(movies)
    assert len(seerr.state.issues) == 1
    assert SeerrAsk.objects.count() == 1
    (issue,) = seerr.state.issues.values()
    assert issue.created_by.id == papa.id and len(issue.comments) == 1


def test_an_ask_seerr_keeps_refusing_is_given_up_and_said_once(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """A crafted ISSUE_CREATED naming an issue Seerr does not have: every GET of it answers
    500 "Issue not found." (issue.ts' catch-all). Said once, counted, and past
    MAX_REFUSALS over a day given up — one event; later runs ask Seerr nothing more."""
    ghost = Issue(999, AUDIO, household.film, household.papa)  # never saved in Seerr
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=ghost)) == 202
    _run_sent(sent_work)
    ask = SeerrAsk.objects.get()
    for _ in range(MAX_REFUSALS - 1):
        assert tasks.answer_seerr_asks([ask.pk]) == 0
    ask.refresh_from_db()
    assert (ask.refusals, ask.done) == (MAX_REFUSALS, False)  # refused for less than a day
    SeerrAsk.objects.filter(pk=ask.pk).update(refused_since=timezone.now() - timedelta(days=2))
    assert tasks.answer_seerr_asks([ask.pk]) == 0
    ask.refresh_from_db()
    assert ask.done
    seen = len(seerr.state.requests_seen)
    scan_inline(movies)
    scan_inline(movies)
    assert len(seerr.state.requests_seen) == seen  # not tried again
    whats = list(Event.objects.filter(kind=Event.Kind.SEERR).values_list("data__what", flat=True))
    assert (whats.count("seerr_failed"), whats.count("seerr_gave_up")) == (1, 1)
    gave_up = Event.objects.get(data__what="seerr_gave_up")
    assert gave_up.data["count"] == MAX_REFUSALS + 1


# --- a comment whose answer was lost (issue 92) -------------------------------------------


def _first_answer_lost(household: Household, seerr: FakeSeerr, sent_work: list[Work]) -> Issue:
    """Papa's Audio issue, and Taggarr's first answer on it (only the VFF) taken by
    Seerr, its answer lost: Seerr answers POST /comment after Taggarr's timeout."""
    issue = seerr.state.add_issue(AUDIO, household.film, household.papa, "Pas de VFQ ?")
    seerr.state.answer_late("POST", "/comment")
    assert seerr.notify(Notification("ISSUE_CREATED", media=household.film, issue=issue)) == 202
    _run_sent(sent_work)
    assert seerr.state.wait_held(LOG_TIMEOUT)  # Seerr took it; its answer held past 2 s
    seerr.state.release_held()
    ask = SeerrAsk.objects.get()
    assert [unmarked(message) for message in _messages(issue)][1:] == [ONLY_VFF]
    assert marks(_messages(issue)) == [(ask.pk, 1)]
    # Not known as taken: what it said is kept as being told.
    assert (ask.said, ask.tellings, ask.telling_state) == ("", 0, "other")
    return issue


@override_settings(HTTP_DEADLINE_SECONDS=2)
def test_a_comment_whose_answer_was_lost_is_not_posted_again(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """The same standing at the next run's end: its marker found on the issue, nothing
    posted again, the standing kept as said. The dub arriving later is told once."""
    issue = _first_answer_lost(household, seerr, sent_work)
    ask = SeerrAsk.objects.get()
    scan_inline(movies)
    assert marks(_messages(issue)) == [(ask.pk, 1)]  # nothing posted again
    ask.refresh_from_db()
    assert (ask.said, ask.tellings, ask.telling_state) == ("other", 1, "")
    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert [unmarked(message) for message in _messages(issue)][1:] == [ONLY_VFF, ARRIVED]
    assert marks(_messages(issue)) == [(ask.pk, 1), (ask.pk, 2)]
    assert issue.status == ISSUE_RESOLVED


@override_settings(HTTP_DEADLINE_SECONDS=2)
def test_a_new_standing_after_a_lost_answer_is_posted_once(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """The dub arrives before the next run's end: the lost message (only the VFF) is on
    the issue, so that is what Seerr was told; the arrival is posted after it, once,
    numbered after it, and the issue resolved."""
    issue = _first_answer_lost(household, seerr, sent_work)
    ask = SeerrAsk.objects.get()
    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert [unmarked(message) for message in _messages(issue)][1:] == [ONLY_VFF, ARRIVED]
    assert marks(_messages(issue)) == [(ask.pk, 1), (ask.pk, 2)]
    assert issue.status == ISSUE_RESOLVED
    ask.refresh_from_db()
    assert (ask.said, ask.done, ask.tellings, ask.telling_state) == ("present", True, 2, "")
    scan_inline(movies)
    assert len(issue.comments) == 3


@override_settings(HTTP_DEADLINE_SECONDS=2)
def test_a_request_whose_opening_answer_was_lost_is_told_the_arrival(
    household: Household, seerr: FakeSeerr, film: Film, movies: Instance, sent_work: list[Work]
) -> None:
    """A request's Audio issue opened (only the VFF) with its answer lost, then the dub
    arrives: the requester read "only the VFF" in Seerr, so the arrival is told on that
    issue and the issue resolved — not taken for a language there from the start, the
    request ended unsaid and the issue left open."""
    papa, seerr_film = household.papa, household.film
    papa.permissions = REQUEST | CREATE_ISSUES  # opened as the requester
    approved = Notification("MEDIA_APPROVED", media=seerr_film, request_id=7, requested_by=papa)
    assert seerr.notify(approved) == 202
    seerr.state.answer_late("POST", "/issue")
    _run_sent(sent_work)
    assert seerr.state.wait_held(LOG_TIMEOUT)
    seerr.state.release_held()
    (issue,) = seerr.state.issues.values()
    ask = SeerrAsk.objects.get()
    assert (ask.said, ask.tellings, ask.telling_state) == ("", 0, "other")
    film.import_release(VFF_AND_VFQ)
    scan_inline(movies)
    assert [unmarked(message) for message in _messages(issue)] == [ONLY_VFF, ARRIVED]
    assert marks(_messages(issue)) == [(ask.pk, 1), (ask.pk, 2)]
    assert issue.status == ISSUE_RESOLVED
    ask.refresh_from_db()
    assert (ask.said, ask.done, ask.tellings) == ("present", True, 2)


@override_settings(HTTP_DEADLINE_SECONDS=2)
def test_tell_reads_what_seerr_holds_before_it_posts(
    household: Household, seerr: FakeSeerr, movies: Instance, sent_work: list[Work]
) -> None:
    """posting.tell's own guard, for a telling that comes to it with a lost message not
    caught up (another worker's claim, a race): the message Seerr holds said ``other``.
    The same standing is not posted again; another one is posted after it, numbered
    after it, the lost one kept as said first (so that a post that fails now leaves it
    said)."""
    issue = _first_answer_lost(household, seerr, sent_work)
    ask = SeerrAsk.objects.get()
    again = tell(ask, "la même chose", "other", resolve=False)
    assert (again.issue_id, again.tellings) == (issue.id, 1)
    assert marks(_messages(issue)) == [(ask.pk, 1)]  # not posted again
    ask.refresh_from_db()
    assert (ask.said, ask.tellings) == ("", 0)  # settling is the caller's

    seerr.state.hold_comments()  # the next POST never reaches Seerr
    with pytest.raises(SeerrError):
        tell(ask, "autre chose", "absent", resolve=False)
    seerr.state.release_held()
    ask.refresh_from_db()
    assert (ask.said, ask.tellings, ask.telling_state) == ("other", 1, "absent")
    posted = tell(ask, "autre chose", "absent", resolve=False)
    assert (posted.issue_id, posted.tellings) == (issue.id, 2)
    assert marks(_messages(issue)) == [(ask.pk, 1), (ask.pk, 2)]
    assert unmarked(_messages(issue)[-1]) == "autre chose"
