"""Sonarr/Radarr webhooks (Settings → Connect → Webhook).

Authenticated by the instance's own token, in the URL (``/api/webhooks/<token>/``)
or as the Basic-auth password (``/api/webhooks/``): the *arr cannot log in. Sonarr and
Radarr encode Basic credentials in ISO-8859-1, not UTF-8 (their ManagedHttpDispatcher):
DRF's Basic parser reads UTF-8 when the bytes are UTF-8 and ISO-8859-1 otherwise, so a
user name such as ``Jürgen`` works from either. A refusal (401) names the Basic scheme
in ``WWW-Authenticate``, as RFC 7235 asks.
The token, the rate (``TAGGARR_WEBHOOK_RATE`` a minute per token, then 429 with
``Retry-After``), the body's size (``DATA_UPLOAD_MAX_MEMORY_SIZE``, Django's 2.5 MB, then
413) and its JSON are checked by the guard the Seerr webhook shares (api/webhook_guard.py);
past the rate, the window's first refusal has the whole library scanned.
``Test`` answers 200 and scans nothing; file and item events queue a scan of
that one item; other events answer 200 and are only logged. Bodies are never
logged (they carry paths and, with Basic auth, credentials).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed

from api.webhook_guard import WebhookGuard, client_of, webhook_view
from scanner import outside_text
from scanner.actions.scans import await_upgrade, request_instance_scan, request_item_scan
from scanner.arr.webhook_files import file_changes, upgrade_deletes
from scanner.models import Event, Instance
from scanner.models.event_data import (
    WEBHOOK_QUEUED,
    WEBHOOK_TEST,
    WEBHOOK_TOO_MANY,
    WEBHOOK_WAITING,
)

logger = logging.getLogger(__name__)

SCAN_EVENTS = {
    "sonarr": {"Download", "Rename", "SeriesAdd", "EpisodeFileDelete", "SeriesDelete"},
    "radarr": {"Download", "Rename", "MovieAdded", "MovieFileDelete", "MovieDelete"},
}
ITEM_KEY = {"sonarr": "series", "radarr": "movie"}
PAST_THE_RATE = "webhooks past the rate"  # a scan request's event type (40 characters)
# charset: RFC 7617, 2.1 (UTF-8 is what a client that reads it should send).
BASIC_CHALLENGE = 'Basic realm="Taggarr webhooks", charset="UTF-8"'


def _scan_whole_library(instance: Instance) -> None:
    """Past the instance's rate, the window's first refusal has its whole library
    scanned (once, when it may: state/webhook_requests.py), so the refused requests'
    changes are not lost."""
    if instance.enabled and instance.is_arr:
        rate = settings.WEBHOOK_RATE
        request_instance_scan(instance, PAST_THE_RATE)
        _record(
            instance,
            f"webhooks came faster than {rate} a minute: refused (429) until the minute "
            "ends; the whole library will be scanned instead",
            {"what": WEBHOOK_TOO_MANY, "rate": rate},
        )


GUARD = WebhookGuard(Instance, "webhook", BASIC_CHALLENGE, on_first_refusal=_scan_whole_library)


@webhook_view("POST", "PUT")
def arr_webhook(request: HttpRequest, token: str | None = None) -> JsonResponse:
    instance = GUARD.sender(request, token if token else _basic_password(request))
    payload = GUARD.body(request, instance).payload
    client = client_of(request)
    event_type = payload.get("eventType") if isinstance(payload, dict) else None
    if not isinstance(event_type, str):
        logger.warning("webhook for %s from %s: no eventType", instance.name, client)
        return JsonResponse({"error": "eventType is missing"}, status=400)
    event_type = outside_text.line(event_type)  # logged, and answered when ignored
    if event_type == "Test":
        _record(
            instance,
            f"test webhook from {instance.get_kind_display()} received",
            {"what": WEBHOOK_TEST},
        )
        return JsonResponse({"status": "ok", "scan": None})
    if not instance.is_arr or event_type not in SCAN_EVENTS[instance.kind]:
        logger.info("webhook for %s: %s ignored", instance.name, event_type)
        return JsonResponse({"status": "ignored", "eventType": event_type})
    item_id = _item_id(payload, ITEM_KEY[instance.kind])
    if item_id is None:
        logger.warning(
            "webhook %s for %s: no %s id", event_type, instance.name, ITEM_KEY[instance.kind]
        )
        return JsonResponse(
            {"error": f"{event_type} needs {ITEM_KEY[instance.kind]}.id (a whole number from 1)"},
            status=400,
        )
    if not instance.enabled:
        return JsonResponse({"status": "ignored", "reason": "instance is disabled"})
    upgraded = upgrade_deletes(payload, event_type)
    if upgraded is not None:
        await_upgrade(instance, item_id, upgraded)
        logger.info("webhook for %s: an upgrade's delete waits for its import", instance.name)
        return JsonResponse(
            {"status": "ignored", "reason": "an upgrade's delete: the import that follows scans it"}
        )
    changes = file_changes(payload, event_type, instance.kind)
    run = request_item_scan(instance, [item_id], event_type, changes)
    if instance.waits_for_first_scan:
        _record(
            instance,
            f"{event_type} webhook for item {item_id} remembered: the instance waits for "
            "its first scan",
            {"what": WEBHOOK_WAITING, "event_type": event_type, "arr_id": item_id},
        )
        return JsonResponse(
            {"status": "waiting", "reason": "no scan until a person starts the first one"},
            status=202,
        )
    _record(
        instance,
        f"{event_type} webhook queued a scan of item {item_id}",
        {"what": WEBHOOK_QUEUED, "event_type": event_type, "arr_id": item_id},
    )
    return JsonResponse({"status": "queued", "scan": run.pk if run else None}, status=202)


class _WebhookBasicAuthentication(BasicAuthentication):
    """DRF's Basic parser; the password is the instance's webhook token, the user name
    is not looked at."""

    # The stubs want (a user, None); DRF hands on any pair: here no user and the password
    # second (_basic_password reads it; the guard finds its instance).
    def authenticate_credentials(  # type: ignore[override]
        self, userid: str, password: str, request: Any = None
    ) -> tuple[None, str]:
        return None, password

    def authenticate_header(self, request: Any) -> str:
        return BASIC_CHALLENGE


_BASIC = _WebhookBasicAuthentication()


def _basic_password(request: HttpRequest) -> str | None:
    try:
        found = _BASIC.authenticate(request)  # type: ignore[arg-type]
    except AuthenticationFailed:  # a Basic header that is not base64 of "user:password"
        return None
    return found[1] if found else None


# Sonarr and Radarr ids are 32-bit (C# int); so is the column that stores them.
MAX_ARR_ID = 2**31 - 1


def _item_id(payload: dict[str, Any], key: str) -> int | None:
    item = payload.get(key)
    item_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        return None
    return item_id if 1 <= item_id <= MAX_ARR_ID else None


def _record(instance: Instance, message: str, data: dict[str, Any] | None = None) -> None:
    logger.info("webhook for %s: %s", instance.name, message)
    Event.objects.create(
        instance=instance, kind=Event.Kind.WEBHOOK, message=message, data=data or {}
    )
