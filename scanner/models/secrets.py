"""Secrets a model keeps (API keys, tokens, notification URLs): encrypted at rest with
scanner.crypto, read only by the code that uses them, and shown to people only as a
hint. One mechanism for every model; the admin forms and the API serializers take them
write-only (web.admin.secrets, api.serializers.secrets).

A model declares the columns (they are its schema) and then the secret over them::

    api_key_encrypted = models.TextField(blank=True, editable=False)
    api_key_last4 = models.CharField(max_length=4, blank=True, editable=False)
    api_key = Secret("the API key of instance", hint=LAST_FOUR)

and gets, as Django gives ``get_FOO_display`` to a field with choices:

- ``set_api_key(plaintext)``: encrypt and keep it (and its hint); "" clears it;
- ``get_api_key()``: the plaintext, "" when none is saved (ConfigError when it was saved
  with another TAGGARR_ENCRYPTION_KEY: the error names the secret, never its value);
- ``api_key_hint``: what people see of it ("****" and the last 4), "" when none is saved,
  KEY_CHANGED when it was saved with another key (only that row is spoilt: every list
  shows it, and a person enters it again).

``Instance.api_key`` is the Secret itself, for the forms and serializers (``is_set``,
``hint``, ``set``); on a model object the name holds nothing: there is no plaintext
attribute to print or serialise by mistake, and assigning to it is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import hashed_tokens
from scanner import crypto, validators
from scanner.errors import ConfigError


@dataclass(frozen=True)
class HintStyle:
    """How a secret is shown: the column after the secret's name that keeps a little of
    it (``<name>_<suffix>``), what it keeps, and the hint made from what it kept."""

    suffix: str
    keep: Callable[[str], str]
    show: Callable[[str], str]


def _last_four(plaintext: str) -> str:
    return plaintext[-4:] if len(plaintext) > 8 else ""  # a short one keeps nothing


def _url_hint(url: str) -> str:
    scheme = url.partition("://")[0][:20] if "://" in url else "?"
    return f"{scheme}://****{url[-4:]}" if len(url) > 16 else f"{scheme}://****"


# API keys and tokens: the column keeps the last 4; shown as "****" and those.
LAST_FOUR = HintStyle("last4", keep=_last_four, show=lambda kept: f"****{kept}")
# Notification URLs: the column keeps the whole hint (the scheme tells the service).
URL_HINT = HintStyle("hint", keep=_url_hint, show=lambda kept: kept)


def token_hint(plaintext: str) -> str:
    """What people see of a token Taggarr made and showed once, when made (a webhook
    token): "****" and its last 4, as an API key's hint."""
    return LAST_FOUR.show(LAST_FOUR.keep(plaintext))


# The hint of a secret saved with another TAGGARR_ENCRYPTION_KEY.
KEY_CHANGED = crypto.KEY_CHANGED

# A saved key is sent only to the address it was saved for: typed with another one, it
# is asked for again (the forms, the serializers, the instance form's choices).
RETYPE_FOR_ADDRESS = _(
    "The address is not the saved one: enter the key again. A saved key is sent only "
    "to the address it was saved for."
)

# Put before a secret in its lookup digest: the stored webhook token digests have it.
LOOKUP_CONTEXT = "taggarr:"


def _lookup_digest(plaintext: str) -> str:
    """A deterministic digest to find a row by a secret without storing the secret."""
    return hashed_tokens.token_digest(plaintext, context=LOOKUP_CONTEXT)


