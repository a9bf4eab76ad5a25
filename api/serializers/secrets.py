"""The API side of scanner.models.secrets: a secret is written, never read back (a
response shows only its hint); omitted on update, the saved one is kept."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db import models
from rest_framework import serializers
from rest_framework.utils import model_meta

from scanner.models.secrets import KEY_CHANGED, RETYPE_FOR_ADDRESS, Secret

# Set in a serializer's context by the one answer that shows a webhook token it made
# (README, "Security": a token Taggarr makes is shown once, when made); no read shows it.
SHOWS_TOKEN = "shows_webhook_token"  # noqa: S105 - a context key, not a secret


class SecretField(serializers.CharField):
    """A secret of the serializer's model, named as its Secret: write-only. ``needed``:
    the error when none is given and none is saved (None: it may stay empty)."""

    def __init__(self, *, needed: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)  # a saved one is kept: the serializer decides
        kwargs.setdefault("max_length", 500)
        kwargs.update(write_only=True, style={"input_type": "password"})
        super().__init__(**kwargs)
        self.needed = needed


class SecretHintField(serializers.CharField):
    """What a response shows of the secret ``secret`` of the model (its hint)."""

    def __init__(self, secret: str, **kwargs: Any) -> None:
        shown = kwargs.pop("help_text", "'****' and the last 4.")
        kwargs["help_text"] = (
            f"{shown} '{KEY_CHANGED}' when it was saved with another "
            "TAGGARR_ENCRYPTION_KEY and cannot be read: give it again."
        )
        super().__init__(read_only=True, source="*", **kwargs)
        self.secret = secret

    # The stubs give CharField's (a str); with source="*" DRF hands it the whole object.
    def to_representation(self, value: models.Model) -> str:  # type: ignore[override]
        secret = getattr(type(value), self.secret)
        if not isinstance(secret, Secret):
            raise TypeError(f"{type(value).__name__}.{self.secret} is not a Secret")
        return secret.hint(value)


_M = TypeVar("_M", bound=models.Model)


# A model serializer with SecretFields: ``validate`` checks the needed ones (call it last,
# after the model's checks); create and update encrypt them into the model. (A comment,
# not a docstring: drf-spectacular would show it as every subclass's description.)
class SecretsSerializer(serializers.ModelSerializer[_M]):
    def secret_needed(self, name: str, attrs: dict[str, Any]) -> bool:
        """Whether a secret with a ``needed`` error must be given (when none is saved):
        always, unless a serializer says otherwise (a library folder needs no API key)."""
        return True

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name, field in self._secret_fields():
            saved = self.instance is not None and self._secret(name).is_set(self.instance)
            missing = not attrs.get(name) and not saved
            if field.needed and missing and self.secret_needed(name, attrs):
                raise serializers.ValidationError({name: [field.needed]})
            if saved and not attrs.get(name) and self._moved_away(name, attrs):
                raise serializers.ValidationError({name: [RETYPE_FOR_ADDRESS]})
        validated: dict[str, Any] = super().validate(attrs)  # attrs (Any to the stubs)
        return validated

    def _moved_away(self, name: str, attrs: dict[str, Any]) -> bool:
        """Whether the saved secret would be kept for an address it was not saved for."""
        secret = self._secret(name)
        address = secret.address_field
        return (
            self.instance is not None
            and bool(address)
            and address in attrs
            and not secret.goes_to(self.instance, attrs[address] or "")
            and self.secret_needed(name, attrs)
        )

    def pop_secrets(self, validated_data: dict[str, Any]) -> dict[str, str]:
        """The secrets given (not empty), taken out of ``validated_data``."""
        given = {name: validated_data.pop(name, "") for name, _ in self._secret_fields()}
        return {name: value for name, value in given.items() if value}

    def set_secrets(self, obj: models.Model, secrets: dict[str, str]) -> None:
        for name, value in secrets.items():
            self._secret(name).set(obj, value)

    def create(self, validated_data: dict[str, Any]) -> _M:
        """One save, the secrets already encrypted; then the many-to-many relations."""
        secrets = self.pop_secrets(validated_data)
        model = cast("type[_M]", self.Meta.model)  # the stubs' Meta is not tied to _M
        relations = model_meta.get_field_info(model).relations
        many = {
            name: validated_data.pop(name)
            for name, relation in relations.items()
            if relation.to_many and name in validated_data
        }
        obj = model(**validated_data)
        self.set_secrets(obj, secrets)
        obj.save()
        for name, value in many.items():
            getattr(obj, name).set(value)
        return obj

    def update(self, obj: _M, validated_data: dict[str, Any]) -> _M:
        self.set_secrets(obj, self.pop_secrets(validated_data))
        return super().update(obj, validated_data)

    def _secret_fields(self) -> list[tuple[str, SecretField]]:
        return [(n, f) for n, f in self.fields.items() if isinstance(f, SecretField)]

    def _secret(self, name: str) -> Secret:
        secret = getattr(self.Meta.model, name, None)
        if not isinstance(secret, Secret):
            raise TypeError(f"{self.Meta.model.__name__}.{name} is not a Secret")
        return secret
