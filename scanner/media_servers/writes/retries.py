"""A media server's transient failures (no answer; 502, 503 or 504 from a proxy or a
server that is starting) retried under the one retry policy (scanner.pipeline.retries), within
TAGGARR_MEDIA_SERVER_RETRY_SECONDS; the clients send each request once.

Everything else is final at once: a refused key stops the server's writes for the
run, and an answer that refuses one item (400, 404, 500) is that item's failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from scanner.media_servers.clients.base import TRANSIENT_ERRORS
from scanner.pipeline.retries import RetryPolicy, backoff_delays, jittered

logger = logging.getLogger(__name__)

T = TypeVar("T")
sleep = time.sleep  # tests record the waits instead


def server_retry_policy() -> RetryPolicy:
    return RetryPolicy(((TRANSIENT_ERRORS, backoff_delays(settings.MEDIA_SERVER_RETRY_SECONDS)),))


def retried(call: Callable[[], T], policy: RetryPolicy, what: str) -> T:
    """``call()``, tried again after each of the policy's waits while it fails with an
    error the policy names; that error once they are spent."""
    retries = 0
    while True:
        try:
            return call()
        except policy.errors as exc:
            delays = policy.delays(exc)
            if retries >= len(delays):
                raise
            wait = jittered(delays[retries])
            logger.warning("%s: %s; trying again in %.0f s", what, exc, wait)
            sleep(wait)
            retries += 1
