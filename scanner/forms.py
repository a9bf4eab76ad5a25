"""The Instance form of the admin: lists as plain text, the API key write-only."""

from __future__ import annotations

from typing import Any

from django import forms

from scanner.models import Instance


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CommaListField(forms.CharField):
    """A list of short codes edited as ``en, de``."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class PathMappingsField(forms.CharField):
    """Path mappings edited as ``remote => local``, one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
    separator = "=>"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{m['remote']} {self.separator} {m['local']}" for m in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:
        text = super().to_python(value) or ""
        mappings = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            if self.separator not in line:
                raise forms.ValidationError(f"line {number}: write it as 'remote => local'")
            remote, local = (part.strip() for part in line.split(self.separator, 1))
            mappings.append({"remote": remote, "local": local})
        return mappings


class InstanceForm(forms.ModelForm):
    api_key = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only. Leave empty to keep the saved key.",
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
        required=False, help_text="Only items with one of these genres, e.g. Anime"
    )

    class Meta:
        model = Instance
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.api_key_hint:
            self.fields[
                "api_key"
            ].help_text = (
                f"Saved: {self.instance.api_key_hint}. Write-only; leave empty to keep it."
            )

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
        return super().save(commit=commit)
