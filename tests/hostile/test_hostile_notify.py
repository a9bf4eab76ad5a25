"""An Apprise target that answers a byte at a time (fakes/hostile, "drip"): the
notification ends at its deadline, through Apprise's own ``notify(timeout=...)``
(caronc/apprise apprise/apprise.py, ``Apprise.notify``: "``timeout`` limits the entire
call in seconds; unfinished services report TIMEOUT"), and says so without the URL.
Before, Apprise's json:// service read the answer with a per-read timeout only
(apprise/plugins/json.py, ``requests.post(..., timeout=self.request_timeout)``), and a
byte every 0.2 s never trips one: the worker's task was held for the whole answer."""

from __future__ import annotations

import json
import logging
import os

import pytest
import requests

from fakes.hostile import HostileServer
from scanner.http.bounds import MB
from scanner.notify import answers
from scanner.notify.delivery import deliver
from tests.helpers import python_code

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


# The delivery in a process of its own, Apprise loaded first (its first use imports its
# services: some 5 MB, which a worker has spent long before): tracemalloc counts every
# allocation of a process, and whether a test process had loaded Apprise depended on which
# tests ran before in it.
_DELIVERED = """
import json, logging, sys, tracemalloc
import django
django.setup()
from scanner.notify.delivery import deliver
deliver("json://127.0.0.1:1/warm", "t", "b", deadline=5)  # nobody listens on port 1
from tests.helpers import python_code
records = []
handler = logging.Handler()
handler.emit = lambda record: records.append(record.getMessage())
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.DEBUG)
tracemalloc.start()
sent = deliver(sys.argv[1], "t", "b")
_, peak = tracemalloc.get_traced_memory()
print(json.dumps({"sent": sent, "peak": peak, "log": records}))
"""


def test_a_notification_target_answering_300_mb_is_cut_off_at_the_bound() -> None:
    """requests reads a whole answer unless streamed (requests/sessions.py,
    ``Session.send``), and Apprise's json:// service does not stream
    (apprise/plugins/custom_json.py, ``requests.request(...)``): the answer is cut off
    at answers.MAX_ANSWER_BYTES (the peak of Python's allocations stays near it), the
    message counts as not sent, and no log line has the URL."""
    with HostileServer(default="huge", huge_bytes=HUGE_ANSWER) as target:
        url = target.url.replace("http://", "json://") + f"/{TOKEN}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings"}
        result = python_code(_DELIVERED, url, env=env)
        assert result.returncode == 0, result.stderr
        assert [path for path, _ in target.seen] == [f"/{TOKEN}"]  # it was sent
    delivered = json.loads(result.stdout.splitlines()[-1])
    assert not delivered["sent"]
    peak = delivered["peak"]
    assert peak < 8 * answers.MAX_ANSWER_BYTES, f"{peak / MB:.0f} MB"
    log = "\n".join(delivered["log"])
    assert "answer larger than 1 MB" in log
    assert TOKEN not in log + result.stderr


def test_the_bound_holds_only_while_a_notification_is_delivered() -> None:
    """Outside a delivery the hook does nothing: another request of the process (in the
    same thread, after a notification) reads its whole answer."""
    with HostileServer(default="huge", huge_bytes=2 * answers.MAX_ANSWER_BYTES) as target:
        with answers.bounded(), pytest.raises(answers.AnswerTooLarge):
            requests.get(target.url, timeout=30)
        answer = requests.get(target.url, timeout=30)
    assert len(answer.content) > answers.MAX_ANSWER_BYTES
