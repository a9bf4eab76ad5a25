"""A media server's transient failures (no answer; 502, 503 or 504 from a proxy or a
server that is starting) retried with tenacity under the one definition of the retry
budgets (scanner.pipeline.retries): until TAGGARR_MEDIA_SERVER_RETRY_SECONDS have
passed since the first try; the clients send each request once.

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
from scanner.pipeline.retries import Budget, call_retried

logger = logging.getLogger(__name__)

T = TypeVar("T")
sleep = time.sleep  # tests record the waits instead
clock = time.monotonic  # and move this clock by them


def server_retry_policy() -> Budget:
    return Budget(TRANSIENT_ERRORS, float(settings.MEDIA_SERVER_RETRY_SECONDS))


def retried(call: Callable[[], T], policy: Budget, what: str) -> T:
    """``call()``, tried again while it fails with an error the budget names and the
    budget lasts; that error once it is spent."""

    def told(error: BaseException, wait: float) -> None:
        logger.warning("%s: %s; trying again in %.1f s", what, error, wait)

    return call_retried(
        call,
        lambda error: policy if isinstance(error, policy.errors) else None,
        sleep=lambda seconds: sleep(seconds),
        clock=lambda: clock(),
        before_sleep=told,
    )
