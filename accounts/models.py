"""API tokens: only a SHA-256 digest of each key is stored, the key is shown once
(hashed_tokens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hashed_tokens import DIGEST_LENGTH, SHOWN_LENGTH, new_token, shown_part, token_digest

KEY_PREFIX = "tgr_"


def new_key() -> str:
    return new_token(KEY_PREFIX)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What uses it, e.g. 'backup'.")
    prefix = models.CharField(max_length=SHOWN_LENGTH, editable=False)
    key_hash = models.CharField(max_length=DIGEST_LENGTH, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'})"

    def set_key(self, key: str) -> None:
        self.prefix = shown_part(key)
        self.key_hash = token_digest(key)

    @classmethod
    def issue(cls, user: models.Model, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; returns it with the plain key, which is never stored."""
        key = new_key()
        token = cls(user=user, name=name)
        token.set_key(key)
        token.save()
        return token, key
