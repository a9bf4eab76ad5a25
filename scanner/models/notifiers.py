"""Notifiers: where to tell what (Apprise URLs), and their rate limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from scanner import validators
from scanner.language_names import ui_language_of
from scanner.models.choices import NotificationKind
from scanner.models.household import Person
from scanner.models.instances import Instance
from scanner.models.secrets import URL_HINT, Secret


def every_notification_kind() -> list[str]:
    return list(NotificationKind.values)


def expected_notification_kinds() -> list[str]:
    """What a new notifier of the admin or the API tells when none is chosen: the news
    people add a notifier for (a dub arrived or lost, a scan that failed or could not
    reach its *arr, Taggarr's answers in Seerr), as an *arr ticks On Import and On Health
    Issue for a new connection. Not items that became wrong-dub: a verdict to review in
    the library, hundreds on a first scan, not news."""
    return [kind for kind in NotificationKind.values if kind != NotificationKind.WRONG_DUB]


class Notifier(models.Model):
    """Where to tell what: an Apprise URL (encrypted at rest, write-only, shown only as a
    hint), the kinds of news, and the instances it is about (none: every one). A person's
    own notifier (``person``) is told Taggarr's answers to their Seerr requests and issues
    only, and takes their languages and the language they read where its own are
    empty (``news_languages``, ``message_language``)."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    url_encrypted = models.TextField(editable=False, verbose_name=_("encrypted URL"))
    url_hint = models.CharField(
        max_length=40, editable=False, blank=True, verbose_name=_("URL hint")
    )
    url = Secret("the URL of notifier", hint=URL_HINT)
    if TYPE_CHECKING:  # what the Secret adds to the class (scanner.models.secrets)

        def get_url(self) -> str: ...
        def set_url(self, plaintext: str) -> None: ...

    events = models.JSONField(
        default=every_notification_kind,
        help_text=format_lazy(_("What to send: {kinds}"), kinds=", ".join(NotificationKind.values)),
        verbose_name=_("events"),
    )
    instances = models.ManyToManyField(
        Instance,
        blank=True,
        related_name="notifiers",
        help_text=_("None selected: every instance."),
        verbose_name=_("instances"),
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Dub arrivals and losses of these target languages only; empty: every one (a "
            "person's own notifier: their languages)."
        ),
        verbose_name=_("languages"),
    )
    language = models.CharField(
        _("message language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The language of its messages; empty: Taggarr's default (TAGGARR_LANGUAGE), or "
            "for a person's own notifier the first of their languages Taggarr speaks."
        ),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifiers",
        verbose_name=_("person"),
        help_text=_(
            "Empty: the household's notifier. A person's own notifier gets Taggarr's answers "
            "to their Seerr requests and issues, never anyone else's, and takes their "
            "languages when its own fields are empty."
        ),
    )
    enabled = models.BooleanField(default=True, verbose_name=_("enabled"))
    rate_limit_minutes = models.PositiveIntegerField(
        default=15,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("At most one message of each kind per this many minutes; 0: no limit."),
        verbose_name=_("rate limit (minutes)"),
    )
    last_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last sent")
    )
    last_error = models.CharField(
        max_length=300, blank=True, editable=False, verbose_name=_("last error")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("notifier")
        verbose_name_plural = _("notifiers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        events = self.events if isinstance(self.events, list) else []
        unknown = [e for e in events if e not in NotificationKind.values]
        if unknown or not events:
            raise ValidationError({"events": f"choose from {', '.join(NotificationKind.values)}"})
        self.events = [kind for kind in NotificationKind.values if kind in events]
        try:
            self.languages = validators.clean_languages(self.languages or [], allow_empty=True)
        except ValidationError as exc:
            raise ValidationError({"languages": exc.messages}) from None

    def wants(self, kind: str) -> bool:
        return self.enabled and kind in self.events

    def news_languages(self) -> list[str]:
        """The target languages whose dub news it tells: its own, else its person's, else
        every one (empty)."""
        if self.languages:
            return list(self.languages)
        return list(self.person.languages) if self.person is not None else []

    def language_at_creation(self, creator: str) -> None:
        """A new notifier's message language when none was chosen: its person's, when they
        read one Taggarr speaks (kept empty: it follows them), else ``creator``'s (the
        language of whoever makes it, accounts.language.creator_language), so that a
        French admin's household notifier writes French and not TAGGARR_LANGUAGE's
        English; "" leaves it to TAGGARR_LANGUAGE."""
        if self.language or (self.person is not None and ui_language_of(self.person.languages)):
            return
        self.language = creator

    def message_language(self) -> str:
        """The language its messages are written in: its own, else the first of its
        person's that Taggarr speaks, else Taggarr's default."""
        found = ui_language_of(self.person.languages) if self.person is not None else None
        return self.language or found or settings.LANGUAGE_CODE


class NotifierThrottle(models.Model):
    """When a notifier last got a message of a kind: the rate limit, shared by every
    worker through the database (claimed by compare-and-set, scanner.notify.throttle)."""

    notifier = models.ForeignKey(
        Notifier, on_delete=models.CASCADE, related_name="throttles", verbose_name=_("notifier")
    )
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    sent_at = models.DateTimeField(verbose_name=_("sent"))

    class Meta:
        verbose_name_plural = _("notification rate limits")
        verbose_name = _("notification rate limit")
        constraints = [
            models.UniqueConstraint(fields=["notifier", "kind"], name="notifierthrottle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.notifier_id} {self.kind} at {self.sent_at}"