class Secret:
    """A secret of a model, kept in ``<name>_encrypted`` (and a hint column, and a lookup
    hash column to find a row by it); see the module's docstring."""

    def __init__(
        self, what: str, *, hint: HintStyle | None = None, lookup: str = "", address: str = ""
    ) -> None:
        self.what = what  # "the API key of instance": errors name it, with the object
        self.hint_style = hint
        self.lookup_column = lookup
        # The field holding the address the secret was saved for: it goes only there.
        self.address_field = address
        self.name = self.column = self.hint_column = ""

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name, self.column = name, f"{name}_encrypted"
        self.hint_column = f"{name}_{self.hint_style.suffix}" if self.hint_style else ""
        declared = {field.name for field in cls._meta.local_fields}
        for column in filter(None, (self.column, self.hint_column, self.lookup_column)):
            if column not in declared:
                raise TypeError(f"{cls.__name__}.{name}: declare the column {column} before it")
        setattr(cls, name, self)
        secret = self

        def set_secret(obj: models.Model, plaintext: str) -> None:
            secret.set(obj, plaintext)

        def get_secret(obj: models.Model) -> str:
            return secret.get(obj)

        for accessor, function in ((f"set_{name}", set_secret), (f"get_{name}", get_secret)):
            function.__name__, function.__qualname__ = accessor, f"{cls.__qualname__}.{accessor}"
            setattr(cls, accessor, function)
        if f"{name}_hint" != self.hint_column:  # else that column is the hint already
            setattr(cls, f"{name}_hint", property(self.hint, doc=f"What people see of {name}."))

    # --- a descriptor on the class only -------------------------------------------

    def __get__(self, obj: models.Model | None, owner: type | None = None) -> Secret:
        if obj is not None:
            raise AttributeError(
                f"{self.name} is write-only: get_{self.name}() reads it, {self.name}_hint shows it"
            )
        return self

    def __set__(self, obj: models.Model, value: Any) -> None:
        raise AttributeError(f"{self.name} is kept encrypted: set it with set_{self.name}()")

    def __repr__(self) -> str:
        return f"<Secret {self.name}>"

    # --- what the forms, the serializers and the accessors use ----------------------

    def set(self, obj: models.Model, plaintext: str) -> None:
        setattr(obj, self.column, crypto.encrypt(plaintext) if plaintext else "")
        if self.hint_style:
            setattr(obj, self.hint_column, self.hint_style.keep(plaintext) if plaintext else "")
        if self.lookup_column:
            setattr(obj, self.lookup_column, _lookup_digest(plaintext) if plaintext else "")

    def get(self, obj: models.Model) -> str:
        encrypted = getattr(obj, self.column)
        if not encrypted:
            return ""
        return crypto.decrypt(encrypted, what=f"{self.what} {str(obj)!r}")

    def is_set(self, obj: models.Model) -> bool:
        return bool(getattr(obj, self.column))

    def readable(self, obj: models.Model) -> bool:
        """Whether a saved secret decrypts with this process's key (none saved: True)."""
        try:
            self.get(obj)
        except ConfigError:
            return False
        return True

    def hint(self, obj: models.Model) -> str:
        """What people see of it: KEY_CHANGED when it cannot be decrypted here."""
        if not self.hint_style or not self.is_set(obj):
            return ""
        if not self.readable(obj):
            return KEY_CHANGED
        return self.hint_style.show(getattr(obj, self.hint_column))

    def goes_to(self, obj: models.Model, url: str) -> bool:
        """Whether the saved secret may be sent to ``url``: only to the address it was
        saved for (scanner.validators.same_address). Another address needs it typed
        again: whoever may change the address must not redirect the key."""
        return bool(self.address_field) and validators.same_address(
            getattr(obj, self.address_field), url
        )

    def matching(self, plaintext: str) -> Q:
        """The rows whose secret this is, found by its lookup hash (never decrypted)."""
        if not self.lookup_column:
            raise TypeError(f"{self.name} has no lookup column")
        return Q(**{self.lookup_column: _lookup_digest(plaintext)})


def unreadable_secret() -> str | None:
    """A stored secret this process's TAGGARR_ENCRYPTION_KEY cannot decrypt, named (never
    its value), or None. One row per kind of secret is tried: a worker started with
    another key (another host whose key was not copied, or was generated there) finds
    out at start, not by failing every scan it takes."""
    for model in apps.get_app_config("scanner").get_models():
        for secret in (v for v in vars(model).values() if isinstance(v, Secret)):
            stored = model._default_manager.exclude(**{secret.column: ""}).order_by("pk")
            row = stored.first()
            if row is None:
                continue
            try:
                secret.get(row)
            except ConfigError:
                return f"{secret.what} {str(row)!r}"
    return None
