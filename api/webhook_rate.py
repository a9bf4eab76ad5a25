"""How many webhooks one instance's token may send: ``TAGGARR_WEBHOOK_RATE`` a minute.

Counted in the shared cache (Redis, or files in the data dir: settings.CACHES), so every
web process sees the same count, in fixed one-minute windows: ``add`` then ``incr``,
which Redis does atomically (INCR); the file cache may let a few more through when
requests race, never fewer. The key is the token's stored digest, never the token.
A cache that does not answer lets the request through: the rate protects the web
process, and losing a Sonarr's import would be worse than a minute unmetered.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
clock = time.time  # the tests set the time


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds until the next window
    first: bool  # the window's first refused request


def over_rate(token_digest: str) -> Refusal | None:
    """None while this token's requests in the current minute are within the rate (this
    one counted), else when it may send again."""
    now = clock()
    window = int(now // WINDOW_SECONDS)
    key = f"webhook-rate:{token_digest}:{window}"
    try:
        cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # gone between the two (evicted, expired)
            cache.set(key, 1, timeout=2 * WINDOW_SECONDS)
            count = 1
    except (OSError, redis.RedisError) as exc:
        logger.warning("webhook rate not counted: the cache does not answer (%s)", exc)
        return None
    if count <= settings.WEBHOOK_RATE:
        return None
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    return Refusal(retry_after, first=count == settings.WEBHOOK_RATE + 1)
