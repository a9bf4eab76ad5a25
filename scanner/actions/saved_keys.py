"""A saved API key used with an address a request gave (the instance form's "Test the
connection" asks the *arr with the typed URL): only with the address the key was saved
for (Secret.goes_to), only for a user who may change the instance, and recorded as an
event of the instance (who, with which address; never the key)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from scanner.models import Event, Instance
from scanner.models.choice_events import SAVED_KEY_USED
from scanner.models.choices import Via

NOT_YOURS = _("Enter the API key: only a user who may change this instance can use its saved key.")


def record_saved_key_use(instance: Instance, url: str, *, user: str, via: Via, what: str) -> None:
    Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=f"saved API key used for {what} with {url} ({user}, {via})"[:2000],
        data={SAVED_KEY_USED: what, "url": url, "user": user, "via": via},
    )
