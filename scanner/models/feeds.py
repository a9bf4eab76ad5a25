"""Feed tokens: what a feed reader (or Home Assistant) puts in the URL of the dub news
feed. Feed readers send no headers, so the token is in the URL, like Sonarr's calendar
feed's key; only its SHA-256 digest is stored (the URL is shown once, when it is made),
a token opens that one feed and nothing else, and it can be revoked. And the namespace of
the feed's Atom ids (FeedNamespace)."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from uuid import uuid4, uuid5

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import hashed_tokens
from scanner.models.instances import Instance

FEED_PREFIX = "tgf_"
TOKEN_SHAPE = re.compile(r"tgf_[A-Za-z0-9_-]{20,100}")


def new_token() -> str:
    return hashed_tokens.new_token(FEED_PREFIX)


def feed_path(plain: str) -> str:
    """The feed's path and query with the token ``plain``: its address, less the host."""
    return f"{reverse('taggarr-dub-feed')}?{urlencode({'token': plain})}"


class FeedToken(models.Model):
    name = models.CharField(
        max_length=100, help_text=_("What reads it, e.g. 'Home Assistant'."), verbose_name=_("name")
    )
    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
        help_text=_("Whose news the feed carries; none: every instance's."),
        verbose_name=_("instance"),
    )
    language = models.CharField(
        _("feed language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The language of the feed's entries; empty: the language of the person who makes it."
        ),
    )
    prefix = models.CharField(
        max_length=hashed_tokens.SHOWN_LENGTH, editable=False, verbose_name=_("prefix")
    )
    token_hash = models.CharField(
        max_length=hashed_tokens.DIGEST_LENGTH,
        unique=True,
        editable=False,
        verbose_name=_("token digest"),
    )
    created_by = models.CharField(
        max_length=150, blank=True, editable=False, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last used")
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("revoked")
    )

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(
        cls, name: str, instance: Instance | None = None, *, user: str = "", language: str = ""
    ) -> tuple[FeedToken, str]:
        """A new token; returned with its plain value, which is never stored."""
        plain = new_token()
        token = cls(name=name, instance=instance, created_by=user[:150], language=language)
        token.set_token(plain)
        token.save()
        return token, plain

    def set_token(self, plain: str) -> None:
        self.prefix = hashed_tokens.shown_part(plain)
        self.token_hash = hashed_tokens.token_digest(plain)

    @classmethod
    def find(cls, plain: str) -> FeedToken | None:
        """The active token with this value; None for anything else (checked by shape
        first, so no query runs for junk)."""
        if not TOKEN_SHAPE.fullmatch(plain or ""):
            return None
        found = cls.objects.select_related("instance").filter(
            token_hash=hashed_tokens.token_digest(plain), revoked_at__isnull=True
        )
        return found.first()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class FeedNamespace(models.Model):
    """One row: this installation's namespace for the dub feed's Atom ids, a random UUID
    made the first time a feed is read and kept with the data.

    An Atom id (RFC 4287 section 4.2.6) is an IRI that never changes: here a ``urn:uuid:``
    UUID made by name (version 5, RFC 9562) from this namespace and what the id names (the
    feed of every instance, an instance's feed, an event), so no host name, token or
    rendering enters it. The ids last as long as the database; a new database, whose event
    numbers start again, gets a new namespace and so never reuses an old entry's id. Not a
    ``tag:`` URI (RFC 4151): its authority must be a domain name or e-mail address that
    the installation owns, and Taggarr knows none.
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = verbose_name_plural = _("feed identity")

    def __str__(self) -> str:
        return f"feed ids' namespace {self.uuid}"

    @classmethod
    def get(cls) -> FeedNamespace:
        namespace, _ = cls.objects.get_or_create(pk=1)
        return namespace

    def feed_id(self, instance_id: int | None) -> str:
        name = "every-instance" if instance_id is None else f"instance/{instance_id}"
        return uuid5(self.uuid, f"feed/{name}").urn

    def entry_id(self, event_id: int) -> str:
        return uuid5(self.uuid, f"dub-news/{event_id}").urn
