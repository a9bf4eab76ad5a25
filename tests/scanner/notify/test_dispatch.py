"""From a run's end to the messages that arrive: real scans (inline) against the fake
*arr, Apprise posting to the test's json:// server, the rules and the rate limit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Event, Instance, Media, Notifier, ScanRun
from scanner.notify.dispatch import (
    CANNOT_DECRYPT,
    FAILED_TO_SEND,
    notify_run_ended,
    send_test,
)
from scanner.notify.outcome import run_outcome
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, NotifierFactory, ScanRunFactory
from tests.helpers import ARR_KEY, NOTIFY_TOKEN, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

EVERYTHING = ["scan_failed", "unreachable", "wrong_dub"]


@pytest.fixture
def unreachable() -> Instance:
    """An instance whose Sonarr refuses connections (nothing listens on port 9)."""
    return InstanceFactory(name="down", url="http://127.0.0.1:9", api_key=ARR_KEY)


def test_an_unreachable_arr_is_told_once_as_unreachable(
    unreachable: Instance, inbox: CapturingServer
) -> None:
    NotifierFactory(url=inbox.url, events=EVERYTHING)
    run = scan_inline(unreachable)
    assert run.status == ScanRun.Status.FAILED
    finished = Event.objects.get(run=run, kind=Event.Kind.SCAN_FINISHED)
    assert finished.data == {"status": "failed", "cause": "unreachable"}
    (post,) = inbox.wait_for(1)
    assert post["title"] == "Taggarr: down is unreachable"
    assert post["type"] == "failure"  # Apprise's type: services show it as a failure
    # Why, as the run's page tells it in the notifier's language (issue 61), not the
    # log's English; never the key.
    assert post["message"] == f"scan #{run.pk} of down failed: the *arr could not be reached"
    assert ARR_KEY not in post["message"]
    assert Notifier.objects.get().last_sent_at is not None


def test_who_gets_what_about_which_instance(unreachable: Instance, inbox: CapturingServer) -> None:
    other = InstanceFactory(name="other")
    only_failures = NotifierFactory(name="failures", url=inbox.url, events=["scan_failed"])
    NotifierFactory(name="wrong-dub only", url=inbox.url, events=["wrong_dub"])
    NotifierFactory(name="off", url=inbox.url, enabled=False)
    NotifierFactory(name="other instance", url=inbox.url).instances.set([other])
    NotifierFactory(name="this instance", url=inbox.url).instances.set([unreachable, other])
    scan_inline(unreachable)
    titles = sorted(inbox.titles())
    # failures-only takes it as a failed scan; the one for both instances as unreachable
    assert titles == ["Taggarr: down is unreachable", "Taggarr: down is unreachable"]
    only_failures.refresh_from_db()
    assert only_failures.last_sent_at is not None
    assert Notifier.objects.get(name="off").last_sent_at is None
    assert Notifier.objects.get(name="other instance").last_sent_at is None


def test_the_rate_limit_holds_a_second_failure_back(
    unreachable: Instance, inbox: CapturingServer
) -> None:
    NotifierFactory(url=inbox.url, rate_limit_minutes=30)
    first = scan_inline(unreachable)
    second = scan_inline(unreachable)
    assert second.status == ScanRun.Status.FAILED
    assert len(inbox.wait_for(1)) == 1
    assert notify_run_ended(second.pk) == 0  # still inside the window
    later = timezone.now() + timedelta(minutes=31)
    assert notify_run_ended(first.pk, now=later) == 1
    assert len(inbox.wait_for(2)) == 2


def test_items_that_became_wrong_dub_after_a_real_apply_only(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, inbox: CapturingServer
) -> None:
    NotifierFactory(url=inbox.url, events=["wrong_dub"])
    wrong = sorted(t for t, tag in tv_library.expected.items() if tag == "wrong-dub")
    assert wrong  # the library has such a show
    dry = scan_inline(sonarr_instance, dry_run=True)
    assert dry.status == ScanRun.Status.SUCCEEDED
    assert inbox.titles() == []  # planned, not applied: nothing to tell
    real = scan_inline(sonarr_instance)
    (post,) = inbox.wait_for(1)
    count = f"{len(wrong)} item{'s' if len(wrong) > 1 else ''}"
    assert post["title"] == f"Taggarr: {count} of tv became wrong-dub"
    assert post["message"] == (
        f"Dubbed, but not into a target language (scan #{real.pk}):\n"
        + "\n".join(f"- {title}" for title in wrong)
    )
    again = scan_inline(sonarr_instance)  # nothing changed: nothing more to tell
    assert notify_run_ended(again.pk) == 0
    assert len(inbox.posts) == 1


def test_the_outcome_reads_the_items_titles_not_their_rows(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """A first scan of a large library records thousands of TAG_CHANGED events; the
    outcome reads each event and its item's title only, never the item's whole row (its
    verdict reasons, the *arr's files): bench/RESULTS.md, "The largest library"."""
    wrong = sorted(t for t, tag in tv_library.expected.items() if tag == "wrong-dub")
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    with CaptureQueriesContext(connection) as queries:
        outcome = run_outcome(run.pk)
    assert outcome is not None
    assert sorted(outcome.became_wrong_dub) == wrong
    media_columns = {
        column
        for query in queries.captured_queries
        for column in re.findall(r'"scanner_media"\."(\w+)"', query["sql"])
    }
    assert media_columns == {"id", "title"}


def test_a_partial_run_is_told_with_its_reason(
    sonarr_instance: Instance, tv_library: Library, inbox: CapturingServer
) -> None:
    NotifierFactory(url=inbox.url, events=["scan_failed"])
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, fail_put_ids=frozenset({1}))
    with FakeArr(options, items=tv_library.arr_items) as refusing:
        Instance.objects.filter(pk=sonarr_instance.pk).update(url=refusing.url)
        run = scan_inline(Instance.objects.get(pk=sonarr_instance.pk))
    assert run.status == ScanRun.Status.PARTIAL
    (post,) = inbox.wait_for(1)
    assert post["title"] == "Taggarr: scan of tv ended partial"
    assert post["type"] == "warning"
    # The message says the run's problems in the reader's words, one count per clause
    # (issue 84); the run's error keeps the log's English.
    assert post["message"] == f"scan #{run.pk} of tv ended partial: 1 tag write failed"
    assert "1 of 4 tag writes failed" in run.error


