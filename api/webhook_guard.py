"""The one guard of the webhook views: Sonarr's and Radarr's (api/webhooks.py) and
Seerr's (api/seerr_webhook.py). What a request passes before a view reads what it says,
in this order, each refusal a JSON ``{"error": …}`` that never quotes the body:

1. **The token**: the sender is the row whose webhook token it is, else 401 with the
   view's ``WWW-Authenticate`` challenge. A token longer than ``MAX_TOKEN`` is refused
   unread. The check takes the same time whatever the token: only its digest is looked
   up in the database (``Secret.matching``), never compared with a stored token in
   Python, so no timing tells how much of a guess was right.
2. **The rate**: past ``TAGGARR_WEBHOOK_RATE`` a minute per token, 429 with
   ``Retry-After`` (api/webhook_rate.py); the window's first refusal is logged and
   handed to the view's ``on_first_refusal`` (the *arr's: a scan of the whole library).
3. **The size**: the body is read only within ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django
   refuses a longer one before reading it), else 413.
4. **JSON**: a body that is not JSON, or nested deeper than the parser goes, is 400;
   one holding U+0000 anywhere is 400 naming the field (PostgreSQL cannot store it).

What is left is the view's: its feature switched off (Seerr's 409), what the body means,
and the dedup of a body sent twice: Seerr's is kept by its digest (``Body.digest``) in the
transaction that acts on it; the *arr's needs none (an item is remembered once however
often it is named: pipeline/state/webhook_requests.py). A refusal is raised
(``Refused``) and answered by ``webhook_view``, so that a view reads as what it does.
Bodies are never logged: they carry paths and, with Basic auth, credentials.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.webhook_rate import over_rate
from scanner import outside_text
from scanner.models import Instance, SeerrConnection

logger = logging.getLogger(__name__)

MAX_TOKEN = 200  # characters: the tokens made are 43 (hashed_tokens), so none is longer
FIELD_SHOWN = 120  # characters of a field's name in an answer: a key may be long
NUL_IN_FIELD = "{field} must not hold NUL characters (\\u0000)"

# The rows a webhook comes from: each has a webhook token (a Secret with a lookup digest).
Sender = TypeVar("Sender", Instance, SeerrConnection)
_P = ParamSpec("_P")
View = Callable[Concatenate[HttpRequest, _P], HttpResponse]


class Refused(Exception):
    """A request the guard turns away; ``answer`` is what it is answered."""

    def __init__(self, answer: JsonResponse) -> None:
        super().__init__(answer.status_code)
        self.answer = answer


@dataclass(frozen=True)
class Body:
    payload: Any  # the JSON value, of any shape: the view reads it
    digest: str  # SHA-256 of the bytes, hex: the same body sent again has the same one


def webhook_view(*methods: str) -> Callable[[View[_P]], View[_P]]:
    """A webhook view: no CSRF token (a program posts it), only ``methods`` (405
    otherwise), and a ``Refused`` raised inside answered with its answer."""

    def decorate(view: View[_P]) -> View[_P]:
        @functools.wraps(view)
        def guarded(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Refused as refused:
                return refused.answer

        return csrf_exempt(require_http_methods(list(methods))(guarded))

    return decorate


@dataclass(frozen=True)
class WebhookGuard(Generic[Sender]):
    """The guard of one view: whose tokens it takes, how its logs and refusals name it."""

    model: type[Sender]
    label: str  # the logs' name of the view: "webhook", "Seerr webhook"
    challenge: str  # the WWW-Authenticate of a 401
    # The error of a body holding U+0000; {field} is the first field holding it.
    nul_error: str = NUL_IN_FIELD
    # Called with the sender at the first refusal of a rate window (after it is logged).
    on_first_refusal: Callable[[Sender], None] | None = None

    def sender(self, request: HttpRequest, token: str | None) -> Sender:
        """The row whose webhook token ``token`` is, its request counted in its rate;
        raises Refused (401, 429) otherwise."""
        found = self._owner(token)
        client = client_of(request)
        if found is None:
            logger.warning("%s from %s refused: unknown token", self.label, client)
            refused = JsonResponse({"error": "unknown webhook token"}, status=401)
            refused["WWW-Authenticate"] = self.challenge
            raise Refused(refused)
        past_rate = over_rate(found.webhook_token_hash)
        if past_rate is None:
            return found
        rate = settings.WEBHOOK_RATE
        if past_rate.first:
            logger.warning(
                "%s for %s from %s: over %d a minute", self.label, found.name, client, rate
            )
            if self.on_first_refusal is not None:
                self.on_first_refusal(found)
        too_many = JsonResponse(
            {"error": f"more than {rate} webhooks a minute", "retry_after": past_rate.retry_after},
            status=429,
        )
        too_many["Retry-After"] = str(past_rate.retry_after)
        raise Refused(too_many)

    def body(self, request: HttpRequest, sender: Sender) -> Body:
        """The body read within the upload bound and parsed as JSON free of U+0000;
        raises Refused (413, 400) otherwise."""
        client = client_of(request)
        try:
            raw = request.body
        except RequestDataTooBig:
            logger.warning("%s for %s from %s: body too large", self.label, sender.name, client)
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            raise Refused(self._bad(f"the body is larger than {limit} bytes", 413)) from None
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            logger.warning("%s for %s from %s: body is not JSON", self.label, sender.name, client)
            raise Refused(self._bad("the body must be a JSON object")) from None
        nul_field = field_holding_nul(payload)
        if nul_field is not None:
            logger.warning(
                "%s for %s from %s: %s holds NUL", self.label, sender.name, client, nul_field
            )
            raise Refused(self._bad(self.nul_error.format(field=nul_field)))
        return Body(payload, hashlib.sha256(raw).hexdigest())

    def _owner(self, token: str | None) -> Sender | None:
        if not token or len(token) > MAX_TOKEN:
            return None
        return self.model.objects.filter(self.model.webhook_token.matching(token)).first()

    @staticmethod
    def _bad(error: str, status: int = 400) -> JsonResponse:
        return JsonResponse({"error": error}, status=status)


def client_of(request: HttpRequest) -> str:
    """The sender's address, for the logs."""
    return str(request.META.get("REMOTE_ADDR", "?"))


def field_holding_nul(payload: Any) -> str | None:
    """The first field (``episodeFile.relativePath``, ``renamedEpisodeFiles[0].path``)
    whose string, or name, holds U+0000; None when none does. No file name or language
    holds one, and PostgreSQL's jsonb and text columns cannot store it: the sender is
    told which field to fix rather than have it changed. A loop, not recursion: the
    body may be nested as deep as the JSON parser allowed."""
    pending: deque[tuple[Any, str]] = deque([(payload, "")])
    while pending:
        value, where = pending.popleft()
        if isinstance(value, str) and "\x00" in value:
            return _shown_field(where or "the body")
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                if "\x00" in str(key):
                    return f"the name of {_shown_field(name)}"
                pending.append((item, name))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{number}]") for number, item in enumerate(value))
    return None


def _shown_field(where: str) -> str:
    """A field's name as the sender wrote it, made a line that can be logged and shown."""
    shown = outside_text.line(where.replace("\x00", "\\u0000"))
    return shown if len(shown) <= FIELD_SHOWN else shown[: FIELD_SHOWN - 1] + "\u2026"
