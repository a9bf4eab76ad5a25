"""The home page's guide for a new install: add an instance, test its connection, dry
run, review and apply. Each step is done when the database says so; the guide stays
until the first scan's tags are applied."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from scanner.actions.nfo_outlook import library_outlook
from scanner.connect.sentences import said
from scanner.models import Event, Instance, ScanRun
from web.admin.instance_steps import suggests_per_language


@dataclass(frozen=True, slots=True)
class Step:
    title: str
    text: str
    url: str
    action: str  # the button's words when this is the step to do now
    done: bool
    # What stands in the way of the step's purpose: a fact a line, in the reader's language.
    warning: tuple[str, ...] = ()
    # Another way to do it, beside the button: the form with every option (who knows).
    other_url: str = ""
    other_action: str = ""


def first_run_steps() -> list[Step] | None:
    """The steps, or None once tags have been applied (the guide's work is done)."""
    runs = ScanRun.objects.all()
    if runs.filter(dry_run=False, status__in=ScanRun.APPLIED).exists():
        return None
    instance = Instance.objects.order_by("created_at", "pk").first()
    page = (
        reverse("admin:scanner_instance_change", args=[instance.pk])
        if instance
        else reverse("admin:scanner_instance_add")
    )
    tested = Event.objects.filter(kind=Event.Kind.CONFIG, data__connection_test__ok=True).exists()
    dry = runs.filter(dry_run=True).order_by("-created_at", "-id").first()
    review = reverse("admin:scanner_scanrun_change", args=[dry.pk]) if dry else page
    outlook = library_outlook(instance) if instance else None
    warning = (
        tuple(said(line) for line in outlook.lines) if outlook and outlook.nothing_on_disk else ()
    )
    per_language = gettext(
        "With two or more languages, per-language tags (dub-de, semi-dub-fr) say which of "
        "them each item has."
    )
    dry_run = gettext(
        "It reads the audio languages and plans a tag per show or movie; nothing is written."
    )
    if instance and suggests_per_language(list(instance.target_languages), instance.language_tags):
        # Chosen two targets and kept one tag per item: said before the first plan.
        dry_run += " " + gettext(
            "%(name)s has two or more target languages and no per-language tags yet: turn "
            "them on in its settings to see which of them each item has."
        ) % {"name": instance.name}
    return [
        Step(
            gettext("Add your Sonarr or Radarr"),
            gettext(
                "Its address and API key (Settings → General), the languages you want, and its "
                "root folders (offered from the *arr). Saving writes nothing."
            )
            + " "
            + per_language,
            # The guided setup first (web.admin.setup); the whole form stays a link away.
            reverse("taggarr-setup"),
            gettext("Start the guided setup"),
            instance is not None,
            other_url=reverse("admin:scanner_instance_add"),
            other_action=gettext("Add an instance"),
        ),
        Step(
            gettext("Test the connection"),
            gettext("Taggarr asks the *arr for its version and checks the root folders."),
            page,
            gettext("Open the instance to test it"),
            tested,
        ),
        Step(
            gettext("Start a dry run"),
            dry_run,
            page,
            gettext("Open the instance to start a dry run"),
            dry is not None,
        ),
        Step(
            gettext("Review and apply"),
            gettext(
                "The dry run's page lists every planned tag with its reasons: apply all, or "
                "the ones you pick."
            ),
            review,
            gettext("Review the planned tags"),
            False,
            warning,
        ),
    ]


def current_step(steps: list[Step]) -> int:
    """The index of the first step not done."""
    return next((index for index, step in enumerate(steps) if not step.done), len(steps) - 1)
