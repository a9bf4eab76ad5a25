"""An Apprise target that answers a byte at a time (fakes/hostile, "drip"): the
notification ends at its deadline, through Apprise's own ``notify(timeout=...)``
(caronc/apprise apprise/apprise.py, ``Apprise.notify``: "``timeout`` limits the entire
call in seconds; unfinished services report TIMEOUT"), and says so without the URL.
Before, Apprise's json:// service read the answer with a per-read timeout only
(apprise/plugins/json.py, ``requests.post(..., timeout=self.request_timeout)``), and a
byte every 0.2 s never trips one: the worker's task was held for the whole answer."""

from __future__ import annotations

import logging

import pytest

from fakes.hostile import HostileServer
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