def test_a_failed_send_is_kept_on_the_notifier(
    unreachable: Instance, inbox: CapturingServer
) -> None:
    inbox.status = 500
    notifier = NotifierFactory(url=inbox.url)
    scan_inline(unreachable)
    inbox.wait_for(1)
    notifier.refresh_from_db()
    assert (notifier.last_sent_at, notifier.last_error) == (None, FAILED_TO_SEND)


def test_a_failed_send_does_not_take_the_rate_limit_slot(
    unreachable: Instance, inbox: CapturingServer
) -> None:
    """Only a message that was sent holds the next one back."""
    NotifierFactory(url=inbox.url, rate_limit_minutes=30)
    inbox.status = 500
    scan_inline(unreachable)
    inbox.wait_for(1)
    inbox.status = 200
    second = scan_inline(unreachable)
    assert len(inbox.wait_for(2)) == 2
    assert Notifier.objects.get().last_error == ""
    assert notify_run_ended(second.pk) == 0  # that one was sent: its window holds


def test_nothing_for_active_gone_succeeded_or_cancelled_runs(inbox: CapturingServer) -> None:
    NotifierFactory(url=inbox.url)
    for status in ("running", "succeeded", "cancelled"):
        assert notify_run_ended(ScanRunFactory(status=status).pk) == 0
    assert notify_run_ended(999_999) == 0
    assert inbox.posts == []


def test_send_test_skips_the_rate_limit(inbox: CapturingServer) -> None:
    notifier = NotifierFactory(url=inbox.url, rate_limit_minutes=60, events=["wrong_dub"])
    assert send_test(notifier.pk) and send_test(notifier.pk)
    posts = inbox.wait_for(2)
    assert posts[0]["title"] == "Taggarr: test message"
    expected = (
        f"Notifier {notifier.name!r} works. It tells you of this event: items became wrong-dub."
    )
    assert posts[0]["message"] == expected and posts[0]["type"] == "info"
    assert send_test(999_999) is None


def test_a_url_saved_under_another_key_is_reported_not_raised(
    inbox: CapturingServer, settings
) -> None:
    notifier = NotifierFactory(url=inbox.url)
    settings.TAGGARR_ENCRYPTION_KEY = "another-key-" + "x" * 40
    assert send_test(notifier.pk) is False
    notifier.refresh_from_db()
    assert notifier.last_error == CANNOT_DECRYPT  # shown in the reader's language (the admin)
    assert inbox.posts == []
    assert NOTIFY_TOKEN not in notifier.last_error


def test_media_titles_come_from_the_events_even_without_the_media(
    inbox: CapturingServer,
) -> None:
    """An item deleted since (its event keeps the message): still named."""
    run = ScanRunFactory(status="succeeded")
    Event.objects.create(
        instance=run.instance, run=run, kind=Event.Kind.TAG_CHANGED,
        message="Gone Show: changed: none → wrong-dub", data={"from": "none", "to": "wrong-dub"},
    )  # fmt: skip
    Event.objects.create(
        instance=run.instance, run=run, kind=Event.Kind.TAG_CHANGED,
        message="Same: changed labels", data={"from": "wrong-dub", "to": "wrong-dub"},
    )  # fmt: skip
    NotifierFactory(url=inbox.url, events=["wrong_dub"])
    assert notify_run_ended(run.pk) == 1
    assert inbox.wait_for(1)[0]["message"].endswith("\n- Gone Show")
    assert not Media.objects.exists()
