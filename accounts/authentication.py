"""``Authorization: Token <key>``: the key is looked up by its SHA-256 digest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.hashed_tokens import token_digest
from accounts.models import ApiToken

KEYWORD = "Token"
MAX_KEY_LENGTH = 200
# last_used_at is written at most this often per token: a script polling every
# second must not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: session authentication may still apply
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            raise exceptions.AuthenticationFailed(_("Malformed token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token header.")) from None
        # The user's saved language comes along (api.language reads it): no query of its own.
        tokens = ApiToken.objects.select_related("user", "user__taggarr_profile")
        token = tokens.filter(key_hash=token_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        self._touch(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return KEYWORD

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
