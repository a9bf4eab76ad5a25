"""API tokens: only a SHA-256 digest of each key is stored, the key is shown once
(hashed_tokens). And each user's profile: the language they chose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.hashed_tokens import DIGEST_LENGTH, SHOWN_LENGTH, new_token, shown_part, token_digest

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # settings.AUTH_USER_MODEL

KEY_PREFIX = "tgr_"


def new_key() -> str:
    return new_token(KEY_PREFIX)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What uses it, e.g. 'backup'.")
    )
    prefix = models.CharField(_("prefix"), max_length=SHOWN_LENGTH, editable=False)
    key_hash = models.CharField(
        max_length=DIGEST_LENGTH, unique=True, editable=False, verbose_name=_("key digest")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or _('unnamed')})"

    def set_key(self, key: str) -> None:
        self.prefix = shown_part(key)
        self.key_hash = token_digest(key)

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; returns it with the plain key, which is never stored."""
        key = new_key()
        token = cls(user=user, name=name)
        token.set_key(key)
        token.save()
        return token, key


class Profile(models.Model):
    """What a user chose for themselves: the language of the pages they read (empty: the
    browser's). Made when first saved (accounts.language), not for every user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="taggarr_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of Taggarr's pages for this user; empty: the browser's."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
