"""An Apprise target that answers a byte at a time (fakes/hostile, "drip"): the
notification ends at its deadline, through Apprise's own ``notify(timeout=...)``
(caronc/apprise apprise/apprise.py, ``Apprise.notify``: "``timeout`` limits the entire
call in seconds; unfinished services report TIMEOUT"), and says so without the URL.
Before, Apprise's json:// service read the answer with a per-read timeout only
(apprise/plugins/json.py, ``requests.post(..., timeout=self.request_timeout)``), and a
byte every 0.2 s never trips one: the worker's task was held for the whole answer."""

from __future__ import annotations

import logging
import tracemalloc

import pytest
import requests

from fakes.hostile import HostileServer
from scanner.http.bounds import MB
from scanner.notify import answers
from scanner.notify.delivery import deliver

TOKEN = "hostilenotifytoken0123"


def test_a_notification_to_a_dripping_service_ends_at_its_deadline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with HostileServer(default="drip") as target:
        url = target.url.replace("http://", "json://") + f"/{TOKEN}"
        with caplog.at_level(logging.WARNING):
            assert not deliver(url, "t", "b", deadline=1)
        assert [path for path, _ in target.seen] == [f"/{TOKEN}"]  # it was sent
    assert "a notification was not sent within 1 s" in caplog.text
    assert TOKEN not in caplog.text


HUGE_ANSWER = 300 * MB  # what the review's probe answered: the worker went to 656 MB


def test_a_notification_target_answering_300_mb_is_cut_off_at_the_bound(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """requests reads a whole answer unless streamed (requests/sessions.py,
    ``Session.send``), and Apprise's json:// service does not stream
    (apprise/plugins/custom_json.py, ``requests.request(...)``): the answer is cut off
    at answers.MAX_ANSWER_BYTES (the peak of Python's allocations stays near it), the
    message counts as not sent, and no log line has the URL."""
    with HostileServer(default="huge", huge_bytes=HUGE_ANSWER) as target:
        url = target.url.replace("http://", "json://") + f"/{TOKEN}"
        tracemalloc.start()
        try:
            with caplog.at_level(logging.DEBUG):
                sent = deliver(url, "t", "b")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert [path for path, _ in target.seen] == [f"/{TOKEN}"]  # it was sent
    assert not sent
    assert peak < 8 * answers.MAX_ANSWER_BYTES, f"{peak / MB:.0f} MB"
    assert "answer larger than 1 MB" in caplog.text
    assert TOKEN not in caplog.text


def test_the_bound_holds_only_while_a_notification_is_delivered() -> None:
    """Outside a delivery the hook does nothing: another request of the process (in the
    same thread, after a notification) reads its whole answer."""
    with HostileServer(default="huge", huge_bytes=2 * answers.MAX_ANSWER_BYTES) as target:
        with answers.bounded(), pytest.raises(answers.AnswerTooLarge):
            requests.get(target.url, timeout=30)
        answer = requests.get(target.url, timeout=30)
    assert len(answer.content) > answers.MAX_ANSWER_BYTES
