"""The instance form of the admin: lists as plain text, the API key write-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from scanner import validators
from scanner.admin.fields import CommaListField, LinesField, PathMappingsField
from scanner.instance_edits import (
    MAX_CONNECT_TIMEOUT,
    MAX_READ_TIMEOUT,
    reschedule_if_interval_changed,
)
from scanner.models import Instance


class InstanceForm(forms.ModelForm):
    api_key = forms.CharField(
        label="API key",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: stored encrypted, never shown again. Sonarr and Radarr need one.",
    )
    root_folders = LinesField(
        required=False, help_text="Local folders in scope, one per line; empty means everything."
    )
    path_mappings = PathMappingsField(
        required=False,
        help_text="How the *arr's paths look here, one per line: /tv => /mnt/media/tv",
    )
    target_languages = CommaListField(help_text="e.g. en, de (any ISO 639 code or name)")
    allowed_extra_languages = CommaListField(
        required=False, help_text="Languages that never make a release 'wrong', e.g. ja"
    )
    genre_filter = CommaListField(
        label="Only these genres",
        required=False,
        help_text="Only items with one of these genres, e.g. Anime",
    )

    class Meta:
        model = Instance
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connect_timeout"].validators.append(MaxValueValidator(MAX_CONNECT_TIMEOUT))
        self.fields["read_timeout"].validators.append(MaxValueValidator(MAX_READ_TIMEOUT))
        # Only an edit has a saved key to keep: the add form says nothing of one.
        if self.instance.pk and self.instance.api_key_hint:
            self.fields[
                "api_key"
            ].help_text = (
                f"Saved: {self.instance.api_key_hint}. Write-only; leave empty to keep it."
            )

    def clean_api_key(self) -> str:
        return validators.clean_api_key(self.cleaned_data.get("api_key") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind in (Instance.Kind.SONARR, Instance.Kind.RADARR)
            and not cleaned.get("api_key")
            and not self.instance.api_key_encrypted
        ):
            self.add_error("api_key", "Sonarr and Radarr need an API key.")
        return cleaned

    def save(self, commit: bool = True) -> Instance:
        api_key = self.cleaned_data.get("api_key")
        if api_key:
            self.instance.set_api_key(api_key)
        if self.instance.pk and "scan_interval_minutes" in self.changed_data:
            reschedule_if_interval_changed(self.instance, self.initial.get("scan_interval_minutes"))
        return super().save(commit=commit)
