"""Overseerr / Jellyseerr webhook (Seerr's Webhook agent; docs/seerr.md, issue 72).

Authenticated by the connection's token in the ``Authorization`` header the agent sends
verbatim (``Bearer <token>``); a refusal is 401. Past ``TAGGARR_WEBHOOK_RATE`` a minute
429; a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` 413 (the guard the *arr webhooks share:
api/webhook_guard.py); a body that is not the template's 400 naming the field, with
nothing kept. While the connection has not passed its test (or is disabled) 409: the
feature is off. A body acted on is kept by its digest, in the same transaction as what
it did: the same body again answers 200 ``duplicate`` and does nothing twice; a body
whose handling failed is not kept, so Seerr's next delivery of it is acted on. Bodies
are never logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from api.webhook_guard import WebhookGuard, client_of, webhook_view
from scanner import tasks
from scanner.actions.scans import request_item_scan
from scanner.models import SeerrConnection, SeerrDelivery
from scanner.seerr.asks import Status, receive
from scanner.seerr.payload import TEST_NOTIFICATION, BadPayload, read_notice

logger = logging.getLogger(__name__)

KEEP_DELIVERIES = timedelta(days=30)  # a redelivery comes within minutes; kept for a month
GUARD = WebhookGuard(
    SeerrConnection,
    "Seerr webhook",
    'Bearer realm="Taggarr Seerr webhook"',
    nul_error="the body must not hold NUL characters (\\u0000)",
)


@webhook_view("POST")
def seerr_webhook(request: HttpRequest) -> JsonResponse:
    connection = GUARD.sender(request, _bearer_token(request.headers.get("Authorization", "")))
    if not connection.active:
        return JsonResponse(
            {"error": "the Seerr connection is off until its connection test passes"},
            status=409,
        )
    body = GUARD.body(request, connection)
    try:
        notice = read_notice(body.payload)
    except (ValueError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, BadPayload) else "the body must be a JSON object"
        client = client_of(request)
        logger.warning("Seerr webhook for %s from %s: %s", connection.name, client, reason)
        return JsonResponse({"error": reason}, status=400)
    if notice.type == TEST_NOTIFICATION:
        logger.info("Seerr webhook for %s: test received", connection.name)
        return JsonResponse({"status": "ok"})
    try:
        with transaction.atomic():
            SeerrDelivery.objects.create(
                connection=connection, digest=body.digest, notification_type=notice.type
            )
            received = receive(connection, notice, request_item_scan)
    except IntegrityError:
        logger.info("Seerr webhook for %s: %s delivered again", connection.name, notice.type)
        return JsonResponse({"status": "duplicate"})
    SeerrDelivery.objects.filter(received_at__lt=timezone.now() - KEEP_DELIVERIES).delete()
    tasks.send_seerr_answers(received.asks)
    logger.info(
        "Seerr webhook for %s: %s %s %s",
        connection.name,
        notice.type,
        received.status,
        received.reason,
    )
    answer: dict[str, Any] = {"status": received.status}
    if received.reason:
        answer["reason"] = received.reason
    if received.scan is not None:
        answer["scan"] = received.scan
    return JsonResponse(answer, status=202 if received.status == Status.FOLLOWED else 200)


def _bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (the guard bounds and
    looks it up); None for another scheme."""
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None
