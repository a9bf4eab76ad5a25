"""The admin side of scanner.models.secrets: a secret is typed into a password box that
is never filled with the saved one; the help text shows the saved one's hint, and a box
left empty keeps it. An API key typed into a form that comes back with an error stays
typed; a notifier URL (its secret is in the text) is never echoed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.utils import pretty_name
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from scanner.models.secrets import KEY_CHANGED, RETYPE_FOR_ADDRESS, Secret

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KEEP_HELP = _("Saved: %(hint)s. Write-only; leave empty to keep it.")
# scanner.crypto.KEY_CHANGED, the hint a secret shows when it cannot be decrypted, as
# people read it.
KEY_CHANGED_TEXT = _("key changed: enter it again")
LOST_HELP = _(
    "Saved, but the key changed: enter it again. It was saved with another "
    "TAGGARR_ENCRYPTION_KEY and cannot be read here. Write-only."
)


def _model_label(model: Any, name: str) -> Any:
    """The model field's verbose_name (marked for translation), as the admin names it;
    without one, Django's English name of the attribute."""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return pretty_name(name)


class SecretField(forms.CharField):
    """A secret of the form's model, named as its Secret. ``needed``: the error when it
    is left empty and none is saved (None: it may stay empty)."""

    def __init__(
        self,
        *,
        needed: StrOrPromise | None = None,
        autocomplete: str = "new-password",
        keep_on_error: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)  # a saved one is kept: the form decides
        kwargs.setdefault("strip", True)
        # keep_on_error: a form sent back with an error keeps what was typed in this box
        # (the saved secret is never a form value, so an unbound form shows nothing).
        kwargs["widget"] = forms.PasswordInput(
            render_value=keep_on_error, attrs={"autocomplete": autocomplete}
        )
        super().__init__(**kwargs)
        self.needed = needed


class ClearSecretField(forms.BooleanField):
    """A box that clears the saved ``secret`` (a SecretField's name) on save, offered
    only while one is saved (hidden otherwise). Checked with a new one typed: an error,
    as Django's ClearableFileInput refuses a file and its clear box together."""

    def __init__(self, *, secret: str, both: StrOrPromise, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.secret = secret
        self.both = both  # the error when a new one is typed too: it names the secret


# ModelForm is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
class SecretsModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form with SecretFields: each says which one is saved, is checked for
    ``needed`` after the form's own checks, and is encrypted into the model on save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.label is None:  # a field declared on the form: the model's name
                field.label = _model_label(self._meta.model, name)
        for name, field in self._secret_fields():
            hint = self._secret(name).hint(self.instance)
            # Only an edit has a saved one to keep: the add form says nothing of one.
            if self.instance.pk and hint == KEY_CHANGED:
                field.help_text = LOST_HELP
            elif self.instance.pk and hint:
                field.help_text = str(KEEP_HELP) % {"hint": hint}
        for name, clear in self._clear_fields():
            if not (self.instance.pk and self._secret(clear.secret).is_set(self.instance)):
                # Nothing saved to clear (Django's admin hides a row of hidden fields).
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].disabled = True

    def secret_needed(self, name: str, cleaned: dict[str, Any]) -> bool:
        """Whether a secret with a ``needed`` error must be given (when none is saved):
        always, unless a form says otherwise (a library folder needs no API key)."""
        return True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns (the stubs: or None)
        for name, field in self._secret_fields():
            missing = not cleaned.get(name) and not self.has_error(name)
            if (
                field.needed
                and missing
                and not self._secret(name).is_set(self.instance)
                and self.secret_needed(name, cleaned)
            ):
                self.add_error(name, field.needed)
            elif missing and self._moved_away(name, cleaned):
                self.add_error(name, RETYPE_FOR_ADDRESS)
        for name, clear in self._clear_fields():
            if cleaned.get(name) and cleaned.get(clear.secret):
                self.add_error(name, clear.both)
        return cleaned

    def _moved_away(self, name: str, cleaned: dict[str, Any]) -> bool:
        """Whether the saved secret would be kept for an address it was not saved for."""
        secret = self._secret(name)
        address = secret.address_field
        return (
            bool(self.instance.pk)
            and bool(address)
            and address in cleaned
            and secret.is_set(self.instance)
            and not secret.goes_to(self.instance, cleaned[address] or "")
            and self.secret_needed(name, cleaned)
        )

    def save(self, commit: bool = True) -> Any:
        for name, _field in self._secret_fields():
            if self.cleaned_data.get(name):
                self._secret(name).set(self.instance, self.cleaned_data[name])
        for name, clear in self._clear_fields():
            if self.cleaned_data.get(name):
                self._secret(clear.secret).set(self.instance, "")
        return super().save(commit=commit)

    def _secret_fields(self) -> list[tuple[str, SecretField]]:
        return [(n, f) for n, f in self.fields.items() if isinstance(f, SecretField)]

    def _clear_fields(self) -> list[tuple[str, ClearSecretField]]:
        return [(n, f) for n, f in self.fields.items() if isinstance(f, ClearSecretField)]

    def _secret(self, name: str) -> Secret:
        secret = getattr(type(self.instance), name, None)
        if not isinstance(secret, Secret):
            raise TypeError(f"{type(self.instance).__name__}.{name} is not a Secret")
        return secret
