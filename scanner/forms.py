"""Editing instances: the admin form (lists as plain text, the API key write-only) and
the rules every edit follows, in the admin and in the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from scanner.models import Event, Instance

# Seconds. Larger values only hide a dead *arr (and overflow the socket's timeout).
MAX_CONNECT_TIMEOUT = 300.0
MAX_READ_TIMEOUT = 3600.0


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
        self.fields["connect_timeout"].validators.append(MaxValueValidator(MAX_CONNECT_TIMEOUT))
        self.fields["read_timeout"].validators.append(MaxValueValidator(MAX_READ_TIMEOUT))
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
        if self.instance.pk and "scan_interval_minutes" in self.changed_data:
            reschedule_if_interval_changed(self.instance, self.initial.get("scan_interval_minutes"))
        return super().save(commit=commit)


def reschedule_if_interval_changed(instance: Instance, previous_interval: int | None) -> None:
    """A new scan interval counts from now (the scheduler reads ``next_scan_at``)."""
    interval = instance.scan_interval_minutes
    if previous_interval is None or interval == previous_interval:
        return
    instance.next_scan_at = timezone.now() + timedelta(minutes=interval) if interval else None


def record_instance_change(
    instance: Instance, fields: Iterable[str], *, created: bool, user: str, via: str
) -> Event:
    """A history line naming what changed; never a value (one of them is the API key)."""
    names = sorted(set(fields))
    if created:
        message = f"instance {instance.name!r} created by {user} ({via})"
    else:
        message = f"instance {instance.name!r} changed by {user} ({via}): {', '.join(names)}"
    return Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=message,
        data={"fields": names, "user": user, "via": via},
    )
