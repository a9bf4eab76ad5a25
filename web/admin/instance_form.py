"""The instance form of the admin: lists as plain text, the API key write-only."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from scanner import validators
from scanner.actions.instance_edits import MAX_CONNECT_TIMEOUT, MAX_READ_TIMEOUT
from scanner.models import Instance
from scanner.reports.unheard import last_unheard, unheard_text
from web.admin.fields import (
    CommaListField,
    LanguageField,
    LanguageListField,
    LinesField,
    PathMappingsField,
)
from web.admin.secrets import SecretField, SecretsModelForm

# What a Sonarr or Radarr holds, whatever the form's "library holds" said.
ARR_CONTENT = {
    Instance.Kind.SONARR: Instance.LibraryContent.SERIES,
    Instance.Kind.RADARR: Instance.LibraryContent.MOVIES,
}
TARGETS_HINT = _(
    "Changing them decides every item again from the tracks already read: start a "
    "Dry run to review the new tags before anything is written."
)


class InstanceForm(SecretsModelForm):
    api_key = SecretField(
        label=_("API key"),
        keep_on_error=True,
        needed=_("Sonarr and Radarr need an API key."),
        help_text=_("Write-only: stored encrypted, never shown again. Sonarr and Radarr need one."),
    )
    root_folders = LinesField(
        required=False, help_text=_("Local folders in scope, one per line; empty means everything.")
    )
    path_mappings = PathMappingsField(
        required=False,
        help_text=_("How the *arr's paths look here, one per line: /tv => /mnt/media/tv"),
    )
    target_languages = LanguageListField(
        targets=True,
        help_text=_(
            "e.g. en, de (any ISO 639 code or name); a variety by its BCP-47 tag, e.g. "
            "fr-CA, es-419, pt-BR, yue, or as it is called, e.g. VFQ, Latino, Castellano "
            "(only a track known to be it counts)"
        ),
    )
    allowed_extra_languages = LanguageListField(
        required=False, help_text=_("Languages that never make a release 'wrong', e.g. ja")
    )
    # Typed as people write it (anglais, Englisch, en, eng), stored as its ISO 639-3
    # code: never cut to the column's three characters by the browser.
    original_language = LanguageField(
        required=False,
        label=capfirst(Instance._meta.get_field("original_language").verbose_name),
        help_text=_(
            "Library folders: the original language of their items, e.g. en or English "
            "(any ISO 639 code or name)."
        ),
    )
    genre_filter = CommaListField(
        label=_("Only these genres"),
        required=False,
        help_text=_("Only items with one of these genres, e.g. Anime"),
    )

    class Meta:
        model = Instance
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A user with view permission only gets the form without fields (all read-only).
        for name, most in (
            ("connect_timeout", MAX_CONNECT_TIMEOUT),
            ("read_timeout", MAX_READ_TIMEOUT),
        ):
            if name in self.fields:
                self.fields[name].validators.append(MaxValueValidator(most))
        if "dry_run" in self.fields:
            # Not the "Dry run" button (one run): this makes every scan plan only.
            self.fields["dry_run"].label = gettext("Only plan, never write")
            self.fields["dry_run"].help_text = gettext(
                "Every scan of this instance plans its tags for review and writes nothing "
                "(the Dry run button does this for one scan)."
            )
        if "library_content" in self.fields:
            self.fields["library_content"].help_text = gettext(
                "Library folders only: whether they hold series or movies (Sonarr and "
                "Radarr say it themselves)."
            )
        if "identify_audio_language" in self.fields and self.instance.pk:
            # What the workers found at the last scan that asked them to listen (they
            # listen, not this web process): the scan goes on with the labels.
            unheard = last_unheard(self.instance)
            if unheard is not None:
                field = self.fields["identify_audio_language"]
                field.help_text = f"{field.help_text} " + gettext(
                    "At the last scan (#%(number)s), %(what)s. Scans go on with the labels."
                ) % {"number": unheard.pk, "what": unheard_text(unheard)}
        if "target_languages" in self.fields and self.instance.pk:
            field = self.fields["target_languages"]
            field.help_text = pgettext(
                "a field's help, then a hint of its own", "%(help)s. %(hint)s"
            ) % {"help": field.help_text, "hint": TARGETS_HINT}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in ARR_CONTENT:
            cleaned["library_content"] = ARR_CONTENT[kind]  # the *arr's kind decides
        return cleaned

    def clean_api_key(self) -> str:
        return validators.clean_api_key(self.cleaned_data.get("api_key") or "")

    def secret_needed(self, name: str, cleaned: dict[str, Any]) -> bool:
        return cleaned.get("kind") in (Instance.Kind.SONARR, Instance.Kind.RADARR)
