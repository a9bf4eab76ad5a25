"""Overseerr / Jellyseerr webhook (Seerr's Webhook agent; docs/seerr.md, issue 72).

Authenticated by the connection's token in the ``Authorization`` header the agent sends
verbatim (``Bearer <token>``); a refusal is 401. Past ``TAGGARR_WEBHOOK_RATE`` a minute
429 (api/webhook_rate.py); a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` 413; a body that
is not the template's 400 naming the field, with nothing kept. While the connection has
not passed its test (or is disabled) 409: the feature is off. A body acted on is kept by
its digest, in the same transaction as what it did: the same body again answers 200
``duplicate`` and does nothing twice; a body whose handling failed is not kept, so
Seerr's next delivery of it is acted on. Bodies are never logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.webhook_rate import over_rate
from scanner import tasks
from scanner.actions.scans import request_item_scan
from scanner.models import SeerrConnection, SeerrDelivery
from scanner.seerr.asks import Status, receive
from scanner.seerr.payload import TEST_NOTIFICATION, BadPayload, read_notice

logger = logging.getLogger(__name__)

KEEP_DELIVERIES = timedelta(days=30)  # a redelivery comes within minutes; kept for a month
MAX_TOKEN = 200


@csrf_exempt
@require_http_methods(["POST"])
def seerr_webhook(request: HttpRequest) -> JsonResponse:
    client = request.META.get("REMOTE_ADDR", "?")
    connection = _connection_for(request.headers.get("Authorization", ""))
    if connection is None:
        logger.warning("Seerr webhook from %s refused: unknown token", client)
        refused = JsonResponse({"error": "unknown webhook token"}, status=401)
        refused["WWW-Authenticate"] = 'Bearer realm="Taggarr Seerr webhook"'
        return refused
    past_rate = over_rate(connection.webhook_token_hash)
    if past_rate is not None:
        too_many = JsonResponse(
            {"error": f"more than {settings.WEBHOOK_RATE} webhooks a minute"}, status=429
        )
        too_many["Retry-After"] = str(past_rate.retry_after)
        return too_many
    if not connection.active:
        return JsonResponse(
            {"error": "the Seerr connection is off until its connection test passes"},
            status=409,
        )
    try:
        body = request.body
        payload = json.loads(body)
        if _holds_nul(payload):
            raise BadPayload("the body must not hold NUL characters (\\u0000)")
        notice = read_notice(payload)
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return JsonResponse({"error": f"the body is larger than {limit} bytes"}, status=413)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, BadPayload) else "the body must be a JSON object"
        logger.warning("Seerr webhook for %s from %s: %s", connection.name, client, reason)
        return JsonResponse({"error": reason}, status=400)
    if notice.type == TEST_NOTIFICATION:
        logger.info("Seerr webhook for %s: test received", connection.name)
        return JsonResponse({"status": "ok"})
    digest = hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            SeerrDelivery.objects.create(
                connection=connection, digest=digest, notification_type=notice.type
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


def _connection_for(header: str) -> SeerrConnection | None:
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN:
        return None
    return SeerrConnection.objects.filter(SeerrConnection.webhook_token.matching(token)).first()


def _holds_nul(payload: Any) -> bool:
    """Whether a string or a key anywhere holds U+0000 (PostgreSQL cannot store it). A
    loop, not recursion: the body may be as deep as the JSON parser allowed."""
    pending = [payload]
    while pending:
        value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            pending += list(value.keys()) + list(value.values())
        elif isinstance(value, list):
            pending += value
    return False
