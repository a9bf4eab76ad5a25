"""``/metrics`` for Prometheus: instances, media, scans (scanner.reports.metrics, from the
database) and the Celery queue's length (from the broker), computed on each scrape.

Off unless TAGGARR_METRICS_TOKEN is set: then the answer is 404, as for any unknown
path. With it, a scrape must send ``Authorization: Bearer <token>``; a missing or
wrong token is a 401. Not a user login: Prometheus has no session, and the token
opens nothing else.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterator

from celery import current_app as celery_app
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from scanner.reports import metrics as scanner_metrics

logger = logging.getLogger(__name__)


def queue_length(queue: str) -> int | None:
    """Messages waiting in the Celery queue ``queue``; None when the broker cannot say."""
    if settings.REDIS_URL:
        return _redis_queue_length(queue)
    try:
        names = os.listdir(settings.BROKER_DIR / "queue")
    except OSError:
        return None
    # The filesystem transport names each message <time>_<uuid>.<queue>.msg.
    return sum(1 for name in names if name.partition(".")[2] == f"{queue}.msg")


def _redis_queue_length(queue: str) -> int | None:
    """LLEN of the queue's list and of its priority lists, as kombu names them."""
    import redis
    from kombu.transport.redis import PRIORITY_STEPS, Channel

    keys = [queue, *(f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS if step)]
    try:
        client = redis.Redis.from_url(
            str(settings.REDIS_URL), socket_connect_timeout=2, socket_timeout=2
        )
        with client, client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.llen(key)
            return sum(int(size) for size in pipe.execute())
    except redis.RedisError as exc:
        logger.warning("metrics: the queue length is unknown: %s", type(exc).__name__)
        return None


class BrokerCollector:
    def collect(self) -> Iterator[Metric]:
        # Both lanes (taggarr/celery.py): the control work's and the items'.
        lengths = {queue.name: queue_length(queue.name) for queue in celery_app.conf.task_queues}
        answered = None not in lengths.values()
        up = GaugeMetricFamily("taggarr_broker_up", "1 when the broker answered the scrape.")
        up.add_metric([], 1 if answered else 0)
        yield up
        waiting = GaugeMetricFamily(
            "taggarr_queue_messages",
            "Tasks waiting in a Celery queue (control: steps, beat's tick; items: one per item).",
            labels=["queue"],
        )
        if answered:
            for queue, length in lengths.items():
                waiting.add_metric([queue], length or 0)
        yield waiting


class DatabaseCollector:
    def collect(self) -> Iterator[Metric]:
        yield from scanner_metrics.collect()


def authorized(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("metrics are off: set TAGGARR_METRICS_TOKEN")
    if not authorized(request, token):
        response = HttpResponse("a valid bearer token is needed\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="taggarr metrics"'
        return response
    # A new registry per scrape: nothing is kept between scrapes in this process.
    registry = CollectorRegistry()
    registry.register(DatabaseCollector())
    registry.register(BrokerCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
