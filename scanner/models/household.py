"""The people of a household (issue 70): who listens, in which languages (in their
order, varieties included: ``fr-CA`` before ``fra``), what each wants per kind of item
and per item, and their accounts on the media servers. The choice of a track
(scanner.engine.track_choice) reads a person as a plain value: ``Person.listener()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from scanner import validators
from scanner.engine.listener import Listener, make_listener, want_code
from scanner.models import choices
from scanner.models.media import Media
from scanner.models.media_servers import MediaServer
from scanner.models.secrets import LAST_FOUR, Secret

MAX_LANGUAGES = 10  # a person's languages


class Person(models.Model):
    """Someone who watches: their languages in order and what they want to hear."""

    Want = choices.Want

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    languages = models.JSONField(
        default=list,
        help_text=_(
            "In the order they are preferred, e.g. fr-CA, fr (the Quebec dub, else any "
            "French); a variety by its BCP-47 tag or as it is called, e.g. VFQ, Latino, "
            "Castellano."
        ),
        verbose_name=_("languages"),
    )
    series_want = models.CharField(
        max_length=20,
        choices=Want.choices,
        default=Want.DUB,
        verbose_name=_("series"),
    )
    movie_want = models.CharField(
        max_length=20,
        choices=Want.choices,
        default=Want.DUB,
        verbose_name=_("movies"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("household members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.languages = clean_person_languages(self.languages)
        except ValidationError as exc:
            raise ValidationError({"languages": exc.messages}) from None

    def listener(self) -> Listener:
        """The person as the choice of a track takes them (one query for the items they
        said otherwise of)."""
        return make_listener(
            name=self.name,
            languages=list(self.languages),
            wants={"series": want_code(self.series_want), "movie": want_code(self.movie_want)},
            item_wants={
                media: want_code(want)
                for media, want in self.item_wants.values_list("media_id", "want")
            },
        )


def clean_person_languages(values: object) -> list[str]:
    """A person's languages as targets are (scanner.validators.clean_targets: ``VFQ``
    and ``fr-CA`` are ``fr-CA``, ``fr`` is ``fra``), in the order given, each once."""
    if isinstance(values, list) and len(values) > MAX_LANGUAGES:
        raise ValidationError(
            ngettext(
                "give at most %(count)d language",
                "give at most %(count)d languages",
                MAX_LANGUAGES,
            )
            % {"count": MAX_LANGUAGES}
        )
    return validators.clean_targets(values)


class PersonItemWant(models.Model):
    """One item where a person wants something else than for its kind (the parents'
    one anime in its dub)."""

    Want = choices.Want

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="item_wants", verbose_name=_("person")
    )
    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="person_wants", verbose_name=_("item")
    )
    want = models.CharField(
        max_length=20, choices=Want.choices, default=Want.DUB, verbose_name=_("wants")
    )

    class Meta:
        verbose_name = _("want for an item")
        verbose_name_plural = _("wants for items")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "media"],
                name="person_item_want_once",
                violation_error_message=_("This person has a want for this item already."),
            )
        ]

    def __str__(self) -> str:
        # The catalog's colon: French writes a no-break space before it (issue 84).
        return pgettext("a label and its value", "%(name)s: %(value)s") % {
            "name": self.person,
            "value": self.media,
        }


class PersonAccount(models.Model):
    """A person's account on one media server, as the server listed it (its id, the
    name it showed, its kind): one per person per server, one person per account."""

    Kind = choices.AccountKind

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("person")
    )
    media_server = models.ForeignKey(
        MediaServer,
        on_delete=models.CASCADE,
        related_name="person_accounts",
        verbose_name=_("media server"),
    )
    account_id = models.CharField(max_length=100, verbose_name=_("account id"))
    account_name = models.CharField(max_length=200, verbose_name=_("account"))
    account_kind = models.CharField(
        max_length=20, choices=Kind.choices, verbose_name=_("kind of account")
    )
    # A protected Plex Home member's PIN: plex.tv hands out their token only with it
    # (plex_people.PlexPeople.token). A secret as any other: 4 digits keep no hint.
    pin_encrypted = models.TextField(blank=True, editable=False, verbose_name=_("encrypted PIN"))
    pin_last4 = models.CharField(
        max_length=4, blank=True, editable=False, verbose_name=_("PIN (last 4)")
    )
    pin = Secret("the Plex Home PIN of account", hint=LAST_FOUR)
    if TYPE_CHECKING:  # what the Secret adds to the class (scanner.models.secrets)

        def get_pin(self) -> str: ...
        def set_pin(self, plaintext: str) -> None: ...

        @property
        def pin_hint(self) -> str: ...

    class Meta:
        verbose_name = _("account on a media server")
        verbose_name_plural = _("accounts on media servers")
        ordering = ["media_server__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "media_server"],
                name="person_account_one_per_server",
                violation_error_message=_("A person has one account per media server."),
            ),
            models.UniqueConstraint(
                fields=["media_server", "account_id"],
                name="person_account_one_person",
                violation_error_message=_("This account is already linked to another person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.media_server})"
