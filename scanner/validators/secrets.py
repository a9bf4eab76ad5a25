"""API keys and tokens: what can travel in an HTTP header."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scanner.validators.common import invalid

# The shortest API key or token taken (an empty one keeps the saved key). Sonarr's and
# Radarr's own health check (ApiKeyValidationCheck) warns about a key shorter than 20
# characters; the keys they generate have 32 hex digits, as Jellyfin's and Emby's do, and
# a Plex token has 20 characters.
MIN_KEY_LENGTH = 20


def clean_api_key(value: str) -> str:
    """An *arr API key travels in an HTTP header: visible ASCII only (Sonarr's and
    Radarr's are 32 hex digits). Anything else could never authenticate."""
    key = _header_secret(value)
    if key and len(key) < MIN_KEY_LENGTH:
        raise invalid(
            _(
                "an API key has at least %(minimum)d characters (Sonarr's and Radarr's have 32: "
                "copy it from Settings → General)"
            ),
            minimum=MIN_KEY_LENGTH,
        )
    return key


def clean_server_token(value: str) -> str:
    """A media server's API key: like an *arr key, and no double quote (it travels
    quoted in ``Authorization: MediaBrowser Token="..."``; Jellyfin's are 32 hex digits)."""
    token = _header_secret(value)
    if '"' in token:
        raise ValidationError(_("an API key has no double quote (copy it from the server)"))
    if token and len(token) < MIN_KEY_LENGTH:
        raise invalid(
            _(
                "an API key or token has at least %(minimum)d characters (Jellyfin's and Emby's "
                "API keys have 32, a Plex token 20: copy it from the server)"
            ),
            minimum=MIN_KEY_LENGTH,
        )
    return token


def _header_secret(value: str) -> str:
    key = value.strip()
    if len(key) > 500:
        raise ValidationError(_("an API key is at most 500 characters (Sonarr's has 32)"))
    if key and not all("!" <= char <= "~" for char in key):
        raise ValidationError(
            _(
                "an API key has only letters, digits and punctuation, no spaces or other "
                "characters (copy it from Settings → General in Sonarr/Radarr)"
            )
        )
    return key
